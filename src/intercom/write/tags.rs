//! Writes of tags: create (an upsert by name), rename, delete.

use reqwest::Method;

use super::by_id;
use crate::intercom::client::{Client, Request};
use crate::intercom::error::ApiError;
use crate::intercom::wire::{self};
use crate::model::{Address, Kind, Tag};

impl Client {
    /// `POST /tags {name}`: an upsert by name, so safe to retry.
    pub async fn create_tag(&self, name: &str) -> Result<Tag, ApiError> {
        let address = Address::new(Kind::Tags, name);
        let req = Request::new(Method::POST, "/tags", format!("create {address}"))
            .json(&wire::TagBody { id: None, name });
        let reply = self.send(&req).await?;
        Ok(self.decode::<wire::Tag>(&reply)?.into())
    }

    /// `POST /tags {id, name}`: renames a tag.
    pub async fn rename_tag(&self, current: &Tag, new_name: &str) -> Result<Tag, ApiError> {
        let address = Address::new(Kind::Tags, &current.name);
        self.rename_tag_at(&current.id, &address.to_string(), new_name)
            .await
    }

    pub(crate) async fn rename_tag_at(
        &self,
        id: &str,
        label: &str,
        new_name: &str,
    ) -> Result<Tag, ApiError> {
        let req = Request::new(
            Method::POST,
            "/tags",
            format!("rename {label} to {new_name:?}"),
        )
        .json(&wire::TagBody {
            id: Some(id),
            name: new_name,
        });
        let reply = self.send(&req).await?;
        Ok(self.decode::<wire::Tag>(&reply)?.into())
    }

    /// `DELETE /tags/{id}`. 400 `tag_has_dependent_objects` when a segment uses it.
    pub async fn delete_tag(&self, current: &Tag) -> Result<(), ApiError> {
        let address = Address::new(Kind::Tags, &current.name);
        self.delete_at(format!("/tags/{}", current.id), &address.to_string())
            .await
    }

    /// `DELETE /tags/{id}` of a tag known by id.
    pub(crate) async fn delete_tag_at(&self, id: &str) -> Result<(), ApiError> {
        self.delete_at(format!("/tags/{id}"), &by_id(Kind::Tags, id))
            .await
    }
}
