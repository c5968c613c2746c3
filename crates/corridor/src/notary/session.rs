//! What a remote video notarization session must contain before the notary may close it, and
//! the order things may happen in (pure). The notary verifies the applicant's identity step by
//! step, the applicant consents to the recording, the notary's browser records and uploads the
//! session, the notary keeps the record of questions and answers, and the applicant signs.
//!
//! The identity steps follow the pilot's workflow ("online identity verification" before the
//! questioning, `remote_notarization_cn.json` `workflow`) and the UINL guideline on online
//! appearance (identity certain, consent at a known time); which three checks make up the
//! verification is this product's reading, not a listed rule.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The identity checks a notary records, in the order the page offers them.
pub const IDENTITY_STEPS: &[&str] = &[
    // The passport (or PRC ID card) shown on camera matches the application.
    "document_checked",
    // The live person matches the document's photo.
    "face_matched",
    // The residence card or visa shown matches the residence the application states.
    "residence_checked",
];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct IdentityCheck {
    /// One of `document_checked`, `face_matched`, `residence_checked`.
    pub step: String,
    pub passed: bool,
    pub note: String,
    pub at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct QaPair {
    pub question: String,
    pub answer: String,
    pub at: DateTime<Utc>,
}

/// The recording as filed in the matter (role `recording`, anchored).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Recording {
    pub document_id: String,
    pub sha256: String,
    pub size: i64,
}

/// The applicant's signature in session: the name they typed and the digest of what they
/// signed (matter, name, the statement in their language, the time).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Signature {
    pub name: String,
    pub statement: String,
    pub sha256: String,
    pub at: DateTime<Utc>,
}

/// A session as it stands.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Session {
    pub identity: Vec<IdentityCheck>,
    pub consent_at: Option<DateTime<Utc>>,
    pub recording: Option<Recording>,
    pub qa: Vec<QaPair>,
    pub signature: Option<Signature>,
    pub held_at: Option<DateTime<Utc>>,
}

/// Why a session step is refused; each is a `conflict_reason` of the API.
pub type Refusal = &'static str;

impl Session {
    /// The latest answer of each identity step (a failed step may be checked again).
    fn latest(&self, step: &str) -> Option<&IdentityCheck> {
        self.identity.iter().rev().find(|c| c.step == step)
    }

    /// Every identity step's latest check passed.
    pub fn identity_verified(&self) -> bool {
        IDENTITY_STEPS
            .iter()
            .all(|s| self.latest(s).is_some_and(|c| c.passed))
    }

    /// A step whose latest check failed: the act stops until it is checked again and passes.
    pub fn identity_failed(&self) -> Option<&'static str> {
        IDENTITY_STEPS
            .iter()
            .copied()
            .find(|s| self.latest(s).is_some_and(|c| !c.passed))
    }

    fn open(&self) -> Result<(), Refusal> {
        if self.held_at.is_some() {
            Err("session_closed")
        } else {
            Ok(())
        }
    }

    /// The notary records an identity check.
    pub fn check_identity(&self, step: &str) -> Result<(), Refusal> {
        self.open()?;
        if IDENTITY_STEPS.contains(&step) {
            Ok(())
        } else {
            Err("unknown_identity_step")
        }
    }

    /// The applicant consents to the recording; once is enough.
    pub fn consent(&self) -> Result<(), Refusal> {
        self.open()?;
        if self.consent_at.is_some() {
            Err("already_consented")
        } else {
            Ok(())
        }
    }

    /// The notary's browser uploads the recording: only after the applicant consented, once.
    pub fn record(&self) -> Result<(), Refusal> {
        self.open()?;
        if self.consent_at.is_none() {
            Err("no_consent")
        } else if self.recording.is_some() {
            Err("already_recorded")
        } else {
            Ok(())
        }
    }

    pub fn ask(&self) -> Result<(), Refusal> {
        self.open()
    }

    /// The applicant signs once their identity is verified and they consented; once.
    pub fn sign(&self) -> Result<(), Refusal> {
        self.open()?;
        if self.identity_failed().is_some() || !self.identity_verified() {
            Err("identity_not_verified")
        } else if self.consent_at.is_none() {
            Err("no_consent")
        } else if self.signature.is_some() {
            Err("already_signed")
        } else {
            Ok(())
        }
    }

    /// What is still missing before the notary may close the session, in the session's
    /// order; empty when it may be closed.
    pub fn missing(&self) -> Vec<&'static str> {
        let mut missing = Vec::new();
        if let Some(failed) = self.identity_failed() {
            missing.push(failed);
        }
        for step in IDENTITY_STEPS {
            if self.latest(step).is_none() {
                missing.push(*step);
            }
        }
        if self.consent_at.is_none() {
            missing.push("consent");
        }
        if self.recording.is_none() {
            missing.push("recording");
        }
        if self.qa.is_empty() {
            missing.push("qa");
        }
        if self.signature.is_none() {
            missing.push("signature");
        }
        missing
    }

    /// The notary closes the session.
    pub fn hold(&self) -> Result<(), Refusal> {
        self.open()?;
        if self.missing().is_empty() {
            Ok(())
        } else {
            Err("session_incomplete")
        }
    }
}

/// The digest the applicant's signature records.
pub fn signature_digest(matter_id: &str, name: &str, statement: &str, at: DateTime<Utc>) -> String {
    use sha2::{Digest, Sha256};
    let text = format!(
        "corridor notarization signature v1\nmatter {matter_id}\nname {name}\nstatement {statement}\nat {}\n",
        at.format("%Y-%m-%dT%H:%M:%SZ")
    );
    hex::encode(Sha256::digest(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> DateTime<Utc> {
        "2026-12-04T08:00:00Z".parse().unwrap()
    }

    fn check(step: &str, passed: bool) -> IdentityCheck {
        IdentityCheck {
            step: step.into(),
            passed,
            note: String::new(),
            at: at(),
        }
    }

    fn complete() -> Session {
        Session {
            identity: IDENTITY_STEPS.iter().map(|s| check(s, true)).collect(),
            consent_at: Some(at()),
            recording: Some(Recording {
                document_id: "d".into(),
                sha256: "00".repeat(32),
                size: 1,
            }),
            qa: vec![QaPair {
                question: "Do you sign of your own will?".into(),
                answer: "Yes".into(),
                at: at(),
            }],
            signature: Some(Signature {
                name: "Li Wei".into(),
                statement: "s".into(),
                sha256: "00".repeat(32),
                at: at(),
            }),
            held_at: None,
        }
    }

    #[test]
    fn a_complete_session_may_be_held_and_then_nothing_changes() {
        let mut s = complete();
        assert_eq!(s.missing(), Vec::<&str>::new());
        assert_eq!(s.hold(), Ok(()));
        s.held_at = Some(at());
        assert_eq!(s.hold(), Err("session_closed"));
        assert_eq!(s.ask(), Err("session_closed"));
        assert_eq!(s.check_identity("face_matched"), Err("session_closed"));
    }

    #[test]
    fn each_missing_part_is_named_and_blocks_the_close() {
        let empty = Session::default();
        assert_eq!(
            empty.missing(),
            [
                "document_checked",
                "face_matched",
                "residence_checked",
                "consent",
                "recording",
                "qa",
                "signature"
            ]
        );
        assert_eq!(empty.hold(), Err("session_incomplete"));
        let mut s = complete();
        s.qa.clear();
        assert_eq!(s.missing(), ["qa"]);
    }

    #[test]
    fn a_failed_identity_step_blocks_signing_until_checked_again() {
        let mut s = complete();
        s.signature = None;
        s.identity.push(check("face_matched", false));
        assert_eq!(s.identity_failed(), Some("face_matched"));
        assert_eq!(s.sign(), Err("identity_not_verified"));
        assert!(s.missing().contains(&"face_matched"));
        s.identity.push(check("face_matched", true));
        assert_eq!(s.sign(), Ok(()));
    }

    #[test]
    fn a_missing_identity_step_blocks_signing() {
        let mut s = complete();
        s.signature = None;
        s.identity.retain(|c| c.step != "residence_checked");
        assert_eq!(s.sign(), Err("identity_not_verified"));
        assert_eq!(
            s.check_identity("fingerprint"),
            Err("unknown_identity_step")
        );
    }

    #[test]
    fn the_recording_needs_consent_first_and_is_kept_once() {
        let mut s = Session::default();
        assert_eq!(s.record(), Err("no_consent"));
        s.consent_at = Some(at());
        assert_eq!(s.consent(), Err("already_consented"));
        assert_eq!(s.record(), Ok(()));
        s.recording = complete().recording;
        assert_eq!(s.record(), Err("already_recorded"));
    }

    #[test]
    fn the_signature_digest_binds_matter_name_statement_and_time() {
        let a = signature_digest("m1", "Li Wei", "I confirm", at());
        assert_eq!(a.len(), 64);
        assert_ne!(a, signature_digest("m2", "Li Wei", "I confirm", at()));
        assert_ne!(a, signature_digest("m1", "Li Wei ", "I confirm", at()));
        assert_ne!(
            a,
            signature_digest(
                "m1",
                "Li Wei",
                "I confirm",
                at() + chrono::Duration::seconds(1)
            )
        );
        assert_eq!(a, signature_digest("m1", "Li Wei", "I confirm", at()));
    }
}
