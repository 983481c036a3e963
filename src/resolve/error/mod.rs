//! The problems of resolving, as data, and their wording: every message,
//! label and help of the `resolve` stage is written in this module.
//! [`ResolveError`] holds the problems of files, imports, declarations,
//! templates and the limits of a build; [`EvalError`] (in `eval.rs`) those
//! of evaluating expressions.

mod eval;

pub use eval::EvalError;

use crate::diagnostics::{Code, Diagnostic, IntoDiagnostic};
use crate::limits::MAX_DEPTH;
use crate::resolve::tree::{Value, ValueKind};
use crate::source::{FileId, ImportPathError, MAX_SOURCE_BYTES, NotUtf8, Span};
use crate::syntax::ast::Ident;

/// A problem found while loading, collecting or merging the declarations
/// of a site, or a limit of the build crossed.
#[derive(Debug, Clone, PartialEq)]
pub enum ResolveError {
    /// A file (imported, the root, standard input, a manifest) is not UTF-8.
    NotUtf8 {
        /// Its first bad byte (as a character of the lossy text).
        span: Span,
        byte: u8,
    },
    /// `import "${x}.pfk"`: an import path with an interpolation.
    InterpolatedImport { span: Span },
    /// An import path that is absolute, empty or climbs out of the project.
    ImportOutsideRoot {
        span: Span,
        path: String,
        why: ImportPathError,
    },
    /// An import whose file is reached outside the project through a
    /// symbolic link.
    ImportThroughLink { span: Span, path: String },
    /// An import that names no file.
    ImportNotFound {
        span: Span,
        /// The importing file, which the path is relative to.
        importer: String,
        /// The imported file's name in the project.
        name: String,
    },
    /// An import whose file exists but cannot be read as a source file.
    ImportUnreadable {
        span: Span,
        name: String,
        why: Unreadable,
    },
    /// An import that leads back to a file being imported.
    ImportCycle {
        span: Span,
        /// The files of the cycle, from the one imported again.
        chain: Vec<String>,
    },
    /// An import that leads back to a file being imported under another
    /// name, through a symbolic link.
    ImportCycleThroughLink {
        span: Span,
        chain: Vec<String>,
        /// The name this import gives the file.
        name: String,
        /// The name it was first imported by.
        first: String,
    },
    /// An attribute in front of a declaration that is not a component.
    MisplacedAttribute { span: Span },
    /// A declaration where it is not allowed: an import or param in a
    /// loop, a type anywhere in a site.
    Misplaced { span: Span, what: Misplaced },
    /// A component or template of a kind no schema declares.
    UnknownKind {
        span: Span,
        kind: String,
        /// The component kinds, listed when nothing is close.
        kinds: Vec<String>,
        suggestion: Option<String>,
    },
    /// `extends NAME` where `NAME` is a template of another kind.
    TemplateOfOtherKind {
        span: Span,
        /// The kind of the component that extends it.
        kind: String,
        name: String,
        other_kind: String,
    },
    /// `extends NAME` where no template has the name.
    UnknownTemplate {
        span: Span,
        kind: String,
        name: String,
        suggestion: Option<String>,
    },
    /// A template that inherits from itself through `extends`.
    ExtendsCycle {
        span: Span,
        /// The templates of the cycle, up to the one extended again.
        chain: Vec<String>,
        name: String,
    },
    /// More than [`MAX_DEPTH`] templates extending each other.
    ExtendsTooDeep { span: Span },
    /// A template that no component extends (W0502).
    UnusedTemplate {
        span: Span,
        kind: String,
        name: String,
    },
    /// Two components (or templates) of one kind with one name, from two
    /// declarations.
    DuplicateComponent {
        span: Span,
        first: Span,
        /// The component kind, or `template`.
        kind: String,
        name: String,
    },
    /// Two components of one kind and name declared by one declaration in
    /// two iterations of a `for` loop.
    DuplicateInLoop {
        span: Span,
        kind: String,
        name: String,
        /// The loop variables whose values differ between the iterations.
        clashes: Vec<LoopClash>,
        /// The innermost-first loop variable, when the name is written
        /// without interpolation (the same in every iteration).
        fixed_name_var: Option<String>,
    },
    /// `key += value` on an inherited value that is not a list.
    AppendToNonList {
        key: Ident,
        /// The inherited value.
        inherited: Value,
    },
    /// `key += value` where the value is not a list.
    AppendNonList {
        key: Ident,
        value: Value,
        /// The list it would be appended to, if inherited.
        inherited: Option<Span>,
    },
    /// Evaluation took more than `limit` steps ([`crate::limits::MAX_STEPS`] unless
    /// raised, E0313).
    TooManySteps { span: Span, limit: u64 },
    /// Evaluation recursed more than [`MAX_DEPTH`] levels (E0106).
    EvaluationTooDeep { span: Span },
    /// A value with more than `limit` bytes of text ([`crate::limits::MAX_STRING_BYTES`]
    /// unless raised, E0313).
    TextTooLong { span: Span, limit: usize },
    /// A value with more than `limit` elements ([`crate::limits::MAX_VALUE_ELEMENTS`]
    /// unless raised, E0313).
    TooManyElements { span: Span, limit: usize },
    /// A value nested more than [`MAX_DEPTH`] levels (E0106).
    ValueTooDeep { span: Span },
    /// More than `limit` components ([`crate::limits::MAX_COMPONENTS`] unless raised or
    /// lowered, E0313).
    TooManyComponents { span: Span, limit: usize },
}

/// A declaration that is not allowed where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Misplaced {
    /// An import inside a `for` loop.
    Import,
    /// A param inside a `for` loop.
    Param,
    /// A schema, enum or union in a site.
    Type,
}

/// Why an imported file cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unreadable {
    /// A directory, named pipe, device or socket: the words for it.
    NotRegular(&'static str),
    TooLarge,
    NotUtf8,
    Io(std::io::ErrorKind),
}

/// A loop variable with a different value in the two iterations that
/// declare one component.
#[derive(Debug, Clone, PartialEq)]
pub struct LoopClash {
    pub var: String,
    pub first: Value,
    pub second: Value,
}

impl ResolveError {
    /// A file that is not UTF-8, at its first bad byte.
    pub fn not_utf8(file: FileId, bad: &NotUtf8) -> ResolveError {
        let end = bad.lossy[bad.offset..]
            .chars()
            .next()
            .map_or(bad.offset, |c| bad.offset + c.len_utf8());
        ResolveError::NotUtf8 {
            span: Span::new(file, bad.offset, end),
            byte: bad.byte,
        }
    }
}

const OUTSIDE_ROOT_HELP: &str = "imports name files inside the project (the directory of the \
                                 file given to prefectc), relative to the importing file";

fn exceeded(span: Span, message: String, label: &str, help: &str) -> Diagnostic {
    Diagnostic::new(
        Code::EvaluationBudget,
        span,
        format!("evaluation budget exceeded: {message}"),
    )
    .label(label)
    .help(help)
}

const TOO_LARGE_HELP: &str = "a value this large is generated by mistake: look for doublings \
                              through lets (`let b = a + a`) or a list copied into itself; \
                              for a site this large on purpose, `--max-components N` (an \
                              editor's `maxComponents`) raises this limit with the number of \
                              components (docs/language.md, \"Limits\")";

impl IntoDiagnostic for ResolveError {
    fn into_diagnostic(self) -> Diagnostic {
        match self {
            ResolveError::NotUtf8 { span, byte } => {
                Diagnostic::new(Code::NotUtf8, span, "file is not UTF-8")
                    .label(format!("byte 0x{byte:02X} is not UTF-8"))
                    .help(
                        "save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`); prefectc \
                         reads no other encoding",
                    )
            }
            ResolveError::InterpolatedImport { span } => Diagnostic::new(
                Code::ImportNotFound,
                span,
                "an import path cannot be interpolated",
            )
            .label("write the path out")
            .help("imports are resolved before parameters and lets have values"),
            ResolveError::ImportOutsideRoot { span, path, why } => {
                let why = match why {
                    ImportPathError::Absolute => "an absolute path",
                    ImportPathError::EscapesRoot => "outside the project root",
                    ImportPathError::Empty => "an empty path",
                };
                Diagnostic::new(
                    Code::ImportOutsideRoot,
                    span,
                    format!("cannot import `{path}`"),
                )
                .label(why)
                .help(OUTSIDE_ROOT_HELP)
            }
            ResolveError::ImportThroughLink { span, path } => Diagnostic::new(
                Code::ImportOutsideRoot,
                span,
                format!("cannot import `{path}`"),
            )
            .label("resolves outside the project root through a symbolic link")
            .help(
                "imports read only files inside the project (the directory of the file given to \
                 prefectc): copy the file into the project instead of linking to it",
            ),
            ResolveError::ImportNotFound {
                span,
                importer,
                name,
            } => Diagnostic::new(
                Code::ImportNotFound,
                span,
                format!("file not found: `{name}`"),
            )
            .label("no such file in the project")
            .help(format!(
                "the path is relative to the importing file, `{importer}`: check the spelling, \
                 or create `{name}`"
            )),
            ResolveError::ImportUnreadable { span, name, why } => {
                use std::io::ErrorKind;
                let (why, help) = match why {
                    Unreadable::NotRegular(kind) => (
                        format!("not a regular file: `{name}` is {kind}"),
                        "an import names a regular `.pfk` file inside the project",
                    ),
                    Unreadable::TooLarge => (
                        format!("larger than the {} MiB limit", MAX_SOURCE_BYTES >> 20),
                        "split it into smaller files that import each other",
                    ),
                    Unreadable::NotUtf8 => ("not UTF-8 text".to_string(), "save it as UTF-8"),
                    Unreadable::Io(kind) => (
                        match kind {
                            ErrorKind::PermissionDenied => "permission denied".to_string(),
                            ErrorKind::InvalidData => "not UTF-8 text".to_string(),
                            ErrorKind::IsADirectory => "a directory, not a file".to_string(),
                            other => other.to_string(),
                        },
                        "an import names a readable `.pfk` text file inside the project",
                    ),
                };
                Diagnostic::new(Code::ImportNotFound, span, format!("cannot read `{name}`"))
                    .label(why)
                    .help(help)
            }
            ResolveError::ImportCycle { span, chain } => Diagnostic::new(
                Code::ImportCycle,
                span,
                format!("import cycle: {}", chain.join(" → ")),
            )
            .label("this import closes the cycle")
            .help("move what both files need into a third file that imports neither"),
            ResolveError::ImportCycleThroughLink {
                span,
                chain,
                name,
                first,
            } => Diagnostic::new(
                Code::ImportCycle,
                span,
                format!("import cycle: {}", chain.join(" → ")),
            )
            .label(format!(
                "this import closes the cycle: `{name}` is `{first}` through a symbolic link"
            ))
            .help(format!(
                "a file cannot import itself: remove this import, or the link that makes `{name}` \
                 lead to `{first}`"
            )),
            ResolveError::MisplacedAttribute { span } => Diagnostic::new(
                Code::InvalidAttribute,
                span,
                "attributes apply to components and fields",
            )
            .label("nothing here for this attribute to apply to")
            .help("move it in front of a component or one of its fields"),
            ResolveError::Misplaced { span, what } => {
                let (what, help) = match what {
                    Misplaced::Import => (
                        "an import",
                        "move it to the top level of the file: imports are read before loops run",
                    ),
                    Misplaced::Param => (
                        "a param",
                        "move it to the top level of the file: params are set once per build",
                    ),
                    Misplaced::Type => (
                        "a schema, enum or union",
                        "the component schemas and their types come with prefectc and cannot be \
                         declared in a site; to share settings, write a `let` or a \
                         `template KIND NAME { … }` that components extend",
                    ),
                };
                Diagnostic::new(
                    Code::MisplacedDeclaration,
                    span,
                    format!("{what} is not allowed here"),
                )
                .label("not allowed here")
                .help(help)
            }
            ResolveError::UnknownKind {
                span,
                kind,
                kinds,
                suggestion,
            } => {
                let d = Diagnostic::new(
                    Code::UnknownKind,
                    span,
                    format!("unknown component kind `{kind}`"),
                )
                .label("not a component kind");
                match suggestion {
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None => d.help(format!("the component kinds are: {}", kinds.join(", "))),
                }
            }
            ResolveError::TemplateOfOtherKind {
                span,
                kind,
                name,
                other_kind,
            } => Diagnostic::new(
                Code::UnknownTemplate,
                span,
                format!("no {kind} template named `{name}`"),
            )
            .label(format!("`{name}` is a {other_kind} template"))
            .help(format!("a {kind} can only extend a {kind} template")),
            ResolveError::UnknownTemplate {
                span,
                kind,
                name,
                suggestion,
            } => {
                let d = Diagnostic::new(
                    Code::UnknownTemplate,
                    span,
                    format!("no {kind} template named `{name}`"),
                )
                .label("unknown template");
                match suggestion {
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None => d.help(format!("declare it with `template {kind} {name} {{ … }}`")),
                }
            }
            ResolveError::ExtendsCycle { span, chain, name } => Diagnostic::new(
                Code::ExtendsCycle,
                span,
                format!("template `{name}` extends itself"),
            )
            .label(format!("cycle: {} → {name}", chain.join(" → ")))
            .help("break the cycle: a template cannot inherit from one of its own descendants"),
            ResolveError::ExtendsTooDeep { span } => Diagnostic::new(
                Code::NestingTooDeep,
                span,
                format!("nesting too deep: more than {MAX_DEPTH} templates extend each other"),
            )
            .label(format!(
                "this `extends` is more than {MAX_DEPTH} templates deep"
            ))
            .help("flatten it: let fewer templates extend each other, and merge their fields"),
            ResolveError::UnusedTemplate { span, kind, name } => Diagnostic::new(
                Code::UnusedDeclaration,
                span,
                format!("unused template `{name}`"),
            )
            .label("no component extends it")
            .help(format!(
                "extend it, `{kind} NAME extends {name} {{ … }}`, or remove it"
            )),
            ResolveError::DuplicateComponent {
                span,
                first,
                kind,
                name,
            } => Diagnostic::new(
                Code::DuplicateComponent,
                span,
                format!("{kind} `{name}` is declared twice"),
            )
            .label(format!("second {kind} named `{name}`"))
            .with_secondary(first, "first declared here")
            .help(format!(
                "rename one of them, or merge their fields into one {kind}"
            )),
            ResolveError::DuplicateInLoop {
                span,
                kind,
                name,
                clashes,
                fixed_name_var,
            } => {
                let mut d = Diagnostic::new(
                    Code::DuplicateComponent,
                    span,
                    format!("{kind} `{name}` is declared twice"),
                )
                .label(format!(
                    "this loop declares the {kind} `{name}` in two iterations"
                ));
                for LoopClash { var, first, second } in clashes {
                    let (t1, t2) = (loop_value(&first.kind), loop_value(&second.kind));
                    d = d
                        .with_secondary(first.span, format!("`{var} = {t1}` declares it first"))
                        .with_secondary(second.span, format!("`{var} = {t2}` declares it again"));
                }
                d.help(match fixed_name_var {
                    Some(var) => format!(
                        "the name is the same in every iteration: make it depend on the loop, \
                         e.g. `{kind} \"{name}-${{{var}}}\"`"
                    ),
                    None => "remove the repeated element from the list, or make the name differ \
                             per iteration"
                        .to_string(),
                })
            }
            ResolveError::AppendToNonList { key, inherited } => Diagnostic::new(
                Code::InvalidAppend,
                key.span,
                format!("cannot append to `{}`", key.name),
            )
            .label(format!(
                "the inherited value is {}, not a list",
                inherited.kind.describe()
            ))
            .with_secondary(inherited.span, "inherited from here")
            .help(format!(
                "`+=` appends to a list; to replace the value, use `=`: `{} = …`",
                key.name
            )),
            ResolveError::AppendNonList {
                key,
                value,
                inherited,
            } => {
                let d = Diagnostic::new(
                    Code::InvalidAppend,
                    value.span,
                    format!("`+=` appends a list, not {}", value.kind.describe()),
                )
                .label(format!("this is {}", value.kind.describe()))
                .help(format!(
                    "wrap it in a list: `{} += [{}]`",
                    key.name,
                    value.as_written()
                ));
                match inherited {
                    Some(span) => d.with_secondary(span, "the inherited list"),
                    None => d,
                }
            }
            ResolveError::TooManySteps { span, limit } => exceeded(
                span,
                format!("evaluating the site takes more than {limit} steps"),
                "the build stopped while evaluating this expression",
                "the site computes too much: look for doublings through lets, long lists \
                 copied many times, or `for` loops nested over long lists; for a site this \
                 large on purpose, `--max-components N` (an editor's `maxComponents`) raises \
                 this limit with the number of components (docs/language.md, \"Limits\")",
            ),
            ResolveError::EvaluationTooDeep { span } => Diagnostic::new(
                Code::NestingTooDeep,
                span,
                format!("nesting too deep: evaluation goes more than {MAX_DEPTH} levels deep"),
            )
            .label(
                "evaluating this needs values nested inside more than 128 others, counted \
                 through lets",
            )
            .help("flatten it: fewer lets defined through other lets, fewer nested values"),
            ResolveError::TextTooLong { span, limit } => exceeded(
                span,
                format!("the text of this value is longer than {limit} bytes"),
                "this expression gives more text than the limit",
                TOO_LARGE_HELP,
            ),
            ResolveError::TooManyElements { span, limit } => exceeded(
                span,
                format!("this value has more than {limit} elements"),
                "this expression gives a value larger than the limit",
                TOO_LARGE_HELP,
            ),
            ResolveError::ValueTooDeep { span } => Diagnostic::new(
                Code::NestingTooDeep,
                span,
                format!("nesting too deep: a value nested more than {MAX_DEPTH} levels"),
            )
            .label("this value nests lists or blocks more than 128 levels deep")
            .help("flatten it: fewer lists or blocks inside each other"),
            ResolveError::TooManyComponents { span, limit } => exceeded(
                span,
                format!("the site declares more than {limit} components"),
                "this is one component too many",
                "generate fewer components: a `for` loop over a long list, or loops nested \
                 inside each other, multiply quickly; for a site this large on purpose, \
                 `--max-components N` (an editor's `maxComponents`) with N at least the \
                 components it declares raises the limit (docs/language.md, \"Limits\")",
            ),
        }
    }
}

/// A loop value as it would be written, for labels.
fn loop_value(v: &ValueKind) -> String {
    match v {
        ValueKind::Str(s) => format!("{s:?}"),
        ValueKind::Number(n) => n.clone(),
        ValueKind::Bool(b) => b.to_string(),
        ValueKind::Quantity { number, suffix } => format!("{number}{suffix}"),
        ValueKind::Name(n) => n.clone(),
        other => other.describe().to_string(),
    }
}
