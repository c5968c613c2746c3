//! Notary offices (公证机构): the overseas remote video notarization pilot (海外远程视频公证), the
//! notarial register and certificates (公证书), and portable evidence bundles.
//!
//! This module holds the pure cores, each over sourced data in `data/notary/` (embedded at build
//! time) and tested beside it; the front ends (CLI today) only translate input and output:
//!
//! | Core | What | Front ends |
//! |---|---|---|
//! | [`eligibility`] | may this person apply for overseas remote video notarization of this matter | `corridor notary check`, `POST /api/v1/notary/eligibility`, the form at `/notary/eligibility` |
//! | [`bundle`] | a portable evidence bundle (files + manifest + ledger record + receipt in one tar) and its offline check | `corridor verify bundle`, `corridor bench notary` |
//! | [`certificate`] | certificate numbers per office and year, `(2026)渝明证字第123号` | — |
//! | [`retention`] | retention class (short / long / permanent) per act type, and the purge rule | [`keep`]: `/api/v1/notary/matters/{id}/retention`, `corridor notary purge` (crypto-shredding) |
//! | [`application`] | an application's states and steps, and where the session is held | [`actions`]: `/api/v1/notary/applications`, `/notary/applications` |
//! | [`session`] | what a video session needs before it is closed | [`session_actions`], [`signal`] (WebRTC signalling), `/notary/applications/{id}/session` |
//! | [`register`] | the certificate's text, drafted and checked | [`certify`]: the register entry, the PDF with its QR code; [`verify`]: `/verify/certificates/{id}` |
//!
//! See `docs/notary.md` for the contracts.

pub mod actions;
pub mod api;
pub mod api_applications;
pub mod api_evidence;
pub mod api_retention;
pub mod application;
pub mod bench;
pub mod bench_signal;
pub mod bundle;
pub mod capture;
mod capture_har;
pub mod certificate;
pub mod certify;
pub mod custody;
pub mod demo;
pub mod eligibility;
pub mod evidence;
pub mod evidence_bundle;
pub mod keep;
pub mod pages;
pub mod pages_applications;
pub mod pages_evidence;
pub mod pages_retention;
pub mod register;
pub mod retention;
mod rules;
pub mod session;
pub mod session_actions;
pub mod signal;
pub mod store;
pub mod store_evidence;
pub mod store_retention;
pub mod verify;
pub mod workflow;

pub use rules::{MatterType, RefusalGround, RuleText, Rules};
