//! Writes of audiences.

use reqwest::Method;

use super::{by_id, recovery_error};
use crate::intercom::client::{Client, Request};
use crate::intercom::error::ApiError;
use crate::intercom::fetch::{self};
use crate::intercom::wire::{self};
use crate::model::{Address, Audience, AudienceChanges, Kind, NewAudience};

impl Client {
    /// `POST /audiences` (201).
    pub async fn create_audience(&self, new: &NewAudience) -> Result<Audience, ApiError> {
        let address = Address::new(Kind::Audiences, &new.name);
        let body = wire::AudienceBody {
            name: Some(&new.name),
            // A create always names both lists (empty when the configuration sets none).
            predicates: Some(new.predicates.as_deref().unwrap_or_default()),
            role_predicates: Some(new.role_predicates.as_deref().unwrap_or_default()),
        };
        let req = Request::new(Method::POST, "/audiences", format!("create {address}"))
            .json(&body)
            .once();
        let call = req.call_info();
        self.create(
            &req,
            |reply| Ok(self.decode::<wire::Audience>(reply)?.into()),
            || async {
                let all = fetch::audiences(self)
                    .await
                    .map_err(|e| recovery_error(call.clone(), e))?;
                Ok(all.into_iter().find(|a| a.name == new.name))
            },
        )
        .await
    }

    /// `PUT /audiences/{id}` (partial).
    pub async fn update_audience(
        &self,
        current: &Audience,
        changes: &AudienceChanges,
    ) -> Result<Audience, ApiError> {
        let address = Address::new(Kind::Audiences, &current.name);
        self.put_audience(&current.id, &address.to_string(), changes)
            .await
    }

    /// `PUT /audiences/{id}` of an audience known by id.
    pub(crate) async fn update_audience_at(
        &self,
        id: &str,
        changes: &AudienceChanges,
    ) -> Result<Audience, ApiError> {
        self.put_audience(id, &by_id(Kind::Audiences, id), changes)
            .await
    }

    async fn put_audience(
        &self,
        id: &str,
        label: &str,
        changes: &AudienceChanges,
    ) -> Result<Audience, ApiError> {
        let body = wire::AudienceBody {
            name: changes.name.as_deref(),
            predicates: changes.predicates.as_deref(),
            role_predicates: changes.role_predicates.as_deref(),
        };
        let req = Request::new(
            Method::PUT,
            format!("/audiences/{id}"),
            format!("update {label}"),
        )
        .json(&body);
        let reply = self.send(&req).await?;
        Ok(self.decode::<wire::Audience>(&reply)?.into())
    }

    /// `DELETE /audiences/{id}` (204).
    pub async fn delete_audience(&self, current: &Audience) -> Result<(), ApiError> {
        let address = Address::new(Kind::Audiences, &current.name);
        self.delete_at(format!("/audiences/{}", current.id), &address.to_string())
            .await
    }

    /// `DELETE /audiences/{id}` of an audience known by id.
    pub(crate) async fn delete_audience_at(&self, id: &str) -> Result<(), ApiError> {
        self.delete_at(format!("/audiences/{id}"), &by_id(Kind::Audiences, id))
            .await
    }
}
