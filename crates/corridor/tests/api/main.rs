//! API and page tests against the real server on loopback, on SQLite and PostgreSQL.

mod helpers;

mod accounts;
mod advisory;
mod advisory_library;
mod advisory_library_pages;
mod advisory_outputs;
mod advisory_project_pages;
mod advisory_projects;
mod advisory_referrals;
mod arbitration;
mod authorization;
mod authorization_pages;
mod bad_input;
mod directory;
mod jurisdiction;
mod knowledge;
mod knowledge_cases;
mod ledger;
mod ledger_keys;
mod mail;
mod matters;
mod matters_files;
mod matters_matrix;
mod matters_page_forms;
mod matters_work;
mod nodes;
mod notary;
mod openapi_doc;
mod operations;
mod page_forms;
mod pages;
mod search;
mod slow_clients;
mod smtp_sink;
mod story;
