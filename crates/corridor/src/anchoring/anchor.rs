//! Anchoring a record: queue it with its audit event, wait for its index from whichever node
//! sequences, then for the receipt that proves it.

use super::outbox;
use super::service::{APPEND_WAIT, Ledger};

/// A record in the log, as `POST /api/v1/ledger/records` answers it.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Anchored {
    pub index: u64,
    /// The exact leaf bytes (canonical JSON). Keep it: it is what the receipt proves.
    pub record: String,
    /// C2SP tlog-proof text, once a signed checkpoint covers the entry.
    pub receipt: Option<String>,
    pub origin: String,
    /// The key that signed the receipt's checkpoint (the log's current key, or before a
    /// rotation the one it replaced).
    pub vkey: String,
}

impl Ledger {
    /// Anchors `record`: queues it with its audit event in one transaction, then waits for its
    /// index (from whichever node sequences) and its receipt. With `request_key` (see
    /// [`crate::web::idempotency::Claim::token`]) a retry finds the first attempt's record
    /// instead of anchoring again.
    ///
    /// To queue a record in a transaction of your own (with a document row, say), use
    /// [`crate::anchoring::outbox::ledger_enqueue!`] and an [`audit!`](crate::auth::audit::audit!) in it, then
    /// [`Ledger::anchored`] after the commit.
    pub async fn anchor(
        &self,
        who: &crate::auth::audit::Who,
        record: &super::record::LedgerRecord,
        request_key: Option<String>,
    ) -> crate::Result<Anchored> {
        use crate::anchoring::outbox::ledger_enqueue;
        use crate::auth::audit::AuditEvent;
        use crate::auth::audit::audit;
        use crate::db::transaction;
        let entry = String::from_utf8(record.canonical_bytes())
            .map_err(|e| crate::AppError::Internal(e.into()))?;
        let queued = outbox::Queued::new(entry, request_key);
        let (id, entry): (String, String) = transaction!(self.db, |tx| {
            if ledger_enqueue!(tx, &queued) {
                audit!(
                    tx,
                    AuditEvent::by(who, "ledger.append", "ledger_record", &queued.id)
                        .detail(format!("kind={}", record.kind))
                );
                (queued.id.clone(), queued.entry.clone())
            } else {
                // A retry: the first attempt's row, whatever became of it.
                sqlx::query_as("SELECT id, entry FROM ledger_outbox WHERE request_key = $1")
                    .bind(&queued.request_key)
                    .fetch_one(&mut *tx)
                    .await?
            }
        });
        self.anchored(&id, entry).await
    }

    /// Waits for the record queued as `id` (with `entry`, its text) to be appended, then for
    /// its receipt. 503 `ledger_pending` when no node appended it within [`APPEND_WAIT`]; it
    /// stays queued.
    pub async fn anchored(&self, id: &str, entry: String) -> crate::Result<Anchored> {
        let index = self
            .wait_appended(id, APPEND_WAIT)
            .await?
            .ok_or(crate::AppError::LedgerPending)?;
        let receipt = match self.receipt_when_covered(index, self.receipt_wait()).await {
            Ok(receipt) => Some(receipt),
            Err(e) => {
                // The entry is durable; the receipt can be fetched later from /receipts/{index}.
                tracing::warn!(index, error = %e, "no receipt yet");
                None
            }
        };
        let vkey = match &receipt {
            Some(r) => self.signing_vkey(&r.checkpoint).await,
            None => self.vkey(),
        };
        Ok(Anchored {
            index,
            record: entry,
            receipt: receipt.map(|r| r.encode()),
            origin: self.origin.clone(),
            vkey,
        })
    }
}
