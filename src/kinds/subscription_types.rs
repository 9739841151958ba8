//! Subscription types: read-only in Intercom, so a declared one must exist (a manual step when
//! it does not) and nothing is ever written. One is named by its default locale's translation;
//! archived ones are left out, as if they did not exist.

use serde::Deserialize;

use crate::intercom;
use crate::model::Kind;

/// A subscription type's default-locale translation (the fields the tool uses).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Translation {
    /// The localised name.
    pub name: String,
}

/// A subscription type as `GET /subscription_types` lists it (the fields the tool uses).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SubscriptionType {
    /// Intercom id.
    pub id: intercom::read::Id,
    /// `live`, `draft` or `archived`.
    #[serde(default)]
    pub state: String,
    /// The default locale's name and description.
    pub default_translation: Translation,
}

super::listed::listed_kind! {
    /// Subscription types.
    SubscriptionTypes = SubscriptionTypeList(SubscriptionType, Kind::SubscriptionTypes)
        in "Settings → Subscriptions",
    name: default_translation.name,
    read: list("/subscription_types", "list subscription types"),
    keep: |t| t.state != "archived",
    section: "Subscription types, by their default-locale name. Read-only in Intercom: a \
        declared one\nmust exist and not be archived.",
}
