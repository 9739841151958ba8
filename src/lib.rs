//! intercom-iac: an Intercom workspace's configuration as code.
//!
//! YAML files are loaded and validated into a desired state (`config`), the live workspace is
//! read through the client (`intercom`) or the embedded emulator (`sandbox`), and the two are
//! compared into a plan. `settings` turns the flags and the environment into the settings of a
//! run once, and `commands` runs each subcommand with them, one file per subcommand.
#![forbid(unsafe_code)]

pub mod apply;
pub mod audit;
pub mod cli;
pub mod commands;
pub mod config;
pub mod drift;
pub mod events;
pub mod export;
pub mod intercom;
pub mod kinds;
pub mod model;
pub mod output;
pub mod plan;
pub mod render;
pub mod sandbox;
pub mod settings;
