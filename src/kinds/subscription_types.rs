//! Subscription types: read-only in Intercom, so a declared one must exist (a manual step when
//! it does not) and nothing is ever written. One is named by its default locale's translation;
//! archived ones are left out, as if they did not exist.

use serde::Deserialize;

use super::listed::{Listed, ReadOnly};
use crate::intercom::{self, Client, FetchError};
use crate::model::Kind;

/// Subscription types.
pub type SubscriptionTypes = ReadOnly<SubscriptionTypeList>;

/// The description of the subscription types kind.
pub struct SubscriptionTypeList;

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

impl Listed for SubscriptionTypeList {
    type Live = SubscriptionType;
    const KIND: Kind = Kind::SubscriptionTypes;
    const SECTION: &'static str = "Subscription types, by their default-locale name. Read-only in Intercom: a declared one\nmust exist and not be archived.";
    const CREATE_IN: &'static str = "Settings → Subscriptions";

    fn name(live: &SubscriptionType) -> &str {
        &live.default_translation.name
    }

    async fn read(client: Client) -> Result<Vec<SubscriptionType>, FetchError> {
        let all: Vec<SubscriptionType> =
            intercom::read::list(&client, "/subscription_types", "list subscription types").await?;
        Ok(all.into_iter().filter(|t| t.state != "archived").collect())
    }
}
