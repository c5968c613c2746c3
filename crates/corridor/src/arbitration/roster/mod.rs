//! The roster (issue 10 §1): arbitrator profiles on the directory's people — panels (the
//! directory's rosters, and recommendations by partner institutions under cooperation
//! agreements), nationalities, residence, languages, legal systems, expertise, ASEAN experience,
//! fee basis, availability, the overseas-expert designation, former firms, appointment history
//! and disclosures — with search and filters, and the whole roster ranked for a seat in a case.
//!
//! | Module | What |
//! |---|---|
//! | [`profile`] | the profile's values and rules (pure) |
//! | [`search`] | the search filter (pure) |
//! | [`rank`] | the roster ranked for a case on top of the screens (pure) |
//! | [`policy`] | who keeps an entry, edits a profile, records a recommendation |
//! | [`snapshot`] | the roster and its history kept in memory for the ranking |
//! | [`store`] | SQL |
//! | [`actions`] | one function per change, for the API and the pages |

pub mod actions;
pub mod api;
pub mod demo;
pub mod pages;
pub mod policy;
pub mod profile;
pub mod rank;
pub mod search;
pub mod snapshot;
pub mod store;
#[cfg(test)]
mod tests;
