//! The wording of [`ValueError`], [`SchemaError`] and [`InternalMismatch`].

use super::constraint::out_of_range_help;
use super::{
    Expected, FormatProblem, Found, InternalMismatch, NameProblem, PrimFix, SchemaError,
    UnionAlternative, ValueError,
};
use crate::check::dns::NameSyntax;
use crate::check::types::{Prim, Type};
use crate::diagnostics::{Code, Diagnostic, IntoDiagnostic, Label};
use crate::model::labels::Reserved;
use crate::source::Span;

/// The secondary label of a diagnostic about a value read through a let
/// or param `name`, at its use as `ty`.
pub fn used_here(span: Span, name: &str, ty: &Type) -> Label {
    Label {
        span,
        message: format!("`{name}` is used here, as {}", ty.display()),
    }
}

fn did_you_mean(d: Diagnostic, suggestion: Option<&str>) -> Diagnostic {
    match suggestion {
        Some(s) => d.help(format!("did you mean `{s}`?")),
        None => d,
    }
}

fn backticked(items: &[String]) -> String {
    items
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl NameProblem {
    fn why(self) -> &'static str {
        match self {
            NameProblem::Length => "more than 63 characters",
            NameProblem::Characters => "only lower-case letters, digits and `-`",
            NameProblem::Edges => "must start with a letter and end with a letter or digit",
        }
    }
}

impl Found {
    fn text(&self) -> String {
        match self {
            Found::Name(n) => format!("the name `{n}`"),
            Found::Other(d) => d.to_string(),
        }
    }
}

impl Expected {
    /// What was expected, the help that fixes the value and, when the
    /// help gives it, the exact text that replaces the value.
    fn text_and_help(&self) -> (String, Option<String>, Option<String>) {
        match self {
            Expected::Block { schema } => (format!("a {schema} block `{{ … }}`"), None, None),
            Expected::List { item, written } => (
                format!("a list of {}", item.display()),
                Some(format!("wrap it in a list: `[{written}]`")),
                Some(format!("[{written}]")),
            ),
            Expected::Map => ("a map `{ key = value }`".to_string(), None, None),
            Expected::Type(ty) => (ty.display(), None, None),
            Expected::SecretKey { secret } => (
                "one key of a Secret".to_string(),
                Some(format!("name the key: `secret(\"{secret}\", \"key\")`")),
                None,
            ),
            Expected::WholeSecret { secret } => {
                let fixed = format!("secret(\"{secret}\")");
                (
                    "a whole Secret".to_string(),
                    Some(format!("drop the key: `{fixed}`")),
                    Some(fixed),
                )
            }
            Expected::WholeConfigMap { config_map } => {
                let fixed = format!("config-map(\"{config_map}\")");
                (
                    "a whole ConfigMap".to_string(),
                    Some(format!("drop the key: `{fixed}`")),
                    Some(fixed),
                )
            }
            Expected::WholeNumber { whole } => (
                "a whole number".to_string(),
                Some(format!("round it: `{whole}`")),
                Some(whole.clone()),
            ),
            Expected::Prim { prim, fix } => {
                let (help, fixed) = match fix {
                    Some(PrimFix::QuoteName(n)) => (
                        Some(format!("to use the text, quote it: `\"{n}\"`")),
                        Some(format!("\"{n}\"")),
                    ),
                    Some(PrimFix::QuoteNumber(n)) => (
                        Some(format!("quote it: `\"{n}\"`")),
                        Some(format!("\"{n}\"")),
                    ),
                    Some(PrimFix::Unquote(s)) => {
                        (Some(format!("remove the quotes: `{s}`")), Some(s.clone()))
                    }
                    None => (None, None),
                };
                (prim.name().to_string(), help, fixed)
            }
            Expected::Enum { name, variants } => (
                format!("a {name} (one of {})", backticked(variants)),
                None,
                None,
            ),
            Expected::Union { name, alternatives } => {
                let tags: Vec<String> = alternatives
                    .iter()
                    .map(|a| match a {
                        UnionAlternative::Ref(k) => format!("a {}", k.as_str()),
                        UnionAlternative::Tagged(t) => format!("`{t} {{ … }}`"),
                    })
                    .collect();
                (format!("{name} ({})", tags.join(", ")), None, None)
            }
            Expected::Reference(kind) => (format!("the name of a {}", kind.as_str()), None, None),
        }
    }
}

/// The label of a unit that does not fit `prim`: the units it takes.
fn unit_label(prim: Prim) -> &'static str {
    [
        (
            Prim::Cpu,
            "expected cores (`1`, `0.5`) or millicores (`500m`)",
        ),
        (
            Prim::Memory,
            "expected a size with a unit: `512Mi`, `1Gi`, `1G`",
        ),
        (
            Prim::Duration,
            "expected a duration with a unit: `500ms`, `15s`, `5m`, `1h`",
        ),
        (Prim::Percent, "expected a percentage: `80%`"),
    ]
    .into_iter()
    .find(|(p, _)| *p == prim)
    .map_or("the unit does not fit this field", |(_, label)| label)
}

/// What a value of `prim` is called in a message.
fn noun(prim: Prim) -> &'static str {
    [
        (Prim::Host, "host"),
        (Prim::RouteHost, "host name"),
        (Prim::ObjectName, "object name"),
        (Prim::PortName, "port name"),
        (Prim::Registry, "registry"),
        (Prim::IpAddress, "IP address"),
        (Prim::Secret, "Secret name"),
        (Prim::SecretName, "Secret name"),
        (Prim::ConfigMap, "ConfigMap name"),
        (Prim::ConfigMapName, "ConfigMap name"),
    ]
    .into_iter()
    .find(|(p, _)| *p == prim)
    .map_or(prim.name(), |(_, noun)| noun)
}

/// What a string checked by its name syntax names.
#[derive(Clone, Copy)]
enum Named {
    Host,
    RouteHost,
    Port,
    Registry,
    Object,
}

impl Named {
    fn of(prim: Prim) -> Named {
        [
            (Prim::Host, Named::Host),
            (Prim::RouteHost, Named::RouteHost),
            (Prim::PortName, Named::Port),
            (Prim::Registry, Named::Registry),
        ]
        .into_iter()
        .find(|(p, _)| *p == prim)
        .map_or(Named::Object, |(_, named)| named)
    }
}

/// The label and the help of a host, object name or port name that is
/// not one.
fn name_syntax(prim: Prim, syntax: NameSyntax) -> (String, Option<String>) {
    let named = Named::of(prim);
    let example = match named {
        Named::Host | Named::RouteHost => "`\"prefect.example.com\"`",
        Named::Port => "`\"http\"`",
        Named::Registry => "`\"registry.example.com\"`",
        Named::Object => "`\"my-object\"`",
    };
    let try_ = |fixed: Option<String>, otherwise: String| match (fixed, prim) {
        (Some(f), Prim::Secret) => format!("try `secret(\"{f}\", …)`"),
        (Some(f), Prim::SecretName) => format!("try `secret(\"{f}\")`"),
        (Some(f), Prim::ConfigMap) => format!("try `config-map(\"{f}\", …)`"),
        (Some(f), Prim::ConfigMapName) => format!("try `config-map(\"{f}\")`"),
        (Some(f), _) => format!("try `\"{f}\"`"),
        (None, _) => otherwise,
    };
    match syntax {
        NameSyntax::Empty => (
            "empty".into(),
            Some(match named {
                Named::Host | Named::RouteHost | Named::Port | Named::Registry => {
                    format!("write a name, e.g. {example}")
                }
                Named::Object => "write the name of the object it refers to, or leave the field out where it is optional".into(),
            }),
        ),
        NameSyntax::Url { host } => (
            "a URL or `host:port`: only the host goes here".into(),
            Some(match host {
                Some(h) => format!("write the host alone: `\"{h}\"`"),
                None => "write the host alone, without scheme, path or port".into(),
            }),
        ),
        NameSyntax::Wildcard { host } => (
            "a wildcard cannot be connected to".into(),
            Some(format!("write one host: `\"{host}\"`")),
        ),
        NameSyntax::IpAddress => (
            "an IP address: Ingress and Gateway route DNS names only".into(),
            Some("write the DNS name that resolves to this address".into()),
        ),
        NameSyntax::TooLong { max, fixed } => (
            format!("more than {max} characters"),
            Some(try_(fixed, format!("shorten it to at most {max} characters"))),
        ),
        NameSyntax::Characters { fixed } => {
            let why = match named {
                Named::Port => {
                    "lower-case letters, digits and `-`, without `-` at either end or `--`"
                }
                Named::RouteHost => {
                    "a DNS name, after an optional `*.`: lower-case letters, digits, `-` and `.`, each part starting and ending with a letter or digit"
                }
                Named::Registry => {
                    "a registry host (`registry.example.com`, `localhost:5000`) and an optional path of lower-case letters, digits and separators"
                }
                Named::Host | Named::Object => {
                    "a DNS name: lower-case letters, digits, `-` and `.`, each part starting and ending with a letter or digit"
                }
            };
            (
                why.into(),
                Some(try_(fixed, format!("write a name such as {example}"))),
            )
        }
        NameSyntax::NotIp { ip } => (
            "an IP address, such as `10.0.0.10` or `fd00::10`".into(),
            Some(match ip {
                Some(ip) => format!("write the address alone: `\"{ip}\"`"),
                None => "write the server's IP address, e.g. `\"10.0.0.10\"`".into(),
            }),
        ),
        NameSyntax::Scheme { rest } => (
            "a URL: an image reference has no scheme".into(),
            Some(format!("write it without the scheme: `\"{rest}\"`")),
        ),
        NameSyntax::NotRegistry => (
            "an image reference would read this as a Docker Hub repository, not a registry".into(),
            Some(format!(
                "write the registry's domain, or `localhost` or a port, e.g. {example}"
            )),
        ),
        NameSyntax::NoLetter => (
            "a port name has at least one letter".into(),
            Some(format!("name it with a letter, e.g. {example}")),
        ),
    }
}

impl FormatProblem {
    /// The label and the help.
    fn why_and_help(self, prim: Prim) -> (String, Option<String>) {
        match self {
            FormatProblem::Name(syntax) => name_syntax(prim, syntax),
            FormatProblem::DnsLength => ("a DNS label has 1 to 63 characters".into(), None),
            FormatProblem::DnsChars { fixed } => (
                "lower-case letters, digits and `-`, starting and ending with a letter or digit"
                    .into(),
                Some(format!("try `\"{fixed}\"`")),
            ),
            FormatProblem::UrlScheme { scheme, rest } => (
                format!("`{scheme}://` is not an HTTP scheme"),
                Some(format!(
                    "the Prefect API is served over HTTP: `\"https://{rest}\"`"
                )),
            ),
            FormatProblem::UrlNoScheme { text } => (
                "a URL starts with http:// or https://".into(),
                Some(format!("add the scheme: `\"https://{text}\"`")),
            ),
            FormatProblem::Version => (
                "a version is numbers separated by dots, e.g. `3.4.25`".into(),
                None,
            ),
            FormatProblem::Image {
                message,
                suggestion,
            } => {
                let help = match suggestion {
                    Some(fixed) => format!("did you mean `\"{fixed}\"`?"),
                    None => "write `registry/repository:tag` or `repository@sha256:…`".into(),
                };
                (message, Some(help))
            }
        }
    }
}

impl IntoDiagnostic for ValueError {
    fn into_diagnostic(self) -> Diagnostic {
        match self {
            ValueError::InvalidComponentName {
                span,
                name,
                problem,
            } => Diagnostic::new(
                Code::InvalidFormat,
                span,
                format!("`{name}` cannot name Kubernetes objects"),
            )
            .label(problem.why())
            .help("names are lower-case letters, digits and `-`, at most 63 characters"),
            ValueError::InvalidLabelKey {
                span,
                map,
                key,
                why,
                fixed,
            } => {
                let noun = map.noun();
                Diagnostic::new(
                    Code::InvalidLabel,
                    span,
                    format!("`{}` is not a valid {noun} key", key.escape_debug()),
                )
                .label(why)
                .help(match fixed {
                    Some(fixed) => format!("write the key as `\"{fixed}\"`"),
                    None => "a key is `name` or `prefix/name`: letters, digits, `-`, `_` and `.` (e.g. `\"example.com/team\"`)".to_string(),
                })
            }
            ValueError::InvalidLabelValue {
                span,
                key,
                why,
                fixed,
            } => Diagnostic::new(
                Code::InvalidLabel,
                span,
                format!("not a valid value for the label `{}`", key.escape_debug()),
            )
            .label(why)
            .help(match fixed {
                Some(fixed) => format!("write `\"{fixed}\"`"),
                None => {
                    "use letters, digits, `-`, `_` and `.`, or move the text into an annotation"
                        .to_string()
                }
            }),
            ValueError::ReservedLabel { span, key, use_ } => Diagnostic::new(
                Code::InvalidLabel,
                span,
                format!("`{key}` is a label prefectc sets"),
            )
            .label("set by prefectc")
            .help(match use_ {
                Reserved::Selects => "remove it: prefectc sets it, and it selects the pods",
                Reserved::Describes => "remove it: prefectc sets it on every object it emits",
            }),
            ValueError::AnnotationsTooLarge { span, bytes } => Diagnostic::new(
                Code::InvalidLabel,
                span,
                format!("these annotations hold {bytes} bytes"),
            )
            .label("Kubernetes allows 256 KiB of annotations per object")
            .help("keep large data in a ConfigMap and put its name in the annotation"),
            ValueError::UnknownField {
                span,
                field,
                schema,
                suggestion,
                written,
                fields,
            } => {
                let d = Diagnostic::new(Code::UnknownField, span, "unknown field")
                    .label(format!("{schema} has no field `{field}`"));
                match suggestion {
                    Some(s) if written => d.help(format!(
                        "did you mean `{s}`? It is set in this block already: remove this one"
                    )),
                    Some(s) => d.help(format!("did you mean `{s}`?")).suggest(span, s),
                    None => d.help(format!(
                        "the fields of {schema} are: {}",
                        fields.join(", ")
                    )),
                }
            }
            ValueError::CannotUnset { span, field, ty } => Diagnostic::new(
                Code::TypeMismatch,
                span,
                format!("`{field}` cannot be unset"),
            )
            .label(format!(
                "`none` given for a field of type {}",
                ty.display()
            ))
            .help("remove the line to keep the default, or give a value"),
            ValueError::AppendToNonList { span, field, ty } => Diagnostic::new(
                Code::InvalidAppend,
                span,
                format!("cannot append to `{field}`"),
            )
            .label(format!("`{field}` has type {}, not a list", ty.display()))
            .help(format!("set it with `=`: `{field} = …`")),
            ValueError::NothingToAppendTo {
                span,
                field,
                written,
            } => Diagnostic::new(
                Code::InvalidAppend,
                span,
                format!("`{field}` has nothing to append to"),
            )
            .label("nothing inherited, and no default")
            .help(format!("set it with `=`: `{field} = {written}`")),
            ValueError::MissingField {
                span,
                field,
                schema,
                ty,
                doc,
            } => Diagnostic::new(
                Code::MissingField,
                span,
                format!("missing field `{field}`"),
            )
            .label(format!("{schema} needs `{field}`"))
            .help(format!("add `{field} = …` ({}): {doc}", ty.display())),
            ValueError::MemberCycle {
                span,
                access,
                round,
            } => Diagnostic::new(
                Code::UnresolvedName,
                span,
                format!("`{access}` is defined in terms of itself"),
            )
            .label("reading this field leads back here")
            .note(format!("the reads go round: {}", round.join(" → ")))
            .help("write the value itself in one of the fields, or move it into a `let` both read"),
            ValueError::MemberChainTooDeep {
                span,
                access,
                limit,
            } => Diagnostic::new(
                Code::NestingTooDeep,
                span,
                format!(
                    "this value is read through more than {limit} member accesses (`{access}` among them)"
                ),
            )
            .label("one field too many in the chain")
            .help("write the value in a `let` and read that from every component"),
            ValueError::TypeMismatch {
                span,
                expected,
                found,
            } => {
                let (expected, help, fixed) = expected.text_and_help();
                let d = Diagnostic::new(
                    Code::TypeMismatch,
                    span,
                    format!("expected {expected}, found {}", found.text()),
                )
                .label(format!("expected {expected}"));
                let d = match help {
                    Some(h) => d.help(h),
                    None => d,
                };
                match fixed {
                    Some(f) => d.suggest(span, f),
                    None => d,
                }
            }
            ValueError::LiteralSecret { span } => Diagnostic::new(
                Code::LiteralSecret,
                span,
                "a credential cannot be written in source",
            )
            .label("a literal where a Secret reference is expected")
            .help("store it in a Kubernetes Secret and reference it: `secret(\"name\", \"key\")`")
            .note("prefectc never writes secret values into manifests"),
            ValueError::PortOutOfRange { span, port } => Diagnostic::new(
                Code::ConstraintViolated,
                span,
                "a port is between 1 and 65535",
            )
            .label(format!("{port} is not a port"))
            .help("choose a port between 1 and 65535"),
            ValueError::IntegerTooLarge { span, number } => Diagnostic::new(
                Code::InvalidNumber,
                span,
                format!("`{number}` does not fit in a 64-bit integer"),
            )
            .label("too large"),
            ValueError::InvalidFormat {
                span,
                prim,
                problem,
            } => {
                let (why, help) = problem.why_and_help(prim);
                let d = Diagnostic::new(Code::InvalidFormat, span, format!("not a valid {}", noun(prim)))
                .label(why);
                match help {
                    Some(h) => d.help(h),
                    None => d,
                }
            }
            ValueError::ComponentForPrim {
                span,
                prim,
                name,
                kind,
            } => Diagnostic::new(
                Code::TypeMismatch,
                span,
                format!("expected {}, found {kind} `{name}`", prim.name()),
            )
            .label(format!("expected {}", prim.name()))
            .help(format!("to use the text, quote it: `\"{name}\"`")),
            ValueError::BadUnit { span, prim, error } => {
                let label = error.label.unwrap_or_else(|| unit_label(prim).to_string());
                let d = Diagnostic::new(Code::BadUnit, span, error.message).label(label);
                if let Some(s) = error.suggestion {
                    d.help(format!("did you mean `{s}`?"))
                } else if let Some(h) = error.help {
                    d.help(h)
                } else {
                    d
                }
            }
            ValueError::UnknownEnumVariant {
                span,
                variant,
                enum_name,
                variants,
                suggestion,
            } => did_you_mean(
                Diagnostic::new(
                    Code::UnknownVariant,
                    span,
                    format!("`{variant}` is not a {enum_name}"),
                )
                .label(format!("expected one of {}", backticked(&variants))),
                suggestion.as_deref(),
            ),
            ValueError::AmbiguousEnumName {
                span,
                name,
                enum_name,
                kind,
                declared,
            } => Diagnostic::new(
                Code::AmbiguousName,
                span,
                format!("`{name}` is ambiguous here"),
            )
            .label(format!("both the {enum_name} variant and a {kind}"))
            .with_secondary(declared, format!("the {kind} `{name}`"))
            .help(format!(
                "write the variant as a string, `\"{name}\"`, or rename the {kind}"
            )),
            ValueError::UnknownUnionTag {
                span,
                tag,
                union_name,
                tags,
                suggestion,
            } => did_you_mean(
                Diagnostic::new(
                    Code::UnknownVariant,
                    span,
                    format!("`{tag}` is not a kind of {union_name}"),
                )
                .label(format!("expected one of: {}", tags.join(", "))),
                suggestion.as_deref(),
            ),
            ValueError::WrongKind {
                span,
                name,
                kind,
                declared,
                wanted,
                candidates,
                more,
            } => {
                let wanted: Vec<&str> = wanted.iter().map(|k| k.as_str()).collect();
                let wanted_text = wanted.join(" or ");
                let candidates: Vec<String> =
                    candidates.iter().map(|c| format!("`{c}`")).collect();
                let help = match (candidates.len(), more) {
                    (0, _) => format!(
                        "no {wanted_text} is declared: add one, `{} NAME {{ … }}`",
                        wanted[0]
                    ),
                    (1, 0) => format!("the only {wanted_text} here is {}", candidates[0]),
                    (_, 0) => format!("the candidates here are {}", candidates.join(", ")),
                    (_, more) => format!(
                        "the candidates here are {} and {more} more",
                        candidates.join(", ")
                    ),
                };
                Diagnostic::new(
                    Code::TypeMismatch,
                    span,
                    format!("`{name}` is a {kind}, not a {wanted_text}"),
                )
                .label(format!("expected a {wanted_text}"))
                .with_secondary(declared, format!("the {kind} `{name}`"))
                .help(help)
            }
            ValueError::CannotFind {
                span,
                name,
                kinds,
                suggestion,
            } => {
                let what = if kinds.is_empty() {
                    "no let or param".to_string()
                } else {
                    format!(
                        "no {}, let or param",
                        kinds
                            .iter()
                            .map(|k| k.as_str())
                            .collect::<Vec<_>>()
                            .join(" or ")
                    )
                };
                let d = Diagnostic::new(
                    Code::UnresolvedName,
                    span,
                    format!("cannot find `{name}`"),
                )
                .label(format!("{what} has this name"));
                match (suggestion, kinds.first()) {
                    (Some(s), _) => d.help(format!("did you mean `{s}`?")).suggest(span, s),
                    (None, Some(kind)) => {
                        d.help(format!("declare it: `{} {name} {{ … }}`", kind.as_str()))
                    }
                    (None, None) => d,
                }
            }
            ValueError::NoSuchMember {
                span,
                component,
                member,
                kind,
                declared,
            } => Diagnostic::new(
                Code::UnresolvedName,
                span,
                format!("`{component}` sets no field `{member}`"),
            )
            .label("not written in that component")
            .with_secondary(declared, format!("the {kind} `{component}`"))
            .help("member access reads fields written in the component's block"),
            ValueError::ConstraintViolated {
                span,
                field,
                constraint,
                value,
                nearest,
            } => Diagnostic::new(
                Code::ConstraintViolated,
                span,
                format!("`{}` must satisfy `{constraint}`", field.name),
            )
            .label(format!("{value} is out of range"))
            .help(out_of_range_help(&field, value, nearest, &constraint)),
        }
    }
}

impl IntoDiagnostic for SchemaError {
    fn into_diagnostic(self) -> Diagnostic {
        match self {
            SchemaError::NoLowering { span, kind } => Diagnostic::new(
                Code::UnknownKind,
                span,
                format!("no lowering for component `{kind}`"),
            )
            .label("the compiler cannot emit this kind"),
            SchemaError::UnknownType { span, name } => {
                Diagnostic::new(Code::UnresolvedName, span, format!("unknown type `{name}`"))
                    .label("no schema, enum, union or built-in type has this name")
            }
            SchemaError::RefNamesNoKind { span, name } => Diagnostic::new(
                Code::UnknownKind,
                span,
                format!("`Ref<{name}>` names no component kind"),
            )
            .label("not a component kind"),
        }
    }
}

impl IntoDiagnostic for InternalMismatch {
    fn into_diagnostic(self) -> Diagnostic {
        Diagnostic::new(
            Code::InternalError,
            self.span,
            format!(
                "internal error: `{}` of {} `{}` does not fit its type",
                self.field,
                self.kind.as_str(),
                self.component
            ),
        )
        .label(format!("expected {}, found {}", self.expected, self.found))
        .help("this is a bug in prefectc; please report it with this file")
    }
}
