//! The kinds' write half: the client as `apply`'s `Writer`. Each planned `Op` goes to the
//! `write` function of its kind's module, which makes it one client call (or, for a create, a
//! create that reads back after an ambiguous failure); `ApiError` becomes the `WriteError` the
//! apply report carries. Only `apply` uses this.

use crate::apply::{WriteError, Writer};
use crate::intercom::{ApiError, Client};
use crate::model::change::Op;

impl From<ApiError> for WriteError {
    fn from(e: ApiError) -> Self {
        match e {
            ApiError::PlanRestricted(_) => WriteError::PlanRestricted {
                message: e.to_string(),
            },
            other => WriteError::Api {
                status: other.status(),
                code: other.code().map(str::to_string),
                request_id: other.request_id().map(str::to_string),
                message: other.to_string(),
            },
        }
    }
}

/// What a write half answers: the id of what it created, if anything.
pub(super) type Written = Result<Option<String>, WriteError>;

/// Awaits a call whose answer the plan does not need.
pub(super) async fn done<T>(call: impl Future<Output = Result<T, ApiError>>) -> Written {
    call.await?;
    Ok(None)
}

pub(super) use crate::intercom::by_id;

/// The answer to an operation handed to a module that does not perform it.
pub(super) fn misrouted(op: &Op) -> WriteError {
    WriteError::Api {
        status: None,
        code: None,
        request_id: None,
        message: format!("internal error: no write for {op:?} in this kind"),
    }
}

impl Writer for Client {
    /// Runs one planned operation through the module of its kind; returns the id of what it
    /// created.
    async fn write(&self, op: &Op, created: Option<&str>) -> Result<Option<String>, WriteError> {
        use super::*;
        match op.kind() {
            Kind::ContactAttributes | Kind::CompanyAttributes => {
                data_attributes::write(self, op).await
            }
            Kind::ConversationAttributes => conversation_attributes::write(self, op).await,
            Kind::Tags => tags::write(self, op).await,
            Kind::Teams => teams::write(self, op).await,
            Kind::Audiences => audiences::write(self, op).await,
            Kind::OfficeHours => office_hours::write(self, op, created).await,
            Kind::Workspace => workspace::write(self, op).await,
            Kind::HelpCenterCollections => help_center_collections::write(self, op, created).await,
            Kind::TicketTypes => ticket_types::write(self, op, created).await,
            Kind::Articles => articles::write(self, op, created).await,
            Kind::InternalArticles => internal_articles::write(self, op).await,
            Kind::ContentSnippets => content_snippets::write(self, op).await,
            Kind::Segments
            | Kind::Events
            | Kind::Brands
            | Kind::Macros
            | Kind::SubscriptionTypes
            | Kind::AwayStatusReasons => Err(misrouted(op)),
        }
    }
}
