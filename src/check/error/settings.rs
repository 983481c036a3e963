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
