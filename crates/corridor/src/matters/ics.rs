//! iCalendar (RFC 5545) for meetings: one `.ics` per meeting and a per-user feed. Times are
//! written in UTC (`…Z`), which every calendar converts to its reader's zone, and the place's
//! zone is named in the description so nobody has to guess where "10:00" was meant.

use chrono::{DateTime, Utc};

pub struct Event<'a> {
    pub uid: &'a str,
    pub sequence: i32,
    pub stamp: DateTime<Utc>,
    pub starts: DateTime<Utc>,
    pub ends: DateTime<Utc>,
    pub summary: &'a str,
    pub description: &'a str,
    pub location: &'a str,
    pub url: &'a str,
}

fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Escapes TEXT values (§3.3.11): backslash, semicolon, comma and newlines.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets (§3.1) without splitting a UTF-8 character.
fn fold(line: &str, out: &mut String) {
    let mut used = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if used + len > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += len;
    }
    out.push_str("\r\n");
}

pub fn calendar(name: &str, events: &[Event<'_>]) -> String {
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Corridor//Matters//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        fold(line, &mut out);
    }
    fold(&format!("X-WR-CALNAME:{}", escape(name)), &mut out);
    for e in events {
        fold("BEGIN:VEVENT", &mut out);
        fold(&format!("UID:{}", e.uid), &mut out);
        fold(&format!("SEQUENCE:{}", e.sequence), &mut out);
        fold(&format!("DTSTAMP:{}", utc(e.stamp)), &mut out);
        fold(&format!("DTSTART:{}", utc(e.starts)), &mut out);
        fold(&format!("DTEND:{}", utc(e.ends)), &mut out);
        fold(&format!("SUMMARY:{}", escape(e.summary)), &mut out);
        if !e.description.is_empty() {
            fold(&format!("DESCRIPTION:{}", escape(e.description)), &mut out);
        }
        if !e.location.is_empty() {
            fold(&format!("LOCATION:{}", escape(e.location)), &mut out);
        }
        if !e.url.is_empty() {
            fold(&format!("URL:{}", e.url), &mut out);
        }
        fold("END:VEVENT", &mut out);
    }
    fold("END:VCALENDAR", &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn event<'a>(summary: &'a str, description: &'a str) -> Event<'a> {
        Event {
            uid: "0193abcd@corridor",
            sequence: 2,
            stamp: Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap(),
            starts: Utc.with_ymd_and_hms(2026, 12, 10, 2, 0, 0).unwrap(),
            ends: Utc.with_ymd_and_hms(2026, 12, 10, 3, 30, 0).unwrap(),
            summary,
            description,
            location: "Room 3, Chongqing",
            url: "https://meet.example/abc",
        }
    }

    #[test]
    fn events_are_in_utc_with_escaped_text_and_crlf_lines() {
        let ics = calendar(
            "Hearings",
            &[event("Hearing; day 1, CQAC-2026-0007", "a\\b\nc")],
        );
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(ics.contains("\r\nDTSTART:20261210T020000Z\r\n"));
        assert!(ics.contains("\r\nDTEND:20261210T033000Z\r\n"));
        assert!(ics.contains("SUMMARY:Hearing\\; day 1\\, CQAC-2026-0007\r\n"));
        assert!(ics.contains("DESCRIPTION:a\\\\b\\nc\r\n"));
        assert!(ics.contains("LOCATION:Room 3\\, Chongqing\r\n"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(!ics.replace("\r\n", "").contains('\n'));
    }

    #[test]
    fn long_chinese_lines_fold_at_75_octets_between_characters() {
        let title = "仲裁庭审理".repeat(10);
        let ics = calendar("c", &[event(&title, "")]);
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("SUMMARY:{title}")));
    }
}
