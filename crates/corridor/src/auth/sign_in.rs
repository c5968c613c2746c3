//! Who may try a password now: the sign-in throttle, as pure functions over what the store
//! counted.
//!
//! The rule it replaces refused an email after five failures from anywhere, so anyone could
//! lock any account. Now:
//! - an address that guessed one account five times, or any accounts twenty times, is refused
//!   for the window — that stops a single guesser without touching the owner elsewhere;
//! - failures for an email spread over many addresses only slow further tries for that
//!   email down (a delay that doubles with each failure, capped), so a distributed guesser
//!   gets a handful of tries per window, and the owner gets in once the delay has passed;
//! - an address the owner has signed in from before is not slowed down by failures from
//!   elsewhere (only by its own).

use chrono::{DateTime, Duration, Utc};

/// Failed sign-ins allowed per email from one address in [`WINDOW_MINUTES`].
pub const MAX_FAILURES_PER_EMAIL_AND_ADDRESS: i64 = 5;
/// Failed sign-ins allowed from one address, over all emails, in [`WINDOW_MINUTES`].
pub const MAX_FAILURES_PER_ADDRESS: i64 = 20;
/// Failures of one email (from anywhere) before each further try has to wait.
pub const FREE_FAILURES_PER_EMAIL: i64 = 5;
pub const WINDOW_MINUTES: i64 = 15;
/// The longest wait between tries of one email, however many failures.
pub const MAX_DELAY_SECS: i64 = 300;
/// How long a successful sign-in makes its address known for that email.
pub const KNOWN_ADDRESS_DAYS: i64 = 90;

/// What the store counted for one sign-in attempt, failures within [`WINDOW_MINUTES`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct History {
    /// Failures of this email from this address.
    pub email_from_address: i64,
    /// Failures from this address, any email.
    pub from_address: i64,
    /// Failures of this email from any address.
    pub email: i64,
    /// When this email last failed, from any address.
    pub last_email_failure: Option<DateTime<Utc>>,
    /// This email signed in successfully from this address within [`KNOWN_ADDRESS_DAYS`].
    pub known_address: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    /// Check the password.
    Open,
    /// Do not check it; say when to try again.
    Wait { retry_after_secs: i64 },
}

/// The delay before the next try of an email that failed `failures` times in the window.
pub fn delay_after(failures: i64) -> Duration {
    if failures < FREE_FAILURES_PER_EMAIL {
        return Duration::zero();
    }
    let doublings = (failures - FREE_FAILURES_PER_EMAIL).min(16) as u32;
    Duration::seconds((1i64 << doublings).min(MAX_DELAY_SECS))
}

pub fn gate(history: &History, now: DateTime<Utc>) -> Gate {
    let window = WINDOW_MINUTES * 60;
    if history.from_address >= MAX_FAILURES_PER_ADDRESS
        || history.email_from_address >= MAX_FAILURES_PER_EMAIL_AND_ADDRESS
    {
        return Gate::Wait {
            retry_after_secs: window,
        };
    }
    if history.known_address {
        return Gate::Open;
    }
    let Some(last) = history.last_email_failure else {
        return Gate::Open;
    };
    let open_at = last + delay_after(history.email);
    if now >= open_at {
        Gate::Open
    } else {
        // Round up, so a client that waits as told is let in.
        let millis = (open_at - now).num_milliseconds();
        Gate::Wait {
            retry_after_secs: (millis + 999) / 1000,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + secs, 0).unwrap()
    }

    #[test]
    fn a_fresh_email_is_open() {
        assert_eq!(gate(&History::default(), at(0)), Gate::Open);
    }

    #[test]
    fn five_failures_from_one_address_close_that_address_for_the_window() {
        let h = History {
            email_from_address: 5,
            from_address: 5,
            email: 5,
            last_email_failure: Some(at(0)),
            known_address: true,
        };
        assert_eq!(
            gate(&h, at(600)),
            Gate::Wait {
                retry_after_secs: 900
            }
        );
    }

    #[test]
    fn an_address_guessing_many_accounts_is_closed() {
        let h = History {
            from_address: 20,
            ..History::default()
        };
        assert_eq!(
            gate(&h, at(0)),
            Gate::Wait {
                retry_after_secs: 900
            }
        );
    }

    #[test]
    fn failures_from_elsewhere_do_not_close_a_known_address() {
        let h = History {
            email: 50,
            last_email_failure: Some(at(0)),
            known_address: true,
            ..History::default()
        };
        assert_eq!(gate(&h, at(0)), Gate::Open);
    }

    #[test]
    fn failures_from_elsewhere_only_delay_a_new_address() {
        let h = History {
            email: 7,
            last_email_failure: Some(at(0)),
            ..History::default()
        };
        assert_eq!(delay_after(7), Duration::seconds(4));
        assert_eq!(
            gate(&h, at(1)),
            Gate::Wait {
                retry_after_secs: 3
            }
        );
        assert_eq!(gate(&h, at(4)), Gate::Open);
    }

    #[test]
    fn the_delay_doubles_and_is_capped() {
        assert_eq!(delay_after(4), Duration::zero());
        assert_eq!(delay_after(5), Duration::seconds(1));
        assert_eq!(delay_after(6), Duration::seconds(2));
        assert_eq!(delay_after(13), Duration::seconds(256));
        assert_eq!(delay_after(14), Duration::seconds(MAX_DELAY_SECS));
        assert_eq!(delay_after(10_000), Duration::seconds(MAX_DELAY_SECS));
    }

    #[test]
    fn a_few_failures_do_not_delay_anyone() {
        let h = History {
            email: 4,
            email_from_address: 4,
            from_address: 4,
            last_email_failure: Some(at(0)),
            known_address: false,
        };
        assert_eq!(gate(&h, at(0)), Gate::Open);
    }
}
