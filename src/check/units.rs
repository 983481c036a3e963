//! Unit literals read against the expected type: Cpu, Memory, Duration, Percent.

use super::model::Quantity;

/// Why a number and suffix do not make a value of the expected type: the
/// message, a suggested replacement, and for problems other than the unit
/// (a value out of range) the label, else the caller's list of units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitError {
    pub message: String,
    pub suggestion: Option<String>,
    /// Says what is wrong under the value, when it is not the unit.
    pub label: Option<String>,
    /// What to write, when no single replacement can be guessed.
    pub help: Option<String>,
}

fn err(message: impl Into<String>, suggestion: Option<String>) -> UnitError {
    UnitError {
        message: message.into(),
        suggestion,
        label: None,
        help: None,
    }
}

/// An error in the number rather than its unit.
fn out_of_range(message: impl Into<String>, label: &str) -> UnitError {
    UnitError {
        label: Some(label.to_string()),
        ..err(message, None)
    }
}

const CPU_UNITS: &str = "CPU is written in cores (`1`, `0.5`) or millicores (`500m`)";
const MEMORY_UNITS: &str = "memory units are `Ki`, `Mi`, `Gi`, `Ti`, `Pi`, `Ei` (powers of 1024) \
     and `k`, `M`, `G`, `T`, `P`, `E` (powers of 1000)";

fn parse_number(n: &str) -> Option<f64> {
    n.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// CPU: `500m`, `1`, `2.5` (cores).
pub fn cpu(number: &str, suffix: Option<&str>) -> Result<Quantity, UnitError> {
    let v = parse_number(number).ok_or_else(|| out_of_range("not a number", "not a number"))?;
    if v < 0.0 {
        return Err(out_of_range("CPU cannot be negative", "below zero"));
    }
    let milli = match suffix {
        None => v * 1000.0,
        Some("m") => v,
        Some(s) => {
            let is_memory = BINARY.iter().chain(DECIMAL).any(|(u, _)| *u == s);
            let help = if is_memory {
                format!("`{s}` is a memory unit; {CPU_UNITS}")
            } else {
                CPU_UNITS.to_string()
            };
            return Err(UnitError {
                help: Some(help),
                ..err(
                    format!("`{s}` is not a CPU unit"),
                    Some(format!("{number}m")).filter(|_| s.eq_ignore_ascii_case("mi") || s == "M"),
                )
            });
        }
    };
    if milli.fract() != 0.0 {
        return Err(UnitError {
            label: Some("less than a whole millicore".into()),
            ..err(
                "CPU is counted in whole millicores",
                Some(format!("{}m", milli.round().max(1.0))),
            )
        });
    }
    if milli >= 9.2e18 {
        return Err(out_of_range("too large to be a CPU amount", "out of range"));
    }
    let milli = milli as i128;
    let text = if milli % 1000 == 0 {
        (milli / 1000).to_string()
    } else {
        format!("{milli}m")
    };
    Ok(Quantity::new(text, milli))
}

const BINARY: &[(&str, u32)] = &[
    ("Ki", 1),
    ("Mi", 2),
    ("Gi", 3),
    ("Ti", 4),
    ("Pi", 5),
    ("Ei", 6),
];
const DECIMAL: &[(&str, u32)] = &[("k", 1), ("M", 2), ("G", 3), ("T", 4), ("P", 5), ("E", 6)];

/// Memory and storage: `512Mi`, `1Gi`, `1G`, `128974848`.
pub fn memory(number: &str, suffix: Option<&str>) -> Result<Quantity, UnitError> {
    let v = parse_number(number).ok_or_else(|| out_of_range("not a number", "not a number"))?;
    if v < 0.0 {
        return Err(out_of_range("memory cannot be negative", "below zero"));
    }
    let factor: f64 = match suffix {
        None => 1.0,
        Some(s) => {
            if let Some((_, p)) = BINARY.iter().find(|(u, _)| *u == s) {
                1024f64.powi(*p as i32)
            } else if let Some((_, p)) = DECIMAL.iter().find(|(u, _)| *u == s) {
                1000f64.powi(*p as i32)
            } else {
                return Err(memory_suffix_error(number, s));
            }
        }
    };
    let bytes = v * factor;
    if bytes >= 9.2e18 {
        return Err(out_of_range(
            "too large to be a memory size",
            "more than 8 EiB",
        ));
    }
    if bytes.fract() != 0.0 {
        return Err(UnitError {
            help: Some("use a smaller unit, e.g. `1536Mi` for 1.5Gi".into()),
            ..out_of_range("memory is counted in whole bytes", "a fraction of a byte")
        });
    }
    Ok(Quantity::new(
        format!("{number}{}", suffix.unwrap_or("")),
        bytes as i128 * 1000,
    ))
}

fn memory_suffix_error(number: &str, s: &str) -> UnitError {
    match s {
        "m" => err(
            format!("`{number}m` is {number} millibytes"),
            Some(format!("{number}Mi")),
        ),
        _ => {
            let lower = s.to_ascii_lowercase();
            let guess = match lower.trim_end_matches('b') {
                "ki" | "k" => Some("Ki"),
                "mi" | "m" => Some("Mi"),
                "gi" | "g" => Some("Gi"),
                "ti" | "t" => Some("Ti"),
                _ => None,
            };
            UnitError {
                help: Some(MEMORY_UNITS.to_string()),
                ..err(
                    format!("`{s}` is not a memory unit"),
                    guess.map(|g| format!("{number}{g}")),
                )
            }
        }
    }
}

/// Durations: `500ms`, `15s`, `5m`, `1h`; in milliseconds.
pub fn duration(number: &str, suffix: Option<&str>) -> Result<u64, UnitError> {
    let v = parse_number(number).ok_or_else(|| out_of_range("not a number", "not a number"))?;
    if v < 0.0 {
        return Err(out_of_range("a duration cannot be negative", "below zero"));
    }
    let factor = match suffix {
        Some("ms") => 1.0,
        Some("s") => 1000.0,
        Some("m") => 60_000.0,
        Some("h") => 3_600_000.0,
        None => return Err(err("a duration needs a unit", Some(format!("{number}s")))),
        Some(s) => {
            return Err(err(
                format!("`{s}` is not a duration unit (ms, s, m, h)"),
                Some(format!("{number}s")),
            ));
        }
    };
    let ms = v * factor;
    if ms >= 1.8e19 {
        return Err(out_of_range("too long to be a duration", "out of range"));
    }
    if ms.fract() != 0.0 {
        return Err(UnitError {
            help: Some("use a smaller unit, e.g. `1500ms` for 1.5s".into()),
            ..out_of_range(
                "durations are counted in whole milliseconds",
                "a fraction of a millisecond",
            )
        });
    }
    Ok(ms as u64)
}

/// Percentages: `80%`.
pub fn percent(number: &str, suffix: Option<&str>) -> Result<u32, UnitError> {
    match suffix {
        Some("%") => {}
        _ => return Err(err("a percentage needs `%`", Some(format!("{number}%")))),
    }
    number.parse::<u32>().map_err(|_| {
        out_of_range(
            "a percentage is a whole, non-negative number",
            "not a whole percentage",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_reads_cores_and_millicores() {
        assert_eq!(cpu("500", Some("m")).unwrap().text, "500m");
        assert_eq!(cpu("1", None).unwrap().text, "1");
        assert_eq!(cpu("2.5", None).unwrap().text, "2500m");
        assert_eq!(cpu("1", None).unwrap().milli(), 1000);
        assert!(cpu("1", Some("Gi")).is_err());
    }

    #[test]
    fn memory_rejects_millibytes_with_a_suggestion() {
        let e = memory("512", Some("m")).unwrap_err();
        assert_eq!(e.suggestion.as_deref(), Some("512Mi"));
        assert_eq!(
            memory("1", Some("Gi")).unwrap().milli(),
            1024 * 1024 * 1024 * 1000
        );
        assert_eq!(
            memory("512", Some("MB")).unwrap_err().suggestion.as_deref(),
            Some("512Mi")
        );
    }

    #[test]
    fn durations_need_units() {
        assert_eq!(duration("15", Some("s")).unwrap(), 15_000);
        assert_eq!(duration("5", Some("m")).unwrap(), 300_000);
        assert_eq!(
            duration("15", None).unwrap_err().suggestion.as_deref(),
            Some("15s")
        );
        assert_eq!(percent("80", Some("%")).unwrap(), 80);
    }
}
