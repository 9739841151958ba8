//! Writes of ticket types and their attributes. The request types (`crate::model`) are sent as
//! they serialise: they are Intercom's bodies.

use reqwest::Method;

use super::recovery_error;
use crate::intercom::client::{Client, Request};
use crate::intercom::error::ApiError;
use crate::intercom::fetch::FetchError;
use crate::intercom::ticket_types::{WireAttribute, WireTicketType, ticket_types};
use crate::model::{
    Address, Kind, NewTicketType, NewTicketTypeAttribute, TicketType, TicketTypeAttribute,
    TicketTypeAttributeChanges, TicketTypeChanges,
};

impl Client {
    /// `POST /ticket_types`; after an ambiguous failure, reads back the active type with the name.
    pub async fn create_ticket_type(&self, new: &NewTicketType) -> Result<TicketType, ApiError> {
        let address = Address::new(Kind::TicketTypes, &new.name);
        let req = Request::new(Method::POST, "/ticket_types", format!("create {address}"))
            .json(new)
            .once();
        let call = req.call_info();
        self.create(
            &req,
            |reply| Ok(self.decode::<WireTicketType>(reply)?.into_model()),
            || async {
                let all = ticket_types(self)
                    .await
                    .map_err(|e| recovery_error(call.clone(), e))?;
                Ok(all.into_iter().find(|t| !t.archived && t.name == new.name))
            },
        )
        .await
    }

    /// `PUT /ticket_types/{id}` with the fields that change (archiving included).
    pub async fn update_ticket_type(
        &self,
        id: &str,
        label: &str,
        changes: &TicketTypeChanges,
    ) -> Result<(), ApiError> {
        let req = Request::new(
            Method::PUT,
            format!("/ticket_types/{id}"),
            format!("update {label}"),
        )
        .json(changes);
        self.send(&req).await.map(drop)
    }

    /// `POST /ticket_types/{id}/attributes`; after an ambiguous failure, reads the type back
    /// and looks for the active attribute with the name.
    pub async fn create_ticket_type_attribute(
        &self,
        ticket_type_id: &str,
        label: &str,
        new: &NewTicketTypeAttribute,
    ) -> Result<TicketTypeAttribute, ApiError> {
        let req = Request::new(
            Method::POST,
            format!("/ticket_types/{ticket_type_id}/attributes"),
            format!("create attribute {:?} of {label}", new.name),
        )
        .json(new)
        .once();
        let call = req.call_info();
        self.create(
            &req,
            |reply| Ok(self.decode::<WireAttribute>(reply)?.into_model()),
            || async {
                let read = Request::new(
                    Method::GET,
                    format!("/ticket_types/{ticket_type_id}"),
                    format!("read {label}"),
                );
                let t: WireTicketType = self
                    .get_json(&read)
                    .await
                    .map_err(|e| recovery_error(call.clone(), FetchError::Api(e)))?;
                Ok(t.into_model()
                    .attributes
                    .into_iter()
                    .find(|a| !a.default && !a.archived && a.name == new.name))
            },
        )
        .await
    }

    /// `PUT /ticket_types/{id}/attributes/{attribute_id}` with the fields that change.
    pub async fn update_ticket_type_attribute(
        &self,
        ticket_type_id: &str,
        id: &str,
        label: &str,
        changes: &TicketTypeAttributeChanges,
    ) -> Result<(), ApiError> {
        let req = Request::new(
            Method::PUT,
            format!("/ticket_types/{ticket_type_id}/attributes/{id}"),
            format!("update {label}"),
        )
        .json(changes);
        self.send(&req).await.map(drop)
    }
}
