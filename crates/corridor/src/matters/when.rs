//! Wall-clock times in named zones: a deadline or a hearing is set where it happens, stored
//! as an instant, and shown to each person in their own zone.

use chrono::{DateTime, LocalResult, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::{AppError, Result};

pub fn parse_zone(field: &str, text: &str) -> Result<Tz> {
    text.trim()
        .parse::<Tz>()
        .map_err(|_| AppError::invalid(field, "time_zone"))
}

/// `YYYY-MM-DDTHH:MM` (or with a space, or with seconds) in `zone` → the instant. A time that a
/// clock change skips does not exist and is refused; one it repeats takes the earlier instant.
pub fn local_to_utc(field: &str, text: &str, zone: Tz) -> Result<DateTime<Utc>> {
    let text = text.trim().replace(' ', "T");
    let naive = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(&text, f).ok())
        .ok_or_else(|| AppError::invalid(field, "local_datetime"))?;
    match zone.from_local_datetime(&naive) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(earlier, _) => Ok(earlier.with_timezone(&Utc)),
        LocalResult::None => Err(AppError::invalid(field, "nonexistent_local_time")),
    }
}

/// The instant as wall-clock time in `zone`, `YYYY-MM-DD HH:MM`.
pub fn in_zone(at: DateTime<Utc>, zone: Tz) -> String {
    at.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string()
}

/// Like [`in_zone`] with the zone named, for readers in another zone.
pub fn in_zone_named(at: DateTime<Utc>, zone: Tz) -> String {
    format!("{} ({})", in_zone(at, zone), zone.name())
}

/// A zone from the database (validated when written); an unknown one reads as UTC.
pub fn stored_zone(text: &str) -> Tz {
    text.parse().unwrap_or(Tz::UTC)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_in_jakarta_is_seven_hours_ahead_of_utc() {
        let zone = parse_zone("tz", "Asia/Jakarta").unwrap();
        let at = local_to_utc("due", "2026-12-10T17:00", zone).unwrap();
        assert_eq!(at.to_rfc3339(), "2026-12-10T10:00:00+00:00");
        assert_eq!(
            in_zone(at, parse_zone("tz", "Asia/Shanghai").unwrap()),
            "2026-12-10 18:00"
        );
        assert_eq!(
            in_zone_named(at, Tz::Europe__London),
            "2026-12-10 10:00 (Europe/London)"
        );
    }

    #[test]
    fn skipped_local_times_are_refused_and_repeated_ones_take_the_first() {
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        assert!(local_to_utc("due", "2026-03-29T02:30", berlin).is_err());
        let repeated = local_to_utc("due", "2026-10-25 02:30", berlin).unwrap();
        assert_eq!(repeated.to_rfc3339(), "2026-10-25T00:30:00+00:00");
    }

    #[test]
    fn bad_zones_and_dates_name_their_field() {
        assert!(matches!(
            parse_zone("time_zone", "Mars/Olympus"),
            Err(AppError::Invalid { ref field, .. }) if field == "time_zone"
        ));
        assert!(local_to_utc("starts", "10/12/2026 5pm", Tz::UTC).is_err());
        assert!(local_to_utc("starts", "2026-02-30T10:00", Tz::UTC).is_err());
    }
}
