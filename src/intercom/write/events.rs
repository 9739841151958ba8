//! Submitting events (`POST /events`).

use reqwest::Method;
use serde_json::{Map, Value};

use crate::intercom::client::{Client, Request};
use crate::intercom::error::ApiError;
use crate::intercom::wire::{self};
use crate::model::{Address, Kind};

/// Who an event happened to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventUser {
    /// Your `user_id` for the contact.
    UserId(String),
    /// The contact's e-mail.
    Email(String),
    /// Intercom's contact id (required for leads).
    Id(String),
}

/// One event occurrence for `POST /events`.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Event name.
    pub event_name: String,
    /// Unix seconds.
    pub created_at: i64,
    /// The contact.
    pub user: EventUser,
    /// Metadata (at most 10 keys are kept by Intercom).
    pub metadata: Map<String, Value>,
}

impl Client {
    /// `POST /events` (202). Intercom de-duplicates on (contact, name, `created_at`), so the
    /// call is retried like an idempotent one. 404 → `ApiError::UnknownUser`, not retried.
    pub async fn submit_event(&self, event: &Event) -> Result<(), ApiError> {
        let address = Address::new(Kind::Events, &event.event_name);
        let (user_id, email, id) = match &event.user {
            EventUser::UserId(v) => (Some(v.as_str()), None, None),
            EventUser::Email(v) => (None, Some(v.as_str()), None),
            EventUser::Id(v) => (None, None, Some(v.as_str())),
        };
        let body = wire::EventBody {
            event_name: &event.event_name,
            created_at: event.created_at,
            user_id,
            email,
            id,
            metadata: &event.metadata,
        };
        let req = Request::new(Method::POST, "/events", format!("submit {address}")).json(&body);
        match self.send(&req).await {
            Ok(_) => Ok(()),
            Err(ApiError::NotFound(r)) => Err(ApiError::UnknownUser(r)),
            Err(e) => Err(e),
        }
    }
}
