//! Matters: the shared workspace under every arbitration case, notarization application and
//! advisory engagement — a closed circle of participants with roles, documents in object
//! storage (anchored in the ledger), messages, a timeline, tasks, meetings and notifications.
//!
//! Kinds (`kind.rs`) declare their roles; `policy.rs` decides who sees and does what; `actions.rs`
//! is one function per change, called by `api.rs` and `pages.rs` alike.

pub mod actions;
pub mod api;
pub mod api_documents;
pub mod bench;
pub mod demo;
pub mod files;
pub mod http;
pub mod ics;
pub mod kind;
pub mod model;
pub mod pages;
pub mod pages_inbox;
pub mod policy;
pub mod seal;
pub mod store;
pub mod store_circle;
pub mod store_documents;
pub mod store_events;
pub mod store_keys;
pub mod store_meetings;
pub mod store_reads;
pub mod store_work;
pub mod summary;
pub mod text;
pub mod when;
