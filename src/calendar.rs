//! Calendar dates as the command line (`--today`) and waivers (`until`)
//! write them: `YYYY-MM-DD`, a day that exists in the Gregorian calendar.

use std::fmt;

/// A valid date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: u32,
    pub month: u32,
    pub day: u32,
}

/// Why a text is not a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateError {
    /// Not of the form `YYYY-MM-DD` (four, two and two digits).
    Shape,
    /// A month outside 1–12.
    NoSuchMonth(u32),
    /// A day the month does not have: the last day it has.
    NoSuchDay { year: u32, month: u32, last: u32 },
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::Shape => write!(f, "not a date of the form YYYY-MM-DD"),
            DateError::NoSuchMonth(m) => write!(f, "there is no month {m}"),
            DateError::NoSuchDay { year, month, last } => {
                write!(f, "{} {year} has {last} days", MONTHS[*month as usize - 1])
            }
        }
    }
}

impl DateError {
    /// A date close to the one meant, for a help text.
    pub fn suggestion(&self) -> Option<String> {
        match *self {
            DateError::Shape => None,
            DateError::NoSuchMonth(_) => None,
            DateError::NoSuchDay { year, month, last } => {
                Some(format!("{year:04}-{month:02}-{last:02}"))
            }
        }
    }
}

fn is_leap(year: u32) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Reads `YYYY-MM-DD`, refusing days that do not exist (`2026-02-30`).
pub fn parse_date(s: &str) -> Result<Date, DateError> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 10
        || b[4] != b'-'
        || b[7] != b'-'
        || !digits(0..4)
        || !digits(5..7)
        || !digits(8..10)
    {
        return Err(DateError::Shape);
    }
    let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().expect("ascii digits");
    let (year, month, day) = (num(0..4), num(5..7), num(8..10));
    if !(1..=12).contains(&month) {
        return Err(DateError::NoSuchMonth(month));
    }
    let last = days_in_month(year, month);
    if !(1..=last).contains(&day) {
        return Err(DateError::NoSuchDay { year, month, last });
    }
    Ok(Date { year, month, day })
}

impl Date {
    /// Days since 1970-01-01 (negative before), Howard Hinnant's
    /// `days_from_civil`.
    pub fn days_since_epoch(self) -> i64 {
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Days since 1970-01-01 → (year, month, day), Howard Hinnant's
/// `civil_from_days`.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// The UTC day of a Unix time, `YYYY-MM-DD` (years clamped to 0000–9999,
/// the range the form can write).
pub fn date_of_unix_seconds(seconds: i64) -> String {
    let (y, m, d) = civil_from_days(seconds.div_euclid(86_400));
    let (y, m, d) = match y {
        ..0 => (0, 1, 1),
        10_000.. => (9999, 12, 31),
        _ => (y, m, d),
    };
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_596), (2026, 5, 23));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(date_of_unix_seconds(1_779_494_400), "2026-05-23");
        assert_eq!(date_of_unix_seconds(-1), "1969-12-31");
        assert_eq!(date_of_unix_seconds(i64::MAX), "9999-12-31");
        assert_eq!(date_of_unix_seconds(i64::MIN), "0000-01-01");
    }

    #[test]
    fn days_since_epoch_inverts_civil_from_days() {
        for z in [-719_468, -1, 0, 1, 11_016, 20_596, 2_932_896] {
            let (y, m, d) = civil_from_days(z);
            let date = Date {
                year: y as u32,
                month: m,
                day: d,
            };
            assert_eq!(date.days_since_epoch(), z, "{date}");
        }
    }

    #[test]
    fn days_that_exist_are_dates() {
        for d in [
            "2026-01-31",
            "2024-02-29",
            "2000-02-29",
            "2026-12-31",
            "0001-01-01",
        ] {
            assert!(parse_date(d).is_ok(), "{d}");
        }
    }

    #[test]
    fn days_that_do_not_exist_are_refused() {
        assert_eq!(
            parse_date("2026-02-30"),
            Err(DateError::NoSuchDay {
                year: 2026,
                month: 2,
                last: 28
            })
        );
        assert_eq!(
            parse_date("1900-02-29"),
            Err(DateError::NoSuchDay {
                year: 1900,
                month: 2,
                last: 28
            })
        );
        assert_eq!(
            parse_date("2026-04-31").map_err(|e| e.to_string()),
            Err("April 2026 has 30 days".to_string())
        );
        assert_eq!(parse_date("9999-99-99"), Err(DateError::NoSuchMonth(99)));
        assert_eq!(parse_date("2026-00-10"), Err(DateError::NoSuchMonth(0)));
        assert!(matches!(
            parse_date("2026-01-00"),
            Err(DateError::NoSuchDay { .. })
        ));
        for s in [
            "2026-1-01",
            "26-01-01",
            "2026/01/01",
            "+026-01-01",
            "2026-01-01 ",
            "",
            "２０２６-01-01",
        ] {
            assert_eq!(parse_date(s), Err(DateError::Shape), "{s:?}");
        }
    }
}
