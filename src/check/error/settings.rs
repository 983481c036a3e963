//! The wording of [`SettingError`]: settings that need, or are turned off
//! by, other settings.

use super::SettingError;
use crate::diagnostics::{Code, Diagnostic, IntoDiagnostic};

impl IntoDiagnostic for SettingError {
    fn into_diagnostic(self) -> Diagnostic {
        match self {
            SettingError::MigrationsOffInServerPod { span } => Diagnostic::new(
                Code::NeedsSetting,
                span,
                "there is no migrations Job to turn off: this server migrates on start",
            )
            .label("migrations Job turned off")
            .help(
                "the Job exists with `background-services { separate = true, … }`; without it, remove `enabled = false`",
            )
            .note("in one pod, the API runs the migrations itself before it serves"),
            SettingError::SettingOfDisabled {
                span,
                field,
                off,
                what,
            } => Diagnostic::new(
                Code::ExposureConflict,
                span,
                format!("`{field}` is set, but {what} is turned off"),
            )
            .label("would go nowhere")
            .with_secondary(off, "turned off here")
            .help(format!("remove `{field}`, or turn {what} back on")),
            SettingError::NegativeGroup { span, value } => Diagnostic::new(
                Code::ConstraintViolated,
                span,
                "a supplemental group is a group ID, 0 or more",
            )
            .label(format!("{value} is out of range"))
            .help("write the numeric ID of an existing group, as `id -g` prints it"),
            SettingError::NeedsSeparateServices { span, field } => Diagnostic::new(
                Code::NeedsSetting,
                span,
                format!("`background-services.{field}` needs the services in pods of their own"),
            )
            .label("no background-services pod to apply it to")
            .help("add `separate = true` (with `messaging`), or set it on the server, whose API pods run the services")
            .note("without `separate`, the scheduler and the other services run inside the API pods"),
            SettingError::NeedsGatewayClass { span, field } => Diagnostic::new(
                Code::NeedsSetting,
                span,
                format!("`{field}` is a setting of a Gateway prefectc creates, and this gateway has no `class`"),
            )
            .label("the existing Gateway is not prefectc's to change")
            .help(format!(
                "set `class` to create a Gateway, or remove `{field}` and configure the existing Gateway where it is managed"
            )),
            SettingError::NamespaceOfCreatedGateway { span, class } => Diagnostic::new(
                Code::ExposureConflict,
                span,
                "a Gateway prefectc creates is in the site's namespace",
            )
            .label("namespace of an existing Gateway")
            .with_secondary(class, "a Gateway is created")
            .help("remove `namespace`, or remove `class` to attach to the existing Gateway `name` in that namespace"),
            SettingError::NothingToEmit { span } => Diagnostic::new(
                Code::NeedsSetting,
                span,
                "without a route and without `class`, this gateway emits nothing",
            )
            .label("no HTTPRoute")
            .help("remove `route = false` to attach the server to the existing Gateway, or set `class` to create a Gateway for routes made elsewhere"),
            SettingError::RedirectWithoutHttps { span } => Diagnostic::new(
                Code::NeedsSetting,
                span,
                "a redirect to HTTPS needs an HTTPS listener on the Gateway",
            )
            .label("the created Gateway serves plain HTTP only")
            .help("add `tls = secret(\"<certificate>\")` (or an `https` listener), or remove `redirect-to-https`"),
            SettingError::KeysWithoutSecret { span } => Diagnostic::new(
                Code::NeedsSetting,
                span,
                "`keys` name keys of a Secret, but no `secret` is given",
            )
            .label("nothing to read these keys from")
            .help("add `secret = secret(\"<name>\")`, the Secret holding the connection's parts, or remove `keys`"),
            SettingError::PostgresUrlAndSecret { span, url } => Diagnostic::new(
                Code::ExposureConflict,
                span,
                "give the PostgreSQL URL or its parts, not both",
            )
            .label("parts read from this Secret")
            .with_secondary(url, "URL given")
            .help("remove `url` to read the parts from the Secret, or remove `secret`"),
            SettingError::PostgresPartTwice {
                span,
                part,
                key,
                secret,
            } => Diagnostic::new(
                Code::ExposureConflict,
                span,
                format!("`{part}` is written, and also read from the Secret's key `{key}`"),
            )
            .label("written here")
            .with_secondary(secret, "read from this Secret")
            .help(format!(
                "remove `{part}` to read it from the Secret, or write `keys {{ {part} = none }}` to use the written value"
            )),
        }
    }
}
