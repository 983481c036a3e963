//! `extends`: the deep merge of a component onto its template. Fields
//! override, blocks merge, lists replace, and `+=` appends to the inherited
//! list.

use super::error::ResolveError;
use super::tree::{Field, Record, Value, ValueKind};
use crate::diagnostics::Diagnostics;

/// `own` written on top of `base`.
pub fn merge(mut base: Record, own: Record, diags: &mut Diagnostics) -> Record {
    for (name, field) in own.fields {
        let Some(inherited) = base.fields.get_mut(&name) else {
            base.fields.insert(name, field);
            continue;
        };
        let merged = merge_value(inherited.value.clone(), &field, diags);
        inherited.value = merged;
        inherited.key = field.key;
        inherited.attrs.extend(field.attrs);
        inherited.append_to_default &= field.append_to_default;
    }
    base.span = own.span;
    base
}

fn merge_value(base: Value, field: &Field, diags: &mut Diagnostics) -> Value {
    let own = field.value.clone();
    // The merged value is written where the component's own value is.
    let at = |kind: ValueKind| Value {
        kind,
        span: own.span,
        used_at: own.used_at.clone(),
    };
    // A value that failed to evaluate has been reported: whatever depends on
    // it is unknown, and reporting more would repeat that error.
    let poisoned = |v: &Value| v.kind == ValueKind::Poisoned;
    if poisoned(&own)
        || (poisoned(&base)
            && (field.append_to_default
                || matches!(own.kind, ValueKind::Record(_) | ValueKind::Tagged { .. })))
    {
        return at(ValueKind::Poisoned);
    }
    if field.append_to_default {
        // After an error the field is poisoned: it has been reported once.
        return match (base.kind, own.kind.clone()) {
            (ValueKind::List(mut a), ValueKind::List(b)) => {
                a.extend(b);
                at(ValueKind::List(a))
            }
            (ValueKind::List(_), _) => {
                diags.report(ResolveError::AppendNonList {
                    key: field.key.clone(),
                    value: own.clone(),
                    inherited: Some(base.span),
                });
                at(ValueKind::Poisoned)
            }
            (other, _) => {
                diags.report(ResolveError::AppendToNonList {
                    key: field.key.clone(),
                    inherited: Value::new(other, base.span),
                });
                at(ValueKind::Poisoned)
            }
        };
    }
    match (base.kind, own.kind.clone()) {
        (ValueKind::Record(a), ValueKind::Record(b)) => at(ValueKind::Record(merge(a, b, diags))),
        (ValueKind::Tagged { tag: ta, body: a }, ValueKind::Tagged { tag: tb, body: b })
            if ta.name == tb.name =>
        {
            at(ValueKind::Tagged {
                tag: tb,
                body: merge(a, b, diags),
            })
        }
        _ => own,
    }
}
