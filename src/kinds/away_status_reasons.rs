//! Away status reasons: read-only in Intercom, so a declared one must exist (a manual step
//! when it does not) and nothing is ever written. One is named by its label; deleted ones,
//! which Intercom still lists, are left out, as if they did not exist.

use serde::Deserialize;

use crate::intercom;
use crate::model::Kind;

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

super::listed::listed_kind! {
    /// Away status reasons.
    AwayStatusReasons = AwayStatusReasonList(AwayStatusReason, Kind::AwayStatusReasons)
        in "Settings → Inbox → Away status reasons",
    name: label, read: list("/away_status_reasons", "list away status reasons"),
    keep: |r| !r.deleted,
    section: "Away status reasons, by label. Read-only in Intercom: a declared one must exist \
        and not\nbe deleted.",
}
