//! The standard library: the component schemas of `stdlib/*.pfk`, parsed
//! and typed once per process.
//!
//! A build needs only the typed schemas, and parsing the nine files was
//! nine tenths of a small site's build. So they are also kept parsed and
//! typed, serialized (postcard) in `stdlib/compiled.bin`, embedded in the
//! binary and read in a fraction of the time. The file begins with the
//! fingerprint `build.rs` computes from the schema files and the Rust types
//! it holds; a binary whose inputs differ (an edited schema) ignores it and
//! parses the files, so the compiled form can be slow to follow an edit but
//! never wrong about one. `compiled_stdlib_is_fresh` fails until it is made
//! again: `UPDATE_STDLIB=1 cargo test --lib compiled_stdlib`.
//!
//! A build needs the types and the names of the component kinds; the
//! declarations as written (for `prefectc docs`, the language server's
//! go-to-definition and the generated files) are half of the compiled form,
//! so they are kept in a part of their own and decoded on first use.

use std::sync::OnceLock;

use crate::check::lazy::Lazy;
use crate::check::types::Types;
use crate::diagnostics::Diagnostics;
use crate::resolve;
use crate::source::FileId;

/// The component schemas, compiled into the binary.
pub const STDLIB: &[(&str, &str)] = &[
    ("<stdlib>/site.pfk", include_str!("../stdlib/site.pfk")),
    ("<stdlib>/common.pfk", include_str!("../stdlib/common.pfk")),
    ("<stdlib>/pod.pfk", include_str!("../stdlib/pod.pfk")),
    ("<stdlib>/api.pfk", include_str!("../stdlib/api.pfk")),
    ("<stdlib>/server.pfk", include_str!("../stdlib/server.pfk")),
    ("<stdlib>/pool.pfk", include_str!("../stdlib/pool.pfk")),
    ("<stdlib>/worker.pfk", include_str!("../stdlib/worker.pfk")),
    ("<stdlib>/agent.pfk", include_str!("../stdlib/agent.pfk")),
    (
        "<stdlib>/exporter.pfk",
        include_str!("../stdlib/exporter.pfk"),
    ),
];

/// The standard library, parsed and typed once per process. Its files take
/// the ids after the root file (1, 2, …) in every build's source map.
pub struct Stdlib {
    /// The declarations of the schema files, decoded on first use.
    decls: Lazy<Vec<resolve::StdDecl>>,
    pub types: Types,
    /// The component kinds as written in a `.pfk` file (`site`, `worker`,
    /// …), in the order the library declares them.
    pub kinds: Vec<String>,
    /// Problems in the standard library itself: always empty in a release.
    pub diagnostics: Diagnostics,
}

pub fn stdlib() -> &'static Stdlib {
    static STD: OnceLock<Stdlib> = OnceLock::new();
    STD.get_or_init(|| compiled().unwrap_or_else(parsed))
}

impl Stdlib {
    /// The declarations of the schema files, in their order.
    pub fn decls(&self) -> &[resolve::StdDecl] {
        &self.decls
    }

    fn new(decls: Lazy<Vec<resolve::StdDecl>>, types: Types, diagnostics: Diagnostics) -> Stdlib {
        let kinds = types
            .components
            .values()
            .map(|schema| resolve::kebab(schema))
            .collect();
        Stdlib {
            decls,
            types,
            kinds,
            diagnostics,
        }
    }
}

/// `stdlib/compiled.bin`: a header naming the fingerprint of its inputs,
/// then two byte strings (postcard): the encoding of the types, and that of
/// the declarations. A `static`, so it has one address: the names a build
/// decodes are borrowed from it (`check::model::Name`), and a `const`'s
/// bytes may be copied to each place that names it.
static COMPILED: &[u8] = include_bytes!("../stdlib/compiled.bin");

/// The header a compiled form made from this binary's inputs starts with:
/// the version of the framing (`2`: the types, then the declarations, each
/// a byte string of its own) and the fingerprint of the inputs.
const HEADER: &str = concat!(
    "prefectc-stdlib 2 ",
    env!("PREFECTC_STDLIB_FINGERPRINT"),
    "\n"
);

/// The compiled form, when it was made from this binary's inputs.
fn compiled() -> Option<Stdlib> {
    let body = COMPILED.strip_prefix(HEADER.as_bytes())?;
    let (types, decls): (&'static [u8], _) = postcard::from_bytes(body).ok()?;
    let types = postcard::from_bytes(types).ok()?;
    Some(Stdlib::new(decls, types, Diagnostics::default()))
}

/// The standard library parsed and typed from its source.
fn parsed() -> Stdlib {
    let files: Vec<(FileId, &str)> = STDLIB
        .iter()
        .enumerate()
        .map(|(i, (_, text))| (FileId(i as u32 + 1), *text))
        .collect();
    let (decls, mut diagnostics) = resolve::stdlib(&files);
    let types = Types::build(&decls, &mut diagnostics);
    Stdlib::new(Lazy::new(decls), types, diagnostics)
}

/// The compiled form of the parsed standard library.
#[cfg(test)]
fn compile(std: &Stdlib) -> Vec<u8> {
    let mut out = HEADER.as_bytes().to_vec();
    let types = postcard::to_stdvec(&std.types).expect("the stdlib types serialize");
    // The declarations (a `Lazy`) write themselves as a byte string.
    let parts: (&[u8], _) = (&types, &std.decls);
    out.extend(postcard::to_stdvec(&parts).expect("the stdlib decls serialize"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `stdlib/compiled.bin` is what parsing the schema files gives now.
    #[test]
    fn compiled_stdlib_is_fresh() {
        let std = parsed();
        assert!(
            std.diagnostics.0.is_empty(),
            "the stdlib has problems: {:?}",
            std.diagnostics.0
        );
        let bytes = compile(&std);
        if std::env::var_os("UPDATE_STDLIB").is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/stdlib/compiled.bin");
            std::fs::write(path, &bytes).expect("stdlib/compiled.bin is writable");
            return;
        }
        assert!(
            COMPILED == bytes.as_slice(),
            "stdlib/compiled.bin is out of date: run `UPDATE_STDLIB=1 cargo test --lib compiled_stdlib`"
        );
        let read = compiled().expect("the compiled form is read");
        assert_eq!(read.decls(), std.decls());
        assert_eq!(format!("{:?}", read.types), format!("{:?}", std.types));
        assert_eq!(read.kinds, std.kinds);
        assert_eq!(
            std.kinds,
            ["site", "server", "pool", "worker", "agent", "exporter"]
        );
    }

    /// Reading the compiled form decodes no schema and no declaration: a
    /// build decodes those it reads (`check::lazy`).
    #[test]
    fn the_compiled_form_is_decoded_as_it_is_read() {
        let std = compiled().expect("fresh");
        assert!(std.types.schemas.len() > 30);
        assert!(std.types.schemas.values().all(|s| !s.is_decoded()));
        assert!(!std.decls.is_decoded());
        assert_eq!(std.types.schemas["Site"].name, "Site");
        let decoded = std
            .types
            .schemas
            .values()
            .filter(|s| s.is_decoded())
            .count();
        assert_eq!(decoded, 1);
        assert!(!std.decls().is_empty());
    }

    /// The names a decoded schema holds are the compiled form's bytes, not
    /// copies of them (`check::model::Name`); the schema files' are not.
    #[test]
    fn the_compiled_names_are_borrowed_from_the_binary() {
        let in_binary = |name: &str| COMPILED.as_ptr_range().contains(&name.as_ptr());
        let std = compiled().expect("fresh");
        let worker = &std.types.schemas["Worker"];
        assert!(in_binary(worker.name));
        assert!(worker.fields.keys().all(|k| in_binary(k)));
        assert!(worker.fields.values().all(|f| in_binary(f.name)));
        assert!(std.types.components.values().all(|n| in_binary(n)));
        assert!(std.types.enums.values().all(|e| in_binary(e.name)));
        // The negative control: the same names, built from the files.
        let parsed = parsed();
        assert!(!in_binary(parsed.types.schemas["Worker"].name));
    }

    /// A compiled form made from other inputs is not read (the negative
    /// control of the fingerprint), nor is one cut short.
    #[test]
    fn a_compiled_form_of_other_inputs_is_ignored() {
        let body = COMPILED.strip_prefix(HEADER.as_bytes()).expect("fresh");
        let other = [b"prefectc-stdlib 0000000000000000\n".as_slice(), body].concat();
        assert!(other.strip_prefix(HEADER.as_bytes()).is_none());
        let cut = &body[..body.len() / 2];
        assert!(postcard::from_bytes::<(&[u8], &[u8])>(cut).is_err());
    }
}
