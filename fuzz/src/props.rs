//! The properties prefectc is fuzzed against, one function per fuzz target.
//!
//! Each function takes arbitrary bytes and panics when a property does not
//! hold. The same file is compiled twice: as a module of the `prefectc-fuzz`
//! crate (the cargo-fuzz targets in `fuzz/fuzz_targets/`, on nightly), and
//! included with `#[path]` into the main crate's `tests/fuzz_replay.rs`,
//! which replays the committed corpus and every past crash on stable. So it
//! may only use what both see: `prefectc`, `serde_json`, `serde_yaml`,
//! `lsp-server`, `lsp-types` and `std`.
//!
//! Bytes that are not UTF-8 are read with `String::from_utf8_lossy`, so
//! every input reaches the compiler (the command line reads files as UTF-8;
//! what it does with other bytes is the CLI's business, not these targets').

use std::cell::Cell;
use std::collections::BTreeMap;
use std::io::BufReader;
use std::sync::Once;

use prefectc::diagnostics::{json, render, sarif};
use prefectc::{FormatError, MemoryLoader, Options, Output};

/// In a `build` or `fmt` input, the text after this line is the file
/// `lib.pfk`, which the text before it (the root, `site.pfk`) may import.
pub const LIB_SEPARATOR: &str = "\n//--- lib.pfk\n";

/// Files every build can import besides `lib.pfk`, so that imports are
/// exercised even by inputs that are one file.
const FIXED_IMPORTS: &[(&str, &str)] = &[
    (
        "common.pfk",
        "/// Shared by the fuzzed sites.\ntemplate worker team {\n  api      = prefect\n  replicas = 1\n}\n\nlet small = { cpu = 100m, memory = 128Mi }\n",
    ),
    (
        "site-header.pfk",
        "site fuzz {\n  namespace = \"prefect\"\n  prefect   = \"3.4.25\"\n}\n\nserver prefect {\n  database = sqlite {}\n}\n",
    ),
    ("cycle.pfk", "import \"cycle.pfk\"\n"),
    ("lib.pfk", "pool shared { type = kubernetes }\n"),
];

/// A fixed date, so that waiver expiry does not depend on the day the
/// fuzzer runs.
const TODAY: &str = "2026-01-01";

fn text_of(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// The root text and the loader for an input: `lib.pfk` is the part after
/// [`LIB_SEPARATOR`] when there is one, else the fixed `lib.pfk`.
fn site(text: &str) -> (String, MemoryLoader) {
    let mut files: Vec<(String, String)> = Vec::new();
    let root = match text.split_once(LIB_SEPARATOR) {
        Some((root, lib)) => {
            files.push(("lib.pfk".into(), lib.into()));
            root.to_string()
        }
        None => text.to_string(),
    };
    for (name, body) in FIXED_IMPORTS {
        if !files.iter().any(|(n, _)| n == name) {
            files.push(((*name).into(), (*body).into()));
        }
    }
    (root, MemoryLoader(files))
}

fn options() -> Options {
    Options {
        today: Some(TODAY.into()),
        ..Options::default()
    }
}

fn compile(text: &str) -> Output {
    let (root, loader) = site(text);
    prefectc::build("site.pfk", root, &loader, &options())
}

/// [`compile`] with every object walked by the credential rules, whatever
/// their screen says (`Options::walk_every_object`).
fn compile_walking_every_object(text: &str) -> Output {
    let (root, loader) = site(text);
    let options = Options {
        walk_every_object: true,
        ..options()
    };
    prefectc::build("site.pfk", root, &loader, &options)
}

/// `build`: every renderer works on every input, JSON and SARIF are JSON,
/// the YAML of a successful build parses, holds no `kind: Secret` and no
/// known credential, and building twice gives the same bytes, the second
/// time with every object walked by the credential rules (their screen may
/// only save work: it changes no finding).
pub fn build(data: &[u8]) {
    let text = text_of(data);
    let out = compile(&text);
    // Human, with and without colour.
    let _ = render::human(&out.diagnostics, &out.sources, true);
    let plain = render::human(&out.diagnostics, &out.sources, false);
    assert_eq!(
        out.diagnostics.is_empty(),
        plain.is_empty(),
        "human rendering is empty exactly when there are no diagnostics"
    );
    let lines = json::lines(&out.diagnostics, &out.sources);
    for line in lines.lines() {
        let v: serde_json::Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("a JSON diagnostic line does not parse ({e}): {line}"));
        assert!(v["code"].is_string(), "no code in {line}");
    }
    assert_eq!(lines.lines().count(), out.diagnostics.len());
    // E0901 is a checked value that does not fit its typed-model type: a
    // compiler bug, whatever the input.
    assert!(
        !out.diagnostics
            .iter()
            .any(|d| d.code == prefectc::diagnostics::Code::InternalError),
        "an internal error (E0901): {plain}"
    );
    let report = sarif::report(&out.diagnostics, &out.waived, &out.sources);
    let s: serde_json::Value = serde_json::from_str(&report)
        .unwrap_or_else(|e| panic!("the SARIF report does not parse ({e})"));
    assert_eq!(s["version"], "2.1.0", "SARIF version");
    let yaml = out.objects.as_deref().map(prefectc::emit::yaml);
    if out.objects.is_some() {
        assert!(!out.has_errors(), "objects despite errors");
    }
    if let (Some(yaml), Some(objects)) = (&yaml, out.objects.as_deref()) {
        check_yaml(yaml);
        reads_back_as(yaml, &prefectc::emit::values(objects));
    }
    // Determinism: the same input builds to the same diagnostics and bytes;
    // and the credential screen changes nothing the rules report.
    let again = compile_walking_every_object(&text);
    assert_eq!(
        lines,
        json::lines(&again.diagnostics, &again.sources),
        "two builds of the same input give different diagnostics \
         (the second with every object walked by the credential rules)"
    );
    assert_eq!(
        sarif::report(&out.diagnostics, &out.waived, &out.sources),
        sarif::report(&again.diagnostics, &again.waived, &again.sources),
        "every object walked, the waived findings differ"
    );
    assert_eq!(
        yaml,
        again.objects.as_deref().map(prefectc::emit::yaml),
        "two builds of the same input give different YAML"
    );
}

/// The YAML of a build: a stream of mappings with a `kind`, none a Secret,
/// and no known credential format anywhere, in the text or in a decoded
/// string.
pub fn check_yaml(yaml: &str) {
    if let Some(c) = find_credential(yaml) {
        panic!("a credential ({c}) in the YAML:\n{}", excerpt(yaml, c.at));
    }
    let mut documents = 0;
    for doc in serde_yaml::Deserializer::from_str(yaml) {
        let v: serde_yaml::Value = serde::Deserialize::deserialize(doc)
            .unwrap_or_else(|e| panic!("the YAML does not parse: {e}\n{yaml}"));
        let kind = v.get("kind").and_then(|k| k.as_str());
        assert!(kind.is_some(), "a document without a kind: {v:?}");
        assert_ne!(kind, Some("Secret"), "a Secret object is emitted: {v:?}");
        let mut strings = Vec::new();
        scalars(&v, &mut strings);
        for s in strings {
            if let Some(c) = find_credential(&s) {
                panic!(
                    "a credential ({c}) in a {} string of the YAML:\n{}",
                    kind.unwrap_or("?"),
                    excerpt(&s, c.at)
                );
            }
        }
        documents += 1;
    }
    assert_eq!(
        documents,
        yaml.matches("---\n").count(),
        "one document per `---`"
    );
}

/// The YAML stream, read by a YAML 1.2 reader, is the objects as JSON
/// (`emit::values`), document by document: an oracle for the YAML writer,
/// and for what it copies of values the objects share (a serializer that
/// sees those as the values themselves).
pub fn reads_back_as(yaml: &str, objects: &[serde_json::Value]) {
    let read: Vec<serde_json::Value> = serde_yaml::Deserializer::from_str(yaml)
        .map(|doc| {
            serde::Deserialize::deserialize(doc)
                .unwrap_or_else(|e| panic!("the YAML does not parse: {e}\n{yaml}"))
        })
        .collect();
    assert_eq!(read.len(), objects.len(), "one document per object");
    for (i, (read, object)) in read.iter().zip(objects).enumerate() {
        assert_eq!(
            read, object,
            "document {i} reads back as another value:\n{yaml}"
        );
    }
}

fn excerpt(s: &str, at: usize) -> &str {
    let mut start = at.saturating_sub(200);
    while !s.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (at + 200).min(s.len());
    while !s.is_char_boundary(end) {
        end += 1;
    }
    &s[start..end]
}

/// Every string in a YAML value, keys included, decoded.
fn scalars(v: &serde_yaml::Value, out: &mut Vec<String>) {
    use serde_yaml::Value;
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Sequence(items) => items.iter().for_each(|i| scalars(i, out)),
        Value::Mapping(m) => {
            for (k, v) in m {
                scalars(k, out);
                scalars(v, out);
            }
        }
        Value::Tagged(t) => scalars(&t.value, out),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// A credential found by [`find_credential`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Credential {
    pub kind: &'static str,
    pub at: usize,
}

impl std::fmt::Display for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at byte {}", self.kind, self.at)
    }
}

/// The first known credential format in `s`, found by hand-written matchers
/// that share nothing with the compiler's own detection: Prefect API keys
/// (`pnu_`/`pnb_` and 36 letters or digits), PEM private keys, GitHub tokens
/// (`ghp_…`, `github_pat_…`), AWS access key ids (`AKIA` and 16 upper-case
/// letters or digits), and URLs with a password (`scheme://user:pass@`)
/// unless the password is a `$(VAR)` or `${…}` reference.
pub fn find_credential(s: &str) -> Option<Credential> {
    let b = s.as_bytes();
    let alnum_run = |from: usize| {
        b[from.min(b.len())..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count()
    };
    let word_start = |i: usize| i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
    for i in 0..b.len() {
        let rest = &b[i..];
        let found = |kind| Some(Credential { kind, at: i });
        if (rest.starts_with(b"pnu_") || rest.starts_with(b"pnb_")) && alnum_run(i + 4) >= 36 {
            return found("Prefect API key");
        }
        if rest.starts_with(b"ghp_") && word_start(i) && alnum_run(i + 4) >= 36 {
            return found("GitHub token");
        }
        if rest.starts_with(b"github_pat_")
            && b[i + 11..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
                .count()
                >= 22
        {
            return found("GitHub fine-grained token");
        }
        if rest.starts_with(b"AKIA")
            && word_start(i)
            && rest.len() >= 20
            && rest[4..20]
                .iter()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            && (rest.len() == 20 || !rest[20].is_ascii_alphanumeric())
        {
            return found("AWS access key id");
        }
        if rest.starts_with(b"-----BEGIN ") && private_key_header(&rest[11..]) {
            return found("PEM private key");
        }
        if rest.starts_with(b"://") && i > 0 && url_password(b, i) {
            return found("password in a URL");
        }
    }
    None
}

/// After `-----BEGIN `: `[A-Z ]*PRIVATE KEY-----`.
fn private_key_header(b: &[u8]) -> bool {
    let label = b
        .iter()
        .take(64)
        .take_while(|c| c.is_ascii_uppercase() || **c == b' ')
        .count();
    b[..label].ends_with(b"PRIVATE KEY") && b[label..].starts_with(b"-----")
}

/// At `b[i..]` = `://` after a scheme: a userinfo `user:password@` with a
/// non-empty password that is not a reference.
fn url_password(b: &[u8], i: usize) -> bool {
    // The scheme: a letter, then letters, digits, `+`, `-`, `.`.
    let mut start = i;
    while start > 0
        && (b[start - 1].is_ascii_alphanumeric() || matches!(b[start - 1], b'+' | b'-' | b'.'))
    {
        start -= 1;
    }
    while start < i && !b[start].is_ascii_alphabetic() {
        start += 1;
    }
    if start == i {
        return false;
    }
    let authority_start = i + 3;
    let authority_len = b[authority_start..]
        .iter()
        .take_while(|c| !matches!(c, b'/' | b'?' | b'#') && !c.is_ascii_whitespace())
        .count();
    let authority = &b[authority_start..authority_start + authority_len];
    // The userinfo ends at the last `@` of the authority.
    let Some(at) = authority.iter().rposition(|c| *c == b'@') else {
        return false;
    };
    let userinfo = &authority[..at];
    let Some(colon) = userinfo.iter().position(|c| *c == b':') else {
        return false;
    };
    let password = &userinfo[colon + 1..];
    !password.is_empty() && !is_reference(password)
}

/// `$(NAME)` or `${…}`, the whole of it.
fn is_reference(p: &[u8]) -> bool {
    let closed = |open: &[u8], close: u8| {
        p.starts_with(open)
            && p.len() > open.len() + 1
            && p.ends_with(&[close])
            && !p[open.len()..p.len() - 1].contains(&close)
    };
    closed(b"$(", b')') || closed(b"${", b'}')
}

fn codes(out: &Output) -> Vec<String> {
    let mut codes: Vec<String> = out
        .diagnostics
        .iter()
        .map(|d| d.code.as_str().to_string())
        .collect();
    codes.sort();
    codes
}

/// `fmt`: never panics; a formatted text formats to itself, builds to the
/// same YAML as the original (or fails as it does) with the same multiset
/// of diagnostic codes; the formatter reports no internal error.
pub fn fmt(data: &[u8]) {
    let text = text_of(data);
    // Only the root is formatted; `lib.pfk` stays as it is.
    let (root, lib) = match text.split_once(LIB_SEPARATOR) {
        Some((root, lib)) => (root.to_string(), Some(lib)),
        None => (text.clone(), None),
    };
    let formatted = match prefectc::format(&root) {
        Ok(f) => f,
        Err(FormatError::Syntax(_)) => return,
        Err(FormatError::Internal(why)) => panic!("the formatter failed: {why}"),
    };
    match prefectc::format(&formatted) {
        Ok(twice) => assert!(
            twice == formatted,
            "formatting is not idempotent:\n--- once\n{formatted}\n--- twice\n{twice}"
        ),
        Err(e) => panic!("the formatted text does not format again: {e:?}\n{formatted}"),
    }
    let with_lib = |r: &str| match lib {
        Some(lib) => format!("{r}{LIB_SEPARATOR}{lib}"),
        None => r.to_string(),
    };
    let before = compile(&with_lib(&root));
    let after = compile(&with_lib(&formatted));
    assert_eq!(
        codes(&before),
        codes(&after),
        "formatting changes the diagnostic codes:\n{formatted}"
    );
    assert!(
        before.objects.as_deref().map(prefectc::emit::yaml)
            == after.objects.as_deref().map(prefectc::emit::yaml),
        "formatting changes the YAML:\n{formatted}"
    );
}

thread_local! {
    /// Set by the panic hook on the thread that panicked: the language
    /// server catches panics in its handlers, but a caught panic is still a
    /// bug.
    static PANICKED: Cell<bool> = const { Cell::new(false) };
}

fn watch_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICKED.with(|p| p.set(true));
            previous(info);
        }));
    });
}

/// The directory the language server's documents are in: nothing on disk,
/// so the server only ever sees what the input gives it.
const LSP_DIR: &str = "/nonexistent-prefectc-fuzz";

fn uri(name: &str) -> String {
    format!("file://{LSP_DIR}/{}", file_name(name))
}

/// The name of a document as a file name of [`LSP_DIR`]: no separators,
/// no leading dots, at most 40 characters; `site.pfk` when nothing is left.
fn file_name(name: &str) -> String {
    let name: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        .take(40)
        .collect();
    match name.trim_start_matches('.') {
        "" => "site.pfk".to_string(),
        n => n.to_string(),
    }
}

/// A position from the input: `(line, character)`.
fn position(line: u32, character: u32) -> serde_json::Value {
    serde_json::json!({ "line": line, "character": character })
}

/// Positions in `text` chosen by its bytes: a few offsets turned into
/// lines and UTF-16 columns, and one past the end.
fn positions(text: &str) -> Vec<(u32, u32)> {
    let len = text.len();
    let mut seed = len as u64;
    for b in text.bytes().take(64) {
        seed = seed.wrapping_mul(31).wrapping_add(u64::from(b));
    }
    let mut out = Vec::new();
    for k in 0..2u64 {
        let mut offset = (seed.wrapping_add(k.wrapping_mul(7919)) % (len as u64 + 1)) as usize;
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line = before.matches('\n').count() as u32;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let character = before[line_start..].encode_utf16().count() as u32;
        out.push((line, character));
    }
    out.push((text.matches('\n').count() as u32 + 3, 1000));
    out
}

/// Talks to a language server on an in-memory connection, counting the
/// requests it sends.
struct Session {
    conn: lsp_server::Connection,
    next_id: i32,
    /// Requests sent, by id: each must get exactly one response.
    expected: BTreeMap<String, usize>,
}

impl Session {
    fn notify(&self, method: &str, params: serde_json::Value) {
        let n = lsp_server::Notification::new(method.into(), params);
        let _ = self.conn.sender.send(n.into());
    }

    fn request(&mut self, method: &str, params: serde_json::Value) {
        self.next_id += 1;
        let id = lsp_server::RequestId::from(self.next_id);
        self.send_request(lsp_server::Request::new(id, method.into(), params));
    }

    fn send_request(&mut self, r: lsp_server::Request) {
        *self.expected.entry(r.id.to_string()).or_default() += 1;
        let _ = self.conn.sender.send(r.into());
    }

    fn open(&self, name: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            serde_json::json!({ "textDocument": {
                "uri": uri(name), "languageId": "pfk", "version": 1, "text": text
            }}),
        );
    }

    fn change(&self, name: &str, change: serde_json::Value) {
        self.notify(
            "textDocument/didChange",
            serde_json::json!({
                "textDocument": { "uri": uri(name), "version": 2 },
                "contentChanges": [change],
            }),
        );
    }

    fn at(&mut self, method: &str, name: &str, (line, character): (u32, u32)) {
        self.request(
            method,
            serde_json::json!({
                "textDocument": { "uri": uri(name) },
                "position": position(line, character),
            }),
        );
    }

    /// Every request about a document, at positions taken from `text`.
    fn ask_everything(&mut self, name: &str, text: &str) {
        for p in positions(text) {
            self.at("textDocument/hover", name, p);
            self.at("textDocument/completion", name, p);
            self.at("textDocument/definition", name, p);
        }
        let doc = serde_json::json!({ "textDocument": { "uri": uri(name) } });
        self.request("textDocument/documentSymbol", doc.clone());
        self.request(
            "textDocument/formatting",
            serde_json::json!({
                "textDocument": { "uri": uri(name) },
                "options": { "tabSize": 2, "insertSpaces": true },
            }),
        );
    }

    /// Frames read from raw bytes as a client would send them: whatever
    /// parses is sent on (an `exit` would end the session early and is
    /// dropped).
    fn raw(&mut self, bytes: &[u8]) {
        let mut reader = BufReader::new(bytes);
        for _ in 0..64 {
            match lsp_server::Message::read(&mut reader) {
                Ok(Some(lsp_server::Message::Request(r))) => self.send_request(r),
                Ok(Some(lsp_server::Message::Notification(n))) if n.method == "exit" => {}
                Ok(Some(m)) => {
                    let _ = self.conn.sender.send(m);
                }
                Ok(None) | Err(_) => break,
            }
        }
    }
}

/// `parses`, which keep the last text's declarations, parse `text` as a
/// parse of the whole text does: the same tree, spans included, and the
/// same diagnostics.
fn same_parse(parses: &prefectc::syntax::Parses, text: &str) {
    let file = prefectc::source::FileId(0);
    let (tree, diagnostics) = parses.parse(file, text);
    let tree = parses.placed(file, tree);
    let (whole, whole_diagnostics) = prefectc::syntax::parse_whole(file, text);
    assert!(tree == whole, "the kept parses differ from a whole parse");
    assert_eq!(
        format!("{diagnostics:?}"),
        format!("{whole_diagnostics:?}"),
        "the kept parses' diagnostics differ from a whole parse's"
    );
    // A build parses a large file in pieces (src/syntax/mod.rs), a very
    // large one on both cores: in pieces of one declaration, when they all
    // parse, the text means what it means whole.
    for both_cores in [false, true] {
        if let Some(pieces) = prefectc::syntax::parse_in_pieces(file, text, 1, both_cores) {
            assert!(
                pieces == whole && whole_diagnostics.is_empty(),
                "a parse in pieces (both cores: {both_cores}) differs from a whole parse"
            );
        }
    }
}

/// The documents of an `lsp` session as whole texts, analysed with what
/// the last analysis kept (`prefectc::Kept`, as the server does) and
/// without: the two must agree in every diagnostic, waiver and emitted
/// byte, whatever the edits between them.
struct Mirror {
    documents: prefectc::lsp::Documents,
    kept: prefectc::Kept,
}

impl Mirror {
    /// Where the server has `name` (see [`uri`]).
    fn path(name: &str) -> std::path::PathBuf {
        std::path::Path::new(LSP_DIR).join(file_name(name))
    }

    /// `name` now has `text`, and the analyses of the root agree.
    fn text(&mut self, name: &str, text: &str) {
        use prefectc::lsp::{Analysis, path_to_uri};
        let path = Mirror::path(name);
        match path_to_uri(&path) {
            Some(uri) if self.documents.get(&path).is_none() => {
                self.documents.open(path, uri, text.to_string())
            }
            Some(_) => {
                self.documents.change(&path, text.to_string());
            }
            None => return,
        }
        let root = Mirror::path("site.pfk");
        let kept = Analysis::run_unless(&root, &self.documents, Some(&self.kept), &|| false)
            .unwrap_or_else(|_| panic!("never given up"));
        let fresh = Analysis::run(&root, &self.documents);
        let (kept, fresh) = (&kept.output, &fresh.output);
        assert_eq!(
            format!("{:?}", kept.diagnostics),
            format!("{:?}", fresh.diagnostics),
            "with what the last analysis kept, the diagnostics differ"
        );
        assert_eq!(
            format!("{:?}", kept.waived),
            format!("{:?}", fresh.waived),
            "with what the last analysis kept, the waivers differ"
        );
        let yaml = |o: &Output| o.objects.as_deref().map(prefectc::emit::yaml);
        assert!(
            yaml(kept) == yaml(fresh),
            "with what the last analysis kept, the objects differ"
        );
    }
}

fn numbers(args: &[&str]) -> Vec<u32> {
    args.iter().map(|a| a.parse().unwrap_or(0)).collect()
}

/// `lsp`: the language server's message handling. The input is a script:
/// the text up to the first line starting `//--- ` opens `site.pfk`; each
/// such line then starts a chunk whose header is a command and whose body
/// is the rest of the chunk:
///
/// - `open NAME`, `change NAME`: the body as a document's whole text;
/// - `edit NAME L1 C1 L2 C2`: the body replaces that range;
/// - `close NAME`, `save NAME`;
/// - `hover|completion|definition NAME L C`, `symbols NAME`, `format NAME`;
/// - `raw`: the body as base-protocol frames (`Content-Length: …`);
/// - `request METHOD` / `notify METHOD`: the body, as JSON, for params;
/// - anything else: the whole chunk as the new text of `site.pfk`.
///
/// After each document text, every request (hover, completion, definition,
/// symbols, formatting) is asked at positions taken from the text. The
/// server must not panic (not even in a handler whose panic it catches),
/// must answer every request exactly once and never with an internal
/// error, and must end cleanly on shutdown and exit. And the parses the
/// server keeps between edits (`syntax::Parses`, which parse only the
/// declarations an edit changed) give, for each whole text in turn, what
/// parsing it whole gives; and an analysis of the whole texts in turn with
/// what the last one kept (parses, evaluations, checks, typed components,
/// lowerings, the credential screen's answers) gives what a fresh one
/// gives.
pub fn lsp(data: &[u8]) {
    watch_panics();
    let text = text_of(data);
    let (server, conn) = lsp_server::Connection::memory();
    let handle = std::thread::Builder::new()
        .name("prefectc-fuzz-lsp".into())
        .stack_size(64 << 20)
        .spawn(move || {
            PANICKED.with(|p| p.set(false));
            let result = prefectc::lsp::serve(&server).map_err(|e| format!("{e:?}"));
            (result, PANICKED.with(Cell::get))
        })
        .expect("a server thread");
    let mut s = Session {
        conn,
        next_id: 0,
        expected: BTreeMap::new(),
    };
    s.request("initialize", serde_json::json!({ "capabilities": {} }));
    s.notify("initialized", serde_json::json!({}));

    let parses = prefectc::syntax::Parses::default();
    let mut mirror = Mirror {
        documents: prefectc::lsp::Documents::default(),
        kept: prefectc::Kept::default(),
    };
    let mut chunks = text.split("\n//--- ");
    let first = chunks.next().unwrap_or_default();
    same_parse(&parses, first);
    mirror.text("site.pfk", first);
    s.open("site.pfk", first);
    s.ask_everything("site.pfk", first);
    for chunk in chunks {
        let (header, body) = chunk.split_once('\n').unwrap_or((chunk, ""));
        let words: Vec<&str> = header.split_whitespace().collect();
        let name = words.get(1).copied().unwrap_or("site.pfk");
        match words.first().copied().unwrap_or("") {
            "open" => {
                same_parse(&parses, body);
                mirror.text(name, body);
                s.open(name, body);
                s.ask_everything(name, body);
            }
            "change" => {
                same_parse(&parses, body);
                mirror.text(name, body);
                s.change(name, serde_json::json!({ "text": body }));
                s.ask_everything(name, body);
            }
            "edit" => {
                let n = numbers(&words[2.min(words.len())..]);
                let at = |i: usize| n.get(i).copied().unwrap_or(0);
                s.change(
                    name,
                    serde_json::json!({
                        "range": { "start": position(at(0), at(1)), "end": position(at(2), at(3)) },
                        "text": body,
                    }),
                );
                s.ask_everything(name, body);
            }
            "close" => s.notify(
                "textDocument/didClose",
                serde_json::json!({ "textDocument": { "uri": uri(name) } }),
            ),
            "save" => s.notify(
                "textDocument/didSave",
                serde_json::json!({ "textDocument": { "uri": uri(name) } }),
            ),
            method @ ("hover" | "completion" | "definition") => {
                let n = numbers(&words[2.min(words.len())..]);
                let p = (
                    n.first().copied().unwrap_or(0),
                    n.get(1).copied().unwrap_or(0),
                );
                s.at(&format!("textDocument/{method}"), name, p);
            }
            "symbols" => s.request(
                "textDocument/documentSymbol",
                serde_json::json!({ "textDocument": { "uri": uri(name) } }),
            ),
            "format" => s.request(
                "textDocument/formatting",
                serde_json::json!({
                    "textDocument": { "uri": uri(name) },
                    "options": { "tabSize": 2, "insertSpaces": true },
                }),
            ),
            "raw" => s.raw(body.as_bytes()),
            kind @ ("request" | "notify") => {
                let params = serde_json::from_str(body).unwrap_or(serde_json::Value::Null);
                let method = words.get(1).copied().unwrap_or("");
                if kind == "request" {
                    s.request(method, params);
                } else if method != "exit" {
                    s.notify(method, params);
                }
            }
            _ => {
                same_parse(&parses, chunk);
                mirror.text("site.pfk", chunk);
                s.change("site.pfk", serde_json::json!({ "text": chunk }));
                s.ask_everything("site.pfk", chunk);
            }
        }
    }
    s.request("shutdown", serde_json::Value::Null);
    s.notify("exit", serde_json::Value::Null);
    let (result, panicked) = handle.join().expect("the server thread does not panic");
    assert!(!panicked, "the language server panicked (and caught it)");
    assert_eq!(result, Ok(()), "the server did not end cleanly");
    let mut answered: BTreeMap<String, usize> = BTreeMap::new();
    for m in s.conn.receiver.try_iter() {
        if let lsp_server::Message::Response(r) = m {
            if let Err(e) = &r.response_result {
                assert_ne!(
                    e.code,
                    lsp_server::ErrorCode::InternalError as i32,
                    "an internal error: {}",
                    e.message
                );
            }
            *answered.entry(r.id.to_string()).or_default() += 1;
        }
    }
    assert_eq!(
        answered, s.expected,
        "every request is answered exactly once (id: count)"
    );
}

/// `prefectc import`: the first byte chooses the chart (its two low bits:
/// server, worker, exporter, agent), whether `--prefect 3.4.25` is given
/// (bit 2) and whether the text after [`INTO_SEPARATOR`] is an `--into`
/// site (bit 3); the rest is one values file. Import never panics; a site it
/// prints is `fmt` output, printed only without errors; its diagnostics and
/// `kubectl` commands render.
pub fn import(data: &[u8]) {
    use prefectc::import::{Chart, Request, import};
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let chart =
        [Chart::Server, Chart::Worker, Chart::Exporter, Chart::Agent][usize::from(first & 3)];
    let text = String::from_utf8_lossy(rest).into_owned();
    let (text, into) = match text.split_once(INTO_SEPARATOR) {
        Some((values, site)) if first & 8 != 0 => (
            values.to_string(),
            Some(("site.pfk".to_string(), site.to_string())),
        ),
        _ => (text, None),
    };
    let request = Request {
        chart,
        files: vec![("values.yaml".to_string(), text)],
        sets: Vec::new(),
        release: chart.default_release().to_string(),
        namespace: "default".to_string(),
        prefect: (first & 4 != 0).then(|| "3.4.25".to_string()),
        into,
    };
    let out = import(&request);
    let _ = render::human(&out.diagnostics, &out.sources, false);
    let _ = out.kubectl_commands(&["values.yaml".to_string()]);
    if let Some(site) = &out.site {
        assert!(!out.has_errors(), "a site printed with errors");
        match prefectc::format(site) {
            Ok(again) => assert_eq!(&again, site, "the printed site is not `fmt` output"),
            Err(e) => panic!("the printed site does not parse: {e:?}\n{site}"),
        }
    }
}

/// In an `import` input with bit 3 of its first byte set, the text after
/// this line is the site of `--into`.
pub const INTO_SEPARATOR: &str = "\n#--- site.pfk\n";

/// Runs the property of the target named `target` (`build_site`, `fmt`,
/// `lsp`, `import`; cargo forbids a binary named `build`).
pub fn check(target: &str, data: &[u8]) {
    match target {
        "build_site" => build(data),
        "fmt" => fmt(data),
        "lsp" => lsp(data),
        "import" => import(data),
        other => panic!("no fuzz target `{other}`"),
    }
}

/// The fuzz targets, as `fuzz/corpus/` and `fuzz/regressions/` name them.
pub const TARGETS: &[&str] = &["build_site", "fmt", "lsp", "import"];
