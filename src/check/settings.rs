//! Rules about settings that only mean something together with others: a
//! setting that needs another one, or that another one turns off.

use super::error::SettingError;
use super::model::{CheckedComponent as Component, Rec};
use crate::diagnostics::Diagnostics;

/// The fields of `rec` written in the source (not stdlib defaults), but `except`.
fn written<'a>(
    rec: &'a Rec,
    except: &'a str,
) -> impl Iterator<Item = (&'a str, &'a super::model::Typed)> {
    rec.fields
        .iter()
        .filter(move |(name, t)| name.as_str() != except && !t.prov.is_default())
        .map(|(name, t)| (name.as_str(), t))
}

/// `migrations.enabled = false`: only a Job there is can be turned off, and
/// the Job's other settings would go nowhere.
pub fn server_migrations(s: &Component, diags: &mut Diagnostics) {
    let Some(m) = s.fields.record("migrations") else {
        return;
    };
    let Some(off) = m
        .get("enabled")
        .filter(|t| t.value == super::model::TVal::Bool(false))
    else {
        return;
    };
    let separate = s
        .fields
        .record("background-services")
        .is_some_and(|bg| bg.bool("separate") == Some(true));
    if !separate {
        diags.report(SettingError::MigrationsOffInServerPod {
            span: off.prov.span(),
        });
    }
    for (field, t) in written(m, "enabled") {
        diags.report(SettingError::SettingOfDisabled {
            span: t.prov.span(),
            field: format!("migrations.{field}"),
            off: off.prov.span(),
            what: "the migrations Job",
        });
    }
}
