//! The help of a violated constraint (E0305): it proposes a value, or
//! removing the field, and warns of minimums that are drastic.

use crate::check::types::FieldDef;
use crate::resolve::ValueKind;

/// Fields whose smallest allowed value is drastic rather than small, with
/// what it does: suggested for `-1`, which usually means "no limit" or "the
/// default", it would turn a slip into an outage or a root container.
pub(in crate::check) const DRASTIC_MINIMUM: &[(&str, &str)] = &[
    ("replicas", "runs no pod at all"),
    ("concurrency", "lets no flow run start"),
    ("run-as-user", "runs as root"),
    ("run-as-group", "runs with the root group"),
    ("fs-group", "gives mounted volumes to the root group"),
    (
        "max-unavailable",
        "blocks every voluntary eviction, and so node drains",
    ),
];

/// Optional fields whose absence means "no limit" (the stdlib's docs:
/// `pool.concurrency`, `worker.limit`, `agent.limit`).
pub(in crate::check) const UNSET_IS_UNLIMITED: &[&str] = &["concurrency", "limit"];

/// What leaving an optional field without a default unset means, where it
/// is worth saying.
pub(in crate::check) const UNSET_MEANS: &[(&str, &str)] = &[
    ("run-as-user", "to use the pod's"),
    ("run-as-group", "to use the pod's"),
];

/// The help of E0305 for `v` in field `def`, `nearest` the closest value
/// the constraint allows. A negative value below a lower bound is most
/// likely meant as "unset" (no limit, or the default): the help says to
/// remove the field, where that is allowed, and suggests the bound itself
/// only when it is not drastic ([`DRASTIC_MINIMUM`]). Every help, applied,
/// fixes the error: the field is optional or has a default, or the value
/// suggested satisfies the constraint.
pub(in crate::check) fn out_of_range_help(
    def: &FieldDef,
    v: i64,
    nearest: Option<i64>,
    text: &str,
) -> String {
    let name = &def.name;
    let drastic = DRASTIC_MINIMUM
        .iter()
        .find(|(f, _)| f == name)
        .map(|(_, what)| *what);
    let below_bound = v < 0 && nearest.is_some_and(|n| n > v);
    let default_value = def.default.as_ref().and_then(|d| {
        if let ValueKind::Number(n) = &d.kind {
            n.parse::<i64>().ok()
        } else {
            None
        }
    });
    let default = def
        .default
        .as_ref()
        .map(|_| default_value.map_or(String::new(), |n| format!(", {n}")));
    let remove = if !below_bound {
        None
    } else if let Some(default) = &default {
        Some(format!("remove `{name}` for the default{default}"))
    } else if def.ty.is_optional() {
        let meaning = if UNSET_IS_UNLIMITED.contains(name) {
            " for no limit".to_string()
        } else {
            UNSET_MEANS
                .iter()
                .find(|(f, _)| f == name)
                .map_or(String::new(), |(_, m)| format!(" {m}"))
        };
        Some(format!("leave `{name}` unset{meaning}: remove it"))
    } else {
        None
    };
    match (remove, nearest, drastic) {
        (Some(remove), Some(n), Some(what)) => {
            format!("{remove} (`{name} = {n}` {what})")
        }
        // The default is the bound: one way to say it.
        (Some(remove), Some(n), None) if default_value == Some(n) => remove,
        (Some(remove), Some(n), None) => {
            format!("{remove}, or use the smallest allowed value: `{name} = {n}`")
        }
        (Some(remove), None, _) => remove,
        // Every field of DRASTIC_MINIMUM is optional or has a default (a
        // unit test holds the table to that), so a drastic minimum is
        // never the only suggestion.
        (None, Some(n), _) => format!("the nearest allowed value is {n}: `{name} = {n}`"),
        (None, None, _) => format!("choose a value for which `{text}` holds"),
    }
}
