//! The directory: the network the programme is made of — law firms at home and abroad and
//! their partnerships, arbitration institutions and their cooperation agreements, notary
//! offices, enterprises, and the people who work in them.

pub mod actions;
pub mod api;
pub mod model;
mod org_list;
pub mod pages;
pub mod policy;
pub mod search_rows;
mod store_links;
mod store_orgs;
mod store_people;
pub use org_list::{tag_rows, tag_set};
pub use store_people::people_generation;
pub mod validate;
