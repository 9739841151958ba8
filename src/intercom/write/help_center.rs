//! Writes of Help Center collections.

use std::collections::BTreeMap;

use reqwest::Method;

use super::{by_id, recovery_error};
use crate::intercom::client::{Client, Request};
use crate::intercom::error::ApiError;
use crate::intercom::fetch::{self};
use crate::intercom::wire::{self};
use crate::model::{
    Address, GroupContent, HelpCenterCollection, Kind, NewHelpCenterCollection, Translations,
};

/// `translated_content` as sent.
fn group_contents(content: &Translations<GroupContent>) -> BTreeMap<&str, wire::GroupContent> {
    content
        .iter()
        .map(|(locale, c)| {
            let body = wire::GroupContent {
                name: c.name.clone(),
                description: c.description.clone(),
            };
            (locale.as_str(), body)
        })
        .collect()
}

impl Client {
    /// `POST /help_center/collections` under `parent_id` (what the caller resolved `new.parent`
    /// to); after an ambiguous failure, reads back by parent and name.
    pub async fn create_help_center_collection(
        &self,
        new: &NewHelpCenterCollection,
        parent_id: Option<&str>,
    ) -> Result<HelpCenterCollection, ApiError> {
        let address = Address::new(Kind::HelpCenterCollections, &new.name);
        let help_center_id = new
            .help_center_id
            .as_deref()
            .and_then(|h| h.parse::<u64>().ok());
        let body = wire::CollectionBody {
            name: Some(&new.name),
            description: new.description.as_deref(),
            parent_id,
            help_center_id,
            translated_content: group_contents(&new.translated_content),
        };
        let req = Request::new(
            Method::POST,
            "/help_center/collections",
            format!("create {address}"),
        )
        .json(&body)
        .once();
        let call = req.call_info();
        self.create(
            &req,
            |reply| {
                let c = self.decode::<wire::Collection>(reply)?;
                let translations = c.translations();
                Ok(HelpCenterCollection {
                    default_locale: c.default_locale,
                    translations,
                    id: c.id.0,
                    name: c.name,
                    path: new.name.clone(),
                    parent_id: c.parent_id.map(|p| p.0),
                    help_center_id: c.help_center_id.map(|h| h.0),
                    description: c.description,
                    articles: 0,
                })
            },
            || async {
                let all = fetch::help_center_collections(self)
                    .await
                    .map_err(|e| recovery_error(call.clone(), e))?;
                Ok(all
                    .into_iter()
                    .find(|c| c.parent_id.as_deref() == parent_id && c.name == new.name))
            },
        )
        .await
    }

    /// `PUT /help_center/collections/{id}`: the description.
    pub async fn update_help_center_collection(
        &self,
        id: &str,
        label: &str,
        description: &str,
    ) -> Result<(), ApiError> {
        let body = wire::CollectionBody {
            name: None,
            description: Some(description),
            parent_id: None,
            help_center_id: None,
            translated_content: BTreeMap::new(),
        };
        let req = Request::new(
            Method::PUT,
            format!("/help_center/collections/{id}"),
            format!("update {label}"),
        )
        .json(&body);
        self.send(&req).await?;
        Ok(())
    }

    /// `PUT /help_center/collections/{id}` with `translated_content` only: the locales whose
    /// name or description changes.
    pub async fn update_help_center_collection_translations(
        &self,
        id: &str,
        label: &str,
        content: &Translations<GroupContent>,
    ) -> Result<(), ApiError> {
        let body = wire::CollectionBody {
            name: None,
            description: None,
            parent_id: None,
            help_center_id: None,
            translated_content: group_contents(content),
        };
        let req = Request::new(
            Method::PUT,
            format!("/help_center/collections/{id}"),
            format!("update {label}"),
        )
        .json(&body);
        self.send(&req).await?;
        Ok(())
    }

    /// `DELETE /help_center/collections/{id}` (its sub-collections go with it).
    pub(crate) async fn delete_help_center_collection_at(&self, id: &str) -> Result<(), ApiError> {
        let label = by_id(Kind::HelpCenterCollections, id);
        self.delete_at(format!("/help_center/collections/{id}"), &label)
            .await
    }
}
