//! Away status reasons: read-only in Intercom, so a declared one must exist (a manual step
//! when it does not) and nothing is ever written. One is named by its label; deleted ones,
//! which Intercom still lists, are left out, as if they did not exist.

use serde::Deserialize;

use super::listed::{Listed, ReadOnly};
use crate::intercom::{self, Client, FetchError};
use crate::model::Kind;

/// Away status reasons.
pub type AwayStatusReasons = ReadOnly<AwayStatusReasonList>;

/// The description of the away status reasons kind.
pub struct AwayStatusReasonList;

/// An away status reason as `GET /away_status_reasons` lists it (the fields the tool uses).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AwayStatusReason {
    /// Intercom id.
    pub id: intercom::read::Id,
    /// Label (the natural key).
    pub label: String,
    /// Whether it was deleted (deleted reasons stay listed).
    #[serde(default)]
    pub deleted: bool,
}

impl Listed for AwayStatusReasonList {
    type Live = AwayStatusReason;
    const KIND: Kind = Kind::AwayStatusReasons;
    const SECTION: &'static str = "Away status reasons, by label. Read-only in Intercom: a declared one must exist and not\nbe deleted.";
    const CREATE_IN: &'static str = "Settings → Inbox → Away status reasons";

    fn name(live: &AwayStatusReason) -> &str {
        &live.label
    }

    async fn read(client: Client) -> Result<Vec<AwayStatusReason>, FetchError> {
        let all: Vec<AwayStatusReason> =
            intercom::read::list(&client, "/away_status_reasons", "list away status reasons")
                .await?;
        Ok(all.into_iter().filter(|r| !r.deleted).collect())
    }
}
