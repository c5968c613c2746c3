//! An application for overseas remote video notarization, from filing to certificate: its
//! states, the steps that move it, and where the session is held. Pure: the store keeps an
//! application, [`super::actions`] decides who may take a step; this module says which steps
//! exist and where each one leads.
//!
//! ```text
//! applied ──accept──▶ accepted ──book──▶ booked ──hold──▶ session_held ──certify──▶ certified
//!    │  ▲                 │                │ ▲
//!    │  └──resubmit──┐    │                └─┘ book again (a new slot)
//!    └─request_more──▶ more_requested
//! applied, more_requested, accepted, booked ──refuse (with a ground)──▶ refused
//! applied, more_requested, accepted, booked ──withdraw (the applicant)──▶ withdrawn
//! ```

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Filed by the applicant; the office has not answered.
    Applied,
    /// The office asked for more materials; the applicant resubmits.
    MoreRequested,
    /// The office will handle it; a session can be booked.
    Accepted,
    /// Refused on one of the listed grounds.
    Refused,
    /// A session slot is booked (a matter meeting of kind `notarization_session`).
    Booked,
    /// The video session was completed: identity verified, consent, recording, record of
    /// questions and answers, the applicant's signature.
    SessionHeld,
    /// The certificate is in the register.
    Certified,
    /// The applicant withdrew it.
    Withdrawn,
}

/// What moves an application.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Accept,
    RequestMore,
    Refuse,
    Resubmit,
    Book,
    Hold,
    Certify,
    Withdraw,
}

impl Status {
    pub const ALL: &'static [Status] = &[
        Status::Applied,
        Status::MoreRequested,
        Status::Accepted,
        Status::Refused,
        Status::Booked,
        Status::SessionHeld,
        Status::Certified,
        Status::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Applied => "applied",
            Status::MoreRequested => "more_requested",
            Status::Accepted => "accepted",
            Status::Refused => "refused",
            Status::Booked => "booked",
            Status::SessionHeld => "session_held",
            Status::Certified => "certified",
            Status::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|s| s.as_str() == text)
    }

    /// Still being worked: the office and the applicant may act on it.
    pub fn is_live(self) -> bool {
        !matches!(
            self,
            Status::Refused | Status::Certified | Status::Withdrawn
        )
    }
}

impl Step {
    pub fn as_str(self) -> &'static str {
        match self {
            Step::Accept => "accept",
            Step::RequestMore => "request_more",
            Step::Refuse => "refuse",
            Step::Resubmit => "resubmit",
            Step::Book => "book",
            Step::Hold => "hold",
            Step::Certify => "certify",
            Step::Withdraw => "withdraw",
        }
    }

    /// Taken by the applicant; every other step is the office's.
    pub fn by_applicant(self) -> bool {
        matches!(self, Step::Resubmit | Step::Withdraw)
    }
}

/// Where `step` takes an application in `from`; `None` when the step does not apply there
/// (the caller answers 409 `application_state`).
pub fn next(from: Status, step: Step) -> Option<Status> {
    use Status::*;
    match (step, from) {
        (Step::Accept, Applied | MoreRequested) => Some(Accepted),
        (Step::RequestMore, Applied) => Some(MoreRequested),
        (Step::Resubmit, MoreRequested) => Some(Applied),
        (Step::Refuse, Applied | MoreRequested | Accepted | Booked) => Some(Refused),
        (Step::Withdraw, Applied | MoreRequested | Accepted | Booked) => Some(Withdrawn),
        (Step::Book, Accepted | Booked) => Some(Booked),
        (Step::Hold, Booked) => Some(SessionHeld),
        (Step::Certify, SessionHeld) => Some(Certified),
        _ => None,
    }
}

/// Where the applicant sits for the session. The pilot's rule is attendance at the mission or
/// a visa centre; some offices also take the applicant's own device (e.g. the Hangzhou Internet
/// Notary Office), which an office turns on in its settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Venue {
    Mission,
    VisaCentre,
    OwnDevice,
}

impl Venue {
    pub const ALL: &'static [Venue] = &[Venue::Mission, Venue::VisaCentre, Venue::OwnDevice];

    pub fn as_str(self) -> &'static str {
        match self {
            Venue::Mission => "mission",
            Venue::VisaCentre => "visa_centre",
            Venue::OwnDevice => "own_device",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|v| v.as_str() == text.trim())
    }

    /// May an office with (or without) own-device sessions hold a session here.
    pub fn allowed(self, own_device_sessions: bool) -> bool {
        self != Venue::OwnDevice || own_device_sessions
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_happy_path_runs_from_applied_to_certified() {
        let mut s = Status::Applied;
        for step in [Step::Accept, Step::Book, Step::Hold, Step::Certify] {
            s = next(s, step).unwrap_or_else(|| panic!("{step:?} from {s:?}"));
        }
        assert_eq!(s, Status::Certified);
    }

    #[test]
    fn more_materials_go_back_to_the_office() {
        let s = next(Status::Applied, Step::RequestMore).unwrap();
        assert_eq!(s, Status::MoreRequested);
        assert_eq!(next(s, Step::Resubmit), Some(Status::Applied));
        assert_eq!(next(s, Step::Accept), Some(Status::Accepted));
        // Asking twice in a row is not a step: the applicant has not answered yet.
        assert_eq!(next(s, Step::RequestMore), None);
    }

    #[test]
    fn a_session_is_not_held_before_it_is_booked_nor_certified_before_it_is_held() {
        assert_eq!(next(Status::Accepted, Step::Hold), None);
        assert_eq!(next(Status::Applied, Step::Book), None);
        assert_eq!(next(Status::Booked, Step::Certify), None);
        assert_eq!(next(Status::Booked, Step::Book), Some(Status::Booked));
    }

    #[test]
    fn ended_applications_take_no_step() {
        for end in [Status::Refused, Status::Certified, Status::Withdrawn] {
            assert!(!end.is_live());
            for step in [
                Step::Accept,
                Step::RequestMore,
                Step::Refuse,
                Step::Resubmit,
                Step::Book,
                Step::Hold,
                Step::Certify,
                Step::Withdraw,
            ] {
                assert_eq!(next(end, step), None, "{step:?} from {end:?}");
            }
        }
        // Once held, the act is done: no refusal or withdrawal, only the certificate.
        assert_eq!(next(Status::SessionHeld, Step::Refuse), None);
        assert_eq!(next(Status::SessionHeld, Step::Withdraw), None);
    }

    #[test]
    fn statuses_and_venues_round_trip_and_own_device_needs_the_office() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(*s));
        }
        for v in Venue::ALL {
            assert_eq!(Venue::parse(v.as_str()), Some(*v));
        }
        assert!(!Venue::OwnDevice.allowed(false));
        assert!(Venue::OwnDevice.allowed(true));
        assert!(Venue::Mission.allowed(false));
        assert!(Step::Withdraw.by_applicant() && !Step::Accept.by_applicant());
    }
}
