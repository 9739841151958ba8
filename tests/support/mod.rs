//! The one harness of the integration tests, shared by every test crate (`mod support;`, or
//! `#[path = "../support/mod.rs"] mod support;` from a test directory):
//!
//! - [`api`]: a small async Intercom HTTP client ([`Api`]) for talking to a sandbox directly;
//! - [`cli`]: running the real binary ([`Cli`], a command-line builder, and [`Run`], its result);
//! - [`client`]: the library's Intercom client for a local endpoint ([`endpoint_client`]);
//! - [`sandbox`]: a `sandbox serve` child process ([`Served`], stopped on drop) and the one
//!   reader of `GET /_sandbox/stats` ([`stats`], with typed helpers in [`StatsExt`]);
//! - [`live`]: typed views of a read workspace ([`LiveExt`]: `live.tags()`, …);
//! - [`project`]: a temporary project directory for the end-to-end CLI tests ([`Project`]).
//!
//! Everything talks to 127.0.0.1 only.

// Each test crate uses only part of the harness (and of its re-exports).
#![allow(dead_code, unused_imports)]

pub mod api;
pub mod cli;
pub mod client;
pub mod live;
pub mod project;
pub mod sandbox;

pub use api::{Api, Reply, find, has, id_of};
pub use cli::{BIN, Cli, Run};
pub use client::endpoint_client;
pub use live::LiveExt;
pub use project::{Project, alias_bomb, names, plan_ops, write_file};
pub use sandbox::{Served, StatsExt, TOKEN, stats, stats_async};
