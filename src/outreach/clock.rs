//! Timestamps of the log: RFC 3339, always written in Japan time (+09:00), the time zone of the
//! programme and of every other date musubi decides (see `consent::Date::today`), so that one
//! team's log reads the same whatever the clock of each coordinator's machine is set to.

use crate::consent::Date;
use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};

/// Japan Standard Time (no daylight saving).
pub const JAPAN: UtcOffset = time::macros::offset!(+9);

/// Now, in Japan time, to the second.
pub fn now() -> OffsetDateTime {
    let now = OffsetDateTime::now_utc().to_offset(JAPAN);
    now.replace_nanosecond(0).unwrap_or(now)
}

/// The start (00:00 Japan time) of a calendar date.
pub fn start_of(date: Date) -> Option<OffsetDateTime> {
    let month = time::Month::try_from(date.month).ok()?;
    let day = time::Date::from_calendar_date(date.year, month, date.day).ok()?;
    Some(day.midnight().assume_offset(JAPAN))
}

/// The calendar date of a moment in Japan.
pub fn japan_date(at: OffsetDateTime) -> Date {
    let local = at.to_offset(JAPAN);
    Date {
        year: local.year(),
        month: u8::from(local.month()),
        day: local.day(),
    }
}

/// RFC 3339 text of a moment, keeping its offset.
pub fn format(at: OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap_or_else(|_| at.to_string())
}

/// Why a `--date` or `--since` value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is neither a date (YYYY-MM-DD) nor an RFC 3339 time (2026-04-01T10:30:00+09:00)")]
pub struct BadMoment(pub String);

/// A moment typed by a user: an RFC 3339 time, or a date (its start, Japan time).
pub fn parse_moment(text: &str) -> Result<OffsetDateTime, BadMoment> {
    let t = text.trim();
    if let Ok(at) = OffsetDateTime::parse(t, &Rfc3339) {
        return Ok(at);
    }
    Date::parse(t)
        .ok()
        .and_then(start_of)
        .ok_or_else(|| BadMoment(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_starts_at_midnight_in_japan() {
        let at = parse_moment("2026-04-01").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(format(at), "2026-04-01T00:00:00+09:00");
        assert_eq!(
            japan_date(at),
            Date {
                year: 2026,
                month: 4,
                day: 1
            }
        );
    }

    #[test]
    fn utc_times_fall_on_the_japanese_calendar_date() {
        let at = parse_moment("2026-03-31T20:00:00Z").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            japan_date(at),
            Date {
                year: 2026,
                month: 4,
                day: 1
            }
        );
        assert!(parse_moment("yesterday").is_err());
        assert!(parse_moment("2026-02-30").is_err());
    }

    #[test]
    fn now_is_written_with_the_japan_offset() {
        assert!(format(now()).ends_with("+09:00"));
    }
}
