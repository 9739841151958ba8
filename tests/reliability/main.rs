//! Issue 8's reliability suite: the CLI and the client against a sandbox that injects faults
//! and rate-limits hard, apply runs killed at random points, a hostile HTTP server, secrets
//! in every output, and generated configurations applied to an empty workspace.
//!
//! Everything talks to 127.0.0.1 only. `INTERCOM_IAC_RELIABILITY_LARGE=1` runs the bigger
//! variants (thousands of changes); `PROPTEST_CASES` sets the number of generated cases.

#[path = "../support/mod.rs"]
mod support;

mod faults;
mod fixtures;
mod hostile;
mod interrupt;
mod properties;
mod secrets;
