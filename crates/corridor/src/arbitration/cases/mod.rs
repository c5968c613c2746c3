//! Arbitration cases on top of matters (issue 10): a party or its counsel files at an
//! institution, which opens a matter of kind `arbitration_case` owned by the institution; its
//! case secretaries accept or reject it, record the procedural events whose time limits
//! (counted by [`crate::arbitration::deadlines`]) become the case's deadlines and reminder
//! tasks, and, with counsel, follow the award's recognition and enforcement abroad.
//!
//! | Module | What |
//! |---|---|
//! | [`filing`] | the filing and an enforcement proceeding, checked (pure) |
//! | [`store`] | SQL |
//! | [`actions`] | the workflow, for the API and the pages |
//! | [`award`] | drafted, scrutinised, signed by the tribunal, then rendered and filed ([`award_file`]) |
//! | [`tribunal`] | nominations screened for nationality and conflicts, confirmation, challenge |
//! | [`disclosure`] | the arbitrator's disclosure, confirmed or corrected, for the parties |
//! | [`typical`] | a closed case published, anonymised, as a typical case of the knowledge base |
//! | [`candidates`] | the roster ranked for a seat, for the secretariat |

pub mod actions;
pub mod api;
pub mod award;
pub mod award_file;
pub mod candidates;
pub mod disclosure;
pub mod extensions;
pub mod filing;
pub mod pages;
pub mod store;
pub mod tribunal;
pub mod tribunal_store;
pub mod typical;
