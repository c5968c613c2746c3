//! Anchoring platform records in the ledger: the canonical leaf format, and (with the
//! sequencer) receipts. A leaf holds hashes and metadata — never a document or personal data.

pub mod anchor;
pub mod api;
pub mod deployment;
pub mod outbox;
pub mod pages;
pub mod public_files;
pub mod record;
pub mod rotation;
pub mod service;
pub mod verify;
pub mod witnessing;
pub mod writer_lock;
