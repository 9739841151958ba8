//! The Intercom REST client: authentication, regions, paging, rate limits, retries, and the
//! mapping between Intercom's JSON and the normalised `crate::model` types. Reads live in
//! `fetch`, one method per write action in `write`; `wire` keeps the API's JSON shapes private. The
//! client knows HTTP and Intercom's shapes only: it imports neither the plan nor apply.

mod activity_log;
mod backoff;
mod client;
mod error;
mod event_summary;
mod fetch;
mod knowledge;
mod limiter;
mod request;
mod target;
mod ticket_types;
mod token;
mod wire;
mod write;

pub use client::{API_VERSION, Client, ClientError, ClientOptions, PREVIEW_VERSION, RequestCounts};
pub use error::{ApiError, CallInfo, Rejection, TransportKind};
pub use fetch::{FetchError, Unavailable, WorkspaceError, check_workspace, unavailable_reason};
/// One list function per kind: every page of a list, mapped to the model.
pub mod read {
    pub use super::activity_log::activity_logs;
    pub use super::event_summary::{EventCount, contact_ids, event_summary};
    pub use super::fetch::{
        admins, articles, audiences, conversation_attributes, data_attributes,
        help_center_collections, help_centers, list, list_per_page, office_hours, segments, tags,
        teams,
    };
    pub use super::knowledge::{content_snippets, internal_articles};
    pub use super::ticket_types::ticket_types;
    /// An id Intercom sends as a string or a number, for kinds' own wire shapes.
    pub use super::wire::WireId as Id;
}
pub use target::{Target, TargetError, region_base_url};
pub use token::Token;
pub(crate) use write::by_id;
pub use write::{Event, EventUser};

#[cfg(test)]
pub(crate) mod tests;
