//! Delivery: one task per node takes due rows of the `mail` table and sends them over SMTP,
//! or — with no `smtp_url` — hands them to the outbox.
//!
//! SMTP goes through lettre (tokio, no connection pool). `smtp://host:port` is plain SMTP
//! (a local relay), `smtp://host:port?tls=required` upgrades with STARTTLS, `smtps://host:port`
//! is TLS from the first byte; `user:pass@` authenticates. TLS is rustls over aws-lc-rs, the
//! one crypto provider already in the build, with the platform's certificate verifier.

use std::sync::{Arc, Weak};
use std::time::Duration;

use chrono::{DateTime, Utc};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::MailRecord;
use crate::Result;
use crate::config::Settings;
use crate::db::Store;
use crate::db::redact_url;

/// Rows claimed per query.
const BATCH: i64 = 20;
/// How long a claim holds: a sender that dies mid-send leaves its row to be taken again
/// after this (SMTP itself times out well before).
const LEASE: Duration = Duration::from_secs(300);
const SMTP_TIMEOUT: Duration = Duration::from_secs(60);
/// The longest an error text kept on a row may be.
const ERROR_CHARS: usize = 500;

/// When to try again after a failed attempt.
#[derive(Clone, Copy, Debug)]
pub struct Retry {
    /// Wait after the first failure; doubled after each further one, up to `longest`.
    pub first: Duration,
    pub longest: Duration,
    /// Attempts in all; after the last failure the row is `failed`.
    pub attempts: i64,
}

impl Default for Retry {
    /// Eight attempts over about an hour: waits of 30 s, then 1, 2, 4, 8, 16 and 32 min.
    fn default() -> Self {
        Self {
            first: Duration::from_secs(30),
            longest: Duration::from_secs(3600),
            attempts: 8,
        }
    }
}

impl Retry {
    /// The wait after failed attempt number `attempt` (1-based); `None` once all are spent.
    pub fn after(&self, attempt: i64) -> Option<Duration> {
        if attempt >= self.attempts {
            return None;
        }
        let doublings = u32::try_from(attempt.saturating_sub(1))
            .unwrap_or(u32::MAX)
            .min(20);
        Some(self.first.saturating_mul(1 << doublings).min(self.longest))
    }
}

enum Delivery {
    Smtp {
        transport: Box<AsyncSmtpTransport<Tokio1Executor>>,
        from: Mailbox,
    },
    Outbox,
}

pub struct Mailer {
    store: Store,
    delivery: Delivery,
    retry: Retry,
}

impl Mailer {
    /// SMTP when `smtp_url` is set, else the outbox. A malformed URL or sender address is an
    /// error here, at start, not at the first email.
    pub fn from_settings(store: Store, settings: &Settings) -> anyhow::Result<Self> {
        let url = settings.smtp_url.trim();
        let delivery = if url.is_empty() {
            Delivery::Outbox
        } else {
            let transport = Box::new(smtp_transport(url)?);
            let from = settings.mail_from.parse::<Mailbox>().map_err(|e| {
                anyhow::anyhow!("mail_from {:?} is not an address: {e}", settings.mail_from)
            })?;
            Delivery::Smtp { transport, from }
        };
        Ok(Self {
            store,
            delivery,
            retry: Retry::default(),
        })
    }

    pub fn with_retry(mut self, retry: Retry) -> Self {
        self.retry = retry;
        self
    }

    /// Whether this node sends over SMTP (rather than to the outbox).
    pub fn uses_smtp(&self) -> bool {
        matches!(self.delivery, Delivery::Smtp { .. })
    }

    /// Delivers every row due now; returns how many this node handled (sent, failed or moved to
    /// the outbox).
    pub async fn deliver_due(&self) -> Result<usize> {
        let (transport, from) = match &self.delivery {
            Delivery::Outbox => return Ok(self.store.move_mail_to_outbox().await? as usize),
            Delivery::Smtp { transport, from } => (transport, from),
        };
        let mut handled = 0;
        loop {
            let now = crate::ids::now();
            let due = self.store.due_mail(now, BATCH).await?;
            for id in &due {
                let lease_until = now + chrono::Duration::from_std(LEASE).expect("lease fits");
                // Another node may have claimed it since the query: then it is theirs.
                if let Some(mail) = self.store.claim_mail(id, now, lease_until).await? {
                    self.send_one(transport, from, mail).await?;
                    handled += 1;
                }
            }
            if (due.len() as i64) < BATCH {
                return Ok(handled);
            }
        }
    }

    async fn send_one(
        &self,
        transport: &AsyncSmtpTransport<Tokio1Executor>,
        from: &Mailbox,
        mail: MailRecord,
    ) -> Result<()> {
        let outcome = match message(from, &mail) {
            Ok(message) => transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| (e.to_string(), true)),
            // An address that cannot be parsed will not parse next time either.
            Err(e) => Err((e, false)),
        };
        match outcome {
            Ok(()) => {
                tracing::info!(mail_id = %mail.id, attempt = mail.attempts, "email sent");
                self.store.mail_sent(&mail.id, crate::ids::now()).await
            }
            Err((error, may_retry)) => {
                let error: String = error.chars().take(ERROR_CHARS).collect();
                let retry_at = may_retry
                    .then(|| self.retry.after(mail.attempts))
                    .flatten()
                    .and_then(|wait| chrono::Duration::from_std(wait).ok())
                    .map(|wait| crate::ids::now() + wait);
                // The error is the server's answer; the body and the address stay out of logs.
                tracing::warn!(mail_id = %mail.id, attempt = mail.attempts, %error,
                    retry_at = ?retry_at, "email not delivered");
                self.store
                    .mail_attempt_failed(&mail.id, &error, retry_at)
                    .await
            }
        }
    }

    /// When this node should look again: the earliest retry or lapsed claim, if any.
    async fn next_due(&self) -> Result<Option<DateTime<Utc>>> {
        if !self.uses_smtp() {
            return Ok(None);
        }
        self.store.next_mail_due().await
    }

    /// Runs the sender until the mailer is dropped (the server stopped): after every commit of
    /// this process (an email enqueued here is sent at once), when a retry falls due, and
    /// every `sweep` for rows other nodes or CLI commands queued.
    pub fn spawn(self: &Arc<Self>, sweep: Duration) -> tokio::task::JoinHandle<()> {
        let me: Weak<Self> = Arc::downgrade(self);
        let mut commits = self.store.commits();
        tokio::spawn(async move {
            loop {
                let Some(mailer) = me.upgrade() else { break };
                if let Err(e) = mailer.deliver_due().await {
                    tracing::warn!(error = %e, "mail sender could not read the queue");
                }
                let wait = match mailer.next_due().await {
                    Ok(Some(at)) => (at - crate::ids::now())
                        .to_std()
                        .unwrap_or(Duration::ZERO)
                        .min(sweep),
                    _ => sweep,
                };
                drop(mailer);
                tokio::select! {
                    changed = commits.changed() => if changed.is_err() { break },
                    _ = tokio::time::sleep(wait) => {}
                }
            }
        })
    }
}

fn smtp_transport(url: &str) -> anyhow::Result<AsyncSmtpTransport<Tokio1Executor>> {
    Ok(AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
        .map_err(|e| {
            anyhow::anyhow!(
                "smtp_url {} is not usable: {e} (use smtp://HOST:PORT, \
                 smtp://HOST:PORT?tls=required or smtps://USER:PASS@HOST:PORT)",
                redact_url(url)
            )
        })?
        .timeout(Some(SMTP_TIMEOUT))
        .build())
}

/// The MIME message: UTF-8 subject and text (lettre encodes them for the wire), with an HTML
/// alternative when there is one. The Message-ID carries the row id, so a receiver can tell
/// a retry of the same email.
fn message(from: &Mailbox, mail: &MailRecord) -> std::result::Result<Message, String> {
    let address = mail
        .to_address
        .parse()
        .map_err(|e| format!("invalid recipient address: {e}"))?;
    let name = (!mail.to_name.trim().is_empty()).then(|| mail.to_name.clone());
    let domain = from.email.domain();
    let builder = Message::builder()
        .from(from.clone())
        .to(Mailbox::new(name, address))
        .subject(mail.subject.clone())
        .message_id(Some(format!("<{}@{domain}>", mail.id)));
    let built = match &mail.body_html {
        None => builder.singlepart(SinglePart::plain(mail.body_text.clone())),
        Some(html) => builder.multipart(MultiPart::alternative_plain_html(
            mail.body_text.clone(),
            html.clone(),
        )),
    };
    built.map_err(|e| format!("message could not be built: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_double_up_to_the_longest_wait_and_stop_after_the_last_attempt() {
        let retry = Retry::default();
        assert_eq!(retry.after(1), Some(Duration::from_secs(30)));
        assert_eq!(retry.after(2), Some(Duration::from_secs(60)));
        assert_eq!(retry.after(7), Some(Duration::from_secs(32 * 60)));
        assert_eq!(retry.after(8), None);
        let capped = Retry {
            longest: Duration::from_secs(100),
            ..retry
        };
        assert_eq!(capped.after(3), Some(Duration::from_secs(100)));
    }

    #[test]
    fn a_tls_url_is_understood_and_an_unknown_scheme_is_refused_without_its_password() {
        assert!(smtp_transport("smtp://127.0.0.1:2525").is_ok());
        assert!(smtp_transport("smtps://user:pw@mail.example:465").is_ok());
        assert!(smtp_transport("smtp://mail.example:587?tls=required").is_ok());
        let refused = smtp_transport("imap://user:secret@mail.example").unwrap_err();
        let message = refused.to_string();
        assert!(
            message.contains("imap://user:***@mail.example"),
            "{message}"
        );
        assert!(!message.contains("secret"), "{message}");
    }
}
