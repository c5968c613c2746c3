//! One log per deployment. The first node to start records the log's origin, verifier key and
//! storage in the database (`ledger_log`) and writes the log's id into the storage
//! (`state/deployment`); every later start must match both, or the node refuses to start.
//!
//! Without this, two nodes on one database each created a key and a log under the same origin
//! and handed out the same indices for different records: a fork that looks like equivocation
//! to anyone verifying. The refusal names what differs and what to do.
//!
//! The registered key follows key rotations ([`super::rotation`]); the key history in the
//! storage says which keys the log had.

use corridor_ledger::storage::LedgerStore;

use crate::db::Store;
use crate::db::dispatch;

/// Where the deployment's id is written in the ledger storage. Under `state/`, so never served.
pub const MARKER: &str = "state/deployment";

/// What this node would sign and where it would write.
#[derive(Clone, Debug)]
pub struct Identity {
    pub origin: String,
    pub vkey: String,
    /// `s3://bucket/prefix/ledger` or `file:///path`.
    pub storage: String,
    /// Whether other nodes can reach the storage (S3) or it is this machine's folder.
    pub shared: bool,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Registered {
    pub origin: String,
    pub vkey: String,
    pub storage: String,
    pub log_id: String,
    pub outbox_from: i64,
}

pub async fn registered(db: &Store) -> anyhow::Result<Option<Registered>> {
    Ok(dispatch!(db, |pool| {
        sqlx::query_as::<_, Registered>(
            "SELECT origin, vkey, storage, log_id, outbox_from FROM ledger_log WHERE id = 1",
        )
        .fetch_optional(pool)
        .await?
    }))
}

/// Registers this node's log as the deployment's, or checks that it is the registered one.
pub async fn claim(db: &Store, store: &LedgerStore, me: &Identity) -> anyhow::Result<Registered> {
    let marker = store
        .get(MARKER)
        .await?
        .map(|b| String::from_utf8_lossy(&b).trim().to_string());
    let mut row = registered(db).await?;
    if row.is_none() {
        if let Some(id) = &marker {
            anyhow::bail!(
                "refusing to start: the ledger storage {} already holds log {id}, which this \
                 database does not know; point database_url at that deployment's database, \
                 or files_url at this deployment's storage",
                me.storage
            );
        }
        // The first node (or the first start after an upgrade, adopting the log it has).
        let log_id = crate::ids::new_id();
        dispatch!(db, |pool| {
            sqlx::query(
                "INSERT INTO ledger_log (id, origin, vkey, storage, log_id, outbox_from, created_at) \
                 VALUES (1, $1, $2, $3, $4, -1, $5) ON CONFLICT (id) DO NOTHING",
            )
            .bind(&me.origin)
            .bind(&me.vkey)
            .bind(&me.storage)
            .bind(&log_id)
            .bind(crate::ids::now())
            .execute(pool)
            .await?;
        });
        row = registered(db).await?;
    }
    let mut row = row.ok_or_else(|| anyhow::anyhow!("ledger_log has no row after insert"))?;
    if row.origin != me.origin {
        anyhow::bail!(
            "refusing to start: this deployment's log is {:?}, but ledger_origin is {:?}",
            row.origin,
            me.origin
        );
    }
    if row.vkey != me.vkey {
        // After a key rotation the history in storage decides: this node may hold the new key
        // before the database heard of it (a crash between the two), or only the retired one.
        let history = super::rotation::stored_history(store).await?;
        let mine = corridor_ledger::note::Ed25519NoteVerifier::from_vkey(&me.vkey)?;
        if let Some(history) = history {
            let registered = corridor_ledger::note::Ed25519NoteVerifier::from_vkey(&row.vkey)?;
            if history.current() == &mine && history.contains(&registered) {
                set_vkey(db, &me.vkey).await?;
                row.vkey = me.vkey.clone();
            }
            if let Some(at) = history.retired_at(&mine) {
                anyhow::bail!(
                    "refusing to start: this node's key (ledger_key_file) {} was retired at tree \
                     size {at}; the log's key is now {}: copy the current key file from a node \
                     of this deployment (see docs/operations.md)",
                    me.vkey,
                    history.current().vkey()
                );
            }
        }
    }
    if row.vkey != me.vkey {
        anyhow::bail!(
            "refusing to start: this deployment's log is signed by {}, but this node's key \
             (ledger_key_file) is {}; copy the key file from a node of this deployment \
             (see docs/operations.md) — a second key would start a second log",
            row.vkey,
            me.vkey
        );
    }
    match marker {
        Some(id) if id == row.log_id => {
            if row.storage != me.storage {
                tracing::warn!(registered = %row.storage, here = %me.storage,
                    "the ledger storage is reached under another name than at registration");
            }
        }
        Some(id) => anyhow::bail!(
            "refusing to start: the ledger storage {} holds log {id}, not this deployment's log \
             {} (registered at {})",
            me.storage,
            row.log_id,
            row.storage
        ),
        None => {
            if !me.shared && !first_registration(&row, me) {
                anyhow::bail!(
                    "refusing to start: this deployment's log lives in {}, and this node's ledger \
                     storage {} is a local folder that does not hold it; nodes of one deployment \
                     share one store: set files_url = \"s3://bucket/prefix\" on every node",
                    row.storage,
                    me.storage
                );
            }
            if row.storage != me.storage {
                anyhow::bail!(
                    "refusing to start: this deployment's log lives in {}, not in {}; set \
                     files_url to the deployment's store",
                    row.storage,
                    me.storage
                );
            }
            if has_entries(db, &row).await? {
                anyhow::bail!(
                    "refusing to start: the ledger storage {} does not hold this deployment's \
                     log (no {MARKER}), but the log has entries; restore the storage from backup",
                    me.storage
                );
            }
            store
                .put(MARKER, format!("{}\n", row.log_id).into())
                .await?;
        }
    }
    Ok(row)
}

/// Records the deployment's current key after a rotation (see [`super::rotation`]).
pub async fn set_vkey(db: &Store, vkey: &str) -> anyhow::Result<()> {
    dispatch!(db, |pool| {
        sqlx::query("UPDATE ledger_log SET vkey = $1 WHERE id = 1")
            .bind(vkey)
            .execute(pool)
            .await?;
    });
    Ok(())
}

/// The row was written by this very start (no other node can have used a local folder yet).
fn first_registration(row: &Registered, me: &Identity) -> bool {
    row.outbox_from < 0 && row.storage == me.storage
}

async fn has_entries(db: &Store, row: &Registered) -> anyhow::Result<bool> {
    if row.outbox_from > 0 {
        return Ok(true);
    }
    let appended: i64 = dispatch!(db, |pool| {
        sqlx::query_scalar("SELECT COUNT(*) FROM ledger_outbox WHERE leaf_index IS NOT NULL")
            .fetch_one(pool)
            .await?
    });
    Ok(appended > 0)
}
