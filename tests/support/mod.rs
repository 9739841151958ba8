//! The one harness of the integration tests, shared by every test crate.
//!
//! - [`api`]: a small async Intercom HTTP client ([`Api`]) for talking to a sandbox directly.

// Each test crate uses only part of the harness.
#![allow(dead_code, unused_imports)]

pub mod api;

pub use api::{Api, Reply, find, id_of};
