//! The configuration's event definitions as an enforced contract: the JSON Schema of each
//! event's `POST /events` body (`schema`), checking newline-delimited JSON events against the
//! definitions (`check`, `validate`), posting them resumably (`send`), and typed producers
//! (`codegen`). Intercom has no API for definitions, so this is where they are enforced;
//! `commands` holds the CLI side.

pub mod audit;
pub mod check;
pub mod checkpoint;
pub mod codegen;
pub mod lines;
pub mod review;
pub mod schema;
pub mod send;
pub mod validate;

pub use check::{Checked, Contract};
