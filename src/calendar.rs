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

#[cfg(test)]
mod tests {
    use super::*;

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
