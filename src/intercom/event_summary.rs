//! The reads `events audit` makes: contact ids from `GET /contacts` pages, and one contact's
//! `event.summary` (`GET /events?type=user&intercom_user_id=…&summary=true`: names with counts
//! and first/last times, no metadata), mapped to plain values at this edge.

use reqwest::Method;
use serde::Deserialize;

use super::client::Client;
use super::fetch::{FetchError, list_per_page};
use super::request::Request;

/// Intercom's largest page of contacts: the fewest calls under the rate limiter.
const CONTACTS_PER_PAGE: u32 = 150;

/// A contact on the wire; the audit needs only its id.
#[derive(Debug, Deserialize)]
struct WireContact {
    id: String,
}

/// `event.summary` on the wire (2.16: `type`, `email`, `intercom_user_id`, `user_id`, `events`).
#[derive(Debug, Deserialize)]
struct WireEventSummary {
    // Items are `nullable: true` in 2.16.
    #[serde(default)]
    events: Vec<Option<WireEventCount>>,
}

/// One name of a summary; `first`, `last` and `description` are not used by the audit.
#[derive(Debug, Deserialize)]
struct WireEventCount {
    name: String,
    #[serde(default)]
    count: u64,
}

/// How often a contact sent one event name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventCount {
    /// The event name as sent.
    pub name: String,
    /// How many times the contact sent it.
    pub count: u64,
}

/// The ids of every contact, in the order of Intercom's pages.
pub async fn contact_ids(client: &Client) -> Result<Vec<String>, FetchError> {
    let raw: Vec<WireContact> =
        list_per_page(client, "/contacts", CONTACTS_PER_PAGE, "list contacts").await?;
    Ok(raw.into_iter().map(|c| c.id).collect())
}

/// The event names one contact sent, with their counts.
pub async fn event_summary(
    client: &Client,
    contact_id: &str,
) -> Result<Vec<EventCount>, FetchError> {
    let req = Request::new(
        Method::GET,
        "/events",
        format!("summarise the events of contact {contact_id}"),
    )
    .query("type", "user")
    .query("intercom_user_id", contact_id)
    .query("summary", "true");
    let raw: WireEventSummary = client.get_json(&req).await?;
    Ok(raw
        .events
        .into_iter()
        .flatten()
        .map(|e| EventCount {
            name: e.name,
            count: e.count,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_openapi_summary_example_is_read() {
        let raw: WireEventSummary = serde_json::from_value(json!({
            "type": "event.summary", "email": "user@example.com",
            "intercom_user_id": "63a07ddf05a32042dffac965", "user_id": "123456",
            "events": [{"name": "placed-order", "first": "2014-01-16T23:12:21.000+00:00",
                        "last": "2014-01-16T23:12:21.000+00:00", "count": 1,
                        "description": "A description"}, null]
        }))
        .unwrap();
        let e = raw.events[0].as_ref().unwrap();
        assert_eq!((e.name.as_str(), e.count), ("placed-order", 1));
    }
}
