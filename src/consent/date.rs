//! Calendar dates for `MOR:` and `TS:` codes, with a "today" that tests can choose.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

/// A calendar date (proleptic Gregorian). Ordered chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

/// Why a text is not a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{text}\" is not a date of the form YYYY-MM-DD")]
pub struct DateError {
    pub text: String,
}

impl Date {
    /// A date, if the day exists in that month.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month) {
            Some(Date { year, month, day })
        } else {
            None
        }
    }

    /// Today's date in Japan (UTC+9), where the programme and its data-use committee are: a
    /// `TS:` use period ends, and a `MOR:` embargo lifts, at midnight Japan time, whatever
    /// the clock of the machine running musubi is set to.
    pub fn today() -> Date {
        const JAPAN_OFFSET_SECS: i64 = 9 * 3600;
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Date::from_days_since_epoch((secs + JAPAN_OFFSET_SECS).div_euclid(86_400))
    }

    /// The date `days` days after 1970-01-01 (negative: before).
    pub fn from_days_since_epoch(days: i64) -> Date {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Parses `YYYY-MM-DD` (also `YYYY/MM/DD` and `YYYY.MM.DD`), surrounding spaces ignored.
    pub fn parse(text: &str) -> Result<Date, DateError> {
        let err = || DateError {
            text: text.to_string(),
        };
        let t = text.trim();
        let parts: Vec<&str> = t.split(['-', '/', '.']).collect();
        let [y, m, d] = parts.as_slice() else {
            return Err(err());
        };
        let digits = |s: &str, lens: &[usize]| {
            lens.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
        };
        if !digits(y, &[4]) || !digits(m, &[1, 2]) || !digits(d, &[1, 2]) {
            return Err(err());
        }
        let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u8>(), d.parse::<u8>()) else {
            return Err(err());
        };
        Date::new(y, m, d).ok_or_else(err)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl std::str::FromStr for Date {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Date, DateError> {
        Date::parse(s)
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_iso_and_slashed_dates() {
        assert_eq!(
            Date::parse("2027-03-31"),
            Ok(Date {
                year: 2027,
                month: 3,
                day: 31
            })
        );
        assert_eq!(
            Date::parse(" 2027/3/1 "),
            Ok(Date {
                year: 2027,
                month: 3,
                day: 1
            })
        );
    }

    #[test]
    fn rejects_impossible_or_malformed_dates() {
        for bad in [
            "2024-02-30",
            "2023-02-29",
            "2024-13-01",
            "24-01-01",
            "2024-01",
            "soon",
            "",
        ] {
            assert!(Date::parse(bad).is_err(), "{bad} should not parse");
        }
        assert!(Date::parse("2024-02-29").is_ok());
    }

    #[test]
    fn days_since_epoch_round_known_dates() {
        assert_eq!(Date::from_days_since_epoch(0).to_string(), "1970-01-01");
        assert_eq!(
            Date::from_days_since_epoch(19_782).to_string(),
            "2024-02-29"
        );
        assert_eq!(Date::from_days_since_epoch(-1).to_string(), "1969-12-31");
    }

    #[test]
    fn dates_order_chronologically() {
        let a = Date::parse("2024-12-31").unwrap_or(Date {
            year: 0,
            month: 1,
            day: 1,
        });
        let b = Date::parse("2025-01-01").unwrap_or(Date {
            year: 0,
            month: 1,
            day: 1,
        });
        assert!(a < b);
        assert!(Date::today().year >= 2024);
    }
}
