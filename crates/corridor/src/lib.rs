//! Corridor: the platform behind a city's foreign-related legal services — law firms and their
//! ASEAN partners, an international commercial arbitration commission, notary offices and the
//! justice bureau. See `docs/architecture.md` for the map.

rust_i18n::i18n!("locales", fallback = "en");

pub mod advisory;
pub mod anchoring;
pub mod app;
pub mod arbitration;
pub mod auth;
pub mod bench;
pub mod cli;
pub mod config;
pub mod country;
pub mod db;
pub mod demo;
pub mod directory;
pub mod error;
#[cfg(test)]
mod house_rules;
pub mod housekeeping;
pub mod ids;
pub mod jurisdiction;
pub mod knowledge;
pub mod mail;
pub mod matters;
pub mod money;
pub mod notary;
pub mod objects;
pub mod openapi;
pub mod ops;
pub mod pdf;
pub mod reference;
pub mod search;
pub mod slug;
pub mod state;
pub mod text;
pub mod web;

pub use error::{AppError, Result};
