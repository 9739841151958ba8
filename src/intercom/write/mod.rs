//! Writes: one `Client` method per action, each returning the normalised model object Intercom
//! answered with. Creates that are not idempotent go through `Client::create`, which reads back
//! by natural key after an ambiguous failure instead of sending the create blindly again.

mod articles;
mod attributes;
mod audiences;
mod events;
mod help_center;
mod knowledge;
mod office_hours;
mod tags;
mod teams;
mod ticket_types;
mod workspace;

pub use events::{Event, EventUser};

use reqwest::Method;

use super::client::{Client, Request};
use super::error::{ApiError, CallInfo};
use super::fetch::FetchError;
use crate::model::{Address, AttributeModel, Kind};

/// How a message names an object known only by id (`audience 3`).
pub(crate) fn by_id(kind: Kind, id: &str) -> String {
    format!("{} {id}", kind.singular())
}

fn data_attribute_address(model: AttributeModel, name: &str) -> Address {
    Address::new(model.kind(), name)
}

/// Maps a read-back failure during create recovery to an `ApiError`.
fn recovery_error(call: CallInfo, e: FetchError) -> ApiError {
    match e {
        FetchError::Api(e) => e,
        other => ApiError::Decode {
            call: Box::new(call),
            status: 200,
            reason: format!("reading back after an ambiguous failure: {other}"),
            snippet: None,
        },
    }
}

fn ids_as_integers(call: &CallInfo, ids: &[String]) -> Result<Vec<u64>, ApiError> {
    ids.iter()
        .map(|id| {
            id.trim().parse::<u64>().map_err(|_| ApiError::NotSent {
                call: Box::new(call.clone()),
                reason: format!("admin id `{id}` is not numeric"),
            })
        })
        .collect()
}

fn same_name(kind: Kind, a: &str, b: &str) -> bool {
    if kind.case_insensitive_names() {
        a.to_lowercase() == b.to_lowercase()
    } else {
        a == b
    }
}

impl Client {
    /// A DELETE that answers with nothing the caller needs; a 404 after an ambiguous earlier
    /// attempt counts as done.
    pub(super) async fn delete_at(&self, path: String, label: &str) -> Result<(), ApiError> {
        let req = Request::new(Method::DELETE, path, format!("delete {label}")).gone_ok();
        self.send(&req).await.map(drop)
    }
}
