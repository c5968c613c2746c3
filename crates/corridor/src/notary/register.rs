//! The notarial register's rules (pure): a draft of the certificate's text for the notary to
//! complete, and what a text must be before it enters the register.
//!
//! The drafts follow the usual form of a Chinese notarial certificate's wording (证词): "兹证明…"
//! with the act done before the notary. They are drafts: the notary states the verified facts,
//! and a text that still holds the placeholder is refused.

/// The day a moment falls on for the register: offices keep China's time, so a certificate
/// issued at 07:00 in Chongqing on 1 January is numbered and dated in the new year although it
/// is still the old one in UTC.
pub fn register_day(at: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate {
    at.with_timezone(&chrono_tz::Asia::Shanghai).date_naive()
}

/// What a draft leaves for the notary, in each language.
pub const PLACEHOLDER_ZH: &str = "【待公证员填写】";
pub const PLACEHOLDER_EN: &str = "[to be completed by the notary]";

/// Matters where the act is a signature made before the notary (over video).
const SIGNED_DOCUMENTS: &[(&str, &str, &str)] = &[
    ("declaration", "《声明书》", "Declaration"),
    ("entrustment", "《委托书》", "Power of Attorney"),
    ("signature_seal", "前面的文书", "foregoing document"),
];

/// A first text for a certificate of `matter_type` for `applicant`, acting on `date`
/// (`YYYY-MM-DD`), in Chinese and English.
pub fn draft(matter_type: &str, applicant: &str, date: &str) -> (String, String) {
    if let Some((_, zh_doc, en_doc)) = SIGNED_DOCUMENTS.iter().find(|(id, ..)| *id == matter_type) {
        return (
            format!(
                "兹证明{applicant}于{date}通过海外远程视频方式在本公证员面前，在前面的{zh_doc}上签名。"
            ),
            format!(
                "This is to certify that {applicant}, appearing before me by overseas remote video on {date}, signed the foregoing {en_doc} in my presence."
            ),
        );
    }
    (
        format!("兹证明{applicant}{PLACEHOLDER_ZH}。"),
        format!("This is to certify that {applicant} {PLACEHOLDER_EN}."),
    )
}

/// Why a certificate's text is refused, if it is: empty, or a draft not completed.
pub fn check_text(zh: &str, en: &str) -> Result<(), (&'static str, &'static str)> {
    if zh.trim().is_empty() {
        return Err(("text_zh", "required"));
    }
    if en.trim().is_empty() {
        return Err(("text_en", "required"));
    }
    if zh.contains(PLACEHOLDER_ZH) {
        return Err(("text_zh", "draft_not_completed"));
    }
    if en.contains(PLACEHOLDER_EN) {
        return Err(("text_en", "draft_not_completed"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_register_keeps_china_time() {
        let new_year = "2026-12-31T16:30:00Z".parse().unwrap();
        assert_eq!(register_day(new_year).to_string(), "2027-01-01");
        let evening = "2026-12-04T15:59:00Z".parse().unwrap();
        assert_eq!(register_day(evening).to_string(), "2026-12-04");
    }

    #[test]
    fn a_signed_document_drafts_complete_text_in_both_languages() {
        let (zh, en) = draft("entrustment", "李伟", "2026-12-04");
        assert!(
            zh.starts_with("兹证明李伟于2026-12-04") && zh.contains("《委托书》"),
            "{zh}"
        );
        assert!(
            en.contains("Power of Attorney") && en.contains("李伟"),
            "{en}"
        );
        assert_eq!(check_text(&zh, &en), Ok(()));
    }

    #[test]
    fn a_fact_drafts_a_placeholder_that_must_be_completed() {
        let (zh, en) = draft("birth", "李伟", "2026-12-04");
        assert_eq!(
            check_text(&zh, &en),
            Err(("text_zh", "draft_not_completed"))
        );
        let zh = zh.replace(PLACEHOLDER_ZH, "于1990年1月1日在重庆市出生");
        assert_eq!(
            check_text(&zh, &en),
            Err(("text_en", "draft_not_completed"))
        );
        let en = en.replace(PLACEHOLDER_EN, "was born in Chongqing on 1 January 1990");
        assert_eq!(check_text(&zh, &en), Ok(()));
        assert_eq!(check_text(" ", &en), Err(("text_zh", "required")));
    }
}
