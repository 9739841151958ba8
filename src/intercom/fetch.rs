//! Reading a workspace: the workspace guard, one list function per kind (every page, mapped
//! to the `model` types) and the paging they share. Which kinds are read, and in parallel, is
//! decided above the client (`kinds::fetch_live`). A list the token may not read becomes an
//! [`Unavailable`] there, not a failure, so the caller decides.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

use reqwest::Method;
use serde::de::DeserializeOwned;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::client::{Client, Request};
use super::error::ApiError;
use super::wire::{self, Next, Page};
use crate::model::{
    Admin, AttributeModel, ConversationAttribute, DataAttribute, Kind, Me, OfficeHoursException,
    OfficeHoursSchedule, Segment, Tag, Team,
};

/// Most pages followed for one list; a server that keeps sending `next` is broken.
const MAX_PAGES: u32 = 10_000;
/// Most pages of one list read at once: enough for thousands of objects in one round trip,
/// without opening a connection per page of a huge list.
const PAGES_AT_ONCE: usize = 64;
/// Audiences allow at most 50 per page.
const AUDIENCE_PAGE_SIZE: u32 = 50;

/// A kind the token may not read (401/403 on its list), and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unavailable {
    /// The kind.
    pub kind: Kind,
    /// HTTP status (401 or 403).
    pub status: u16,
    /// Intercom's error code.
    pub code: Option<String>,
    /// Why, and what to do.
    pub reason: String,
}

impl fmt::Display for Unavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} cannot be read (HTTP {}", self.kind, self.status)?;
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        write!(f, "): {}", self.reason)
    }
}

/// Why a read failed.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// A call failed.
    #[error(transparent)]
    Api(#[from] ApiError),

    /// The token may not read one kind (others may still be fine; see `fetch_live_partial`).
    #[error("{kind} cannot be read (HTTP {status}{}): {reason}", code.as_deref().map(|c| format!(" {c}")).unwrap_or_default())]
    KindUnavailable {
        /// The kind.
        kind: Kind,
        /// HTTP status.
        status: u16,
        /// Intercom's error code.
        code: Option<String>,
        /// Why, and what to do.
        reason: String,
    },

    /// An object could not be mapped to the model (an unknown data type).
    #[error(
        "{kind}: {reason}\n  help: this tool does not support that object yet; exclude the kind with --only or update intercom-iac"
    )]
    Unsupported {
        /// The kind.
        kind: Kind,
        /// What was found.
        reason: String,
    },

    /// A list kept paging past a sane bound, repeated a page, or linked to another host.
    #[error("{what}: {reason}\n  help: the target's paging looks broken; check the endpoint")]
    Paging {
        /// Which list.
        what: String,
        /// What went wrong.
        reason: String,
    },
}

impl From<Unavailable> for FetchError {
    fn from(u: Unavailable) -> Self {
        FetchError::KindUnavailable {
            kind: u.kind,
            status: u.status,
            code: u.code,
            reason: u.reason,
        }
    }
}

/// The workspace the token belongs to is not the configured one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the access token belongs to workspace `{actual}` ({actual_name}), but workspace `{expected}` is expected (the configuration's `workspace.app_id`, or the target of a saved plan); nothing was read or written\n  \
     help: use the token of workspace `{expected}`, or fix `workspace.app_id` in the configuration"
)]
pub struct WorkspaceError {
    /// The configured `app_id`.
    pub expected: String,
    /// The token's `app.id_code`.
    pub actual: String,
    /// The token's workspace name.
    pub actual_name: String,
}

/// Refuses to go on when the token's workspace (`GET /me` → `app.id_code`) is not the expected
/// one. `None` accepts any workspace.
pub fn check_workspace(me: &Me, expected_app_id: Option<&str>) -> Result<(), WorkspaceError> {
    match expected_app_id {
        Some(expected) if expected.trim() != me.app.id_code => Err(WorkspaceError {
            expected: expected.trim().to_string(),
            actual: me.app.id_code.clone(),
            actual_name: me.app.name.clone(),
        }),
        _ => Ok(()),
    }
}

/// Turns a 401/403 on one kind's list into an `Unavailable` explaining it.
pub fn unavailable_reason(kind: Kind, e: &ApiError) -> Option<Unavailable> {
    let status = e.status()?;
    let scope_hint = match kind {
        Kind::OfficeHours => " (office hours need the `read_write_office_hours` OAuth scope)",
        Kind::Macros => " (macros need the `read_conversations` OAuth scope)",
        Kind::Workspace => " (the IP allowlist needs the `manage_ip_allowlist` OAuth scope)",
        Kind::ContentSnippets => {
            " (content snippets need the `read_write_content_snippets` OAuth scope)"
        }
        // The description names no scope for the list; it names the articles' scopes for
        // internal articles' tags.
        Kind::InternalArticles => {
            " (internal articles likely need the `read_articles_scope` OAuth scope, as articles do)"
        }
        _ => "",
    };
    let reason = match e {
        ApiError::Unauthorized(_) => format!(
            "the token was refused for this list{scope_hint}; check that the app has access to {kind}"
        ),
        ApiError::PlanRestricted(_) => format!(
            "{kind} are not available to this workspace's plan; stop managing {kind} or ask Intercom to enable them"
        ),
        ApiError::Forbidden(_) => format!(
            "the token lacks the permission to read {kind}{scope_hint}; grant it in the Developer Hub or leave {kind} out of scope"
        ),
        _ => return None,
    };
    Some(Unavailable {
        kind,
        status,
        code: e.code().map(str::to_string),
        reason,
    })
}

/// Reads every page of a list. Handles no paging, `page`/`total_pages` (top level or in
/// `pages`), `pages.next.starting_after` cursors and `pages.next` URLs. A page-number list that
/// states `total_pages` on its first page has its other pages read at once (each still through
/// the client's rate limiter); cursors and links can only be followed one page after another.
pub(crate) async fn list_all<T: DeserializeOwned + Send + 'static>(
    client: &Client,
    first: Request,
) -> Result<Vec<T>, FetchError> {
    let mut items = Vec::new();
    let mut req = first.clone();
    let mut seen_cursors = BTreeSet::new();
    for n in 1..=MAX_PAGES {
        let page: Page<T> = client.get_json(&req).await?;
        let got = page.data.len();
        items.extend(page.data);
        let paging = |reason: String| FetchError::Paging {
            what: first.what.clone(),
            reason,
        };
        let pages = page.pages.unwrap_or_default();
        if n == 1
            && pages.next.is_none()
            && got > 0
            && page.page.or(pages.page).unwrap_or(1) == 1
            && let Some(total) = page.total_pages.or(pages.total_pages)
            && total > 1
        {
            items.extend(remaining_pages(client, &first, total).await?);
            return Ok(items);
        }
        let next = match pages.next {
            Some(Next::Url(link)) => {
                let url = client.next_url(&link).ok_or_else(|| {
                    paging(format!("`pages.next` points to another host: {link}"))
                })?;
                if !seen_cursors.insert(url.to_string()) {
                    return Err(paging("`pages.next` repeated a page".into()));
                }
                let mut r = first.clone();
                r.url = Some(url);
                r.query.clear();
                Some(r)
            }
            Some(Next::Cursor {
                starting_after: Some(cursor),
                ..
            }) => {
                if !seen_cursors.insert(cursor.clone()) {
                    return Err(paging("the `starting_after` cursor repeated".into()));
                }
                let mut r = first.clone();
                r.query
                    .retain(|(k, _)| *k != "starting_after" && *k != "page");
                r.query.push(("starting_after", cursor));
                Some(r)
            }
            Some(Next::Cursor {
                page: Some(p),
                starting_after: None,
            }) => next_page(&first, n, p),
            _ => {
                let current = page.page.or(pages.page).unwrap_or(u64::from(n));
                match page.total_pages.or(pages.total_pages) {
                    Some(total) if current < total && got > 0 => next_page(&first, n, current + 1),
                    _ => None,
                }
            }
        };
        match next {
            Some(r) => req = r,
            None => return Ok(items),
        }
    }
    Err(FetchError::Paging {
        what: first.what.clone(),
        reason: format!("more than {MAX_PAGES} pages"),
    })
}

/// Pages `2..=total` of a page-number list, read at once and returned in page order. Each
/// answer must be the page asked for: a server that ignores `page` would repeat page 1.
async fn remaining_pages<T: DeserializeOwned + Send + 'static>(
    client: &Client,
    first: &Request,
    total: u64,
) -> Result<Vec<T>, FetchError> {
    let paging = |reason: String| FetchError::Paging {
        what: first.what.clone(),
        reason,
    };
    if total > u64::from(MAX_PAGES) {
        return Err(paging(format!(
            "{total} pages announced, more than {MAX_PAGES}"
        )));
    }
    let mut set = JoinSet::new();
    let at_once = Arc::new(Semaphore::new(PAGES_AT_ONCE));
    for number in 2..=total {
        let mut req = first.clone();
        req.query.retain(|(k, _)| *k != "page");
        req.query.push(("page", number.to_string()));
        let (client, at_once) = (client.clone(), Arc::clone(&at_once));
        set.spawn(async move {
            let _slot = at_once.acquire_owned().await.ok();
            let page: Result<Page<T>, ApiError> = client.get_json(&req).await;
            (number, page)
        });
    }
    let mut pages: Vec<Option<Vec<T>>> = (2..=total).map(|_| None).collect();
    while let Some(joined) = set.join_next().await {
        match joined {
            Ok((number, page)) => {
                let page = page?;
                let answered = page
                    .page
                    .or(page.pages.as_ref().and_then(|p| p.page))
                    .unwrap_or(number);
                if answered != number {
                    return Err(paging(format!(
                        "page {number} was answered with page {answered}"
                    )));
                }
                pages[(number - 2) as usize] = Some(page.data);
            }
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(_) => {} // cancelled: only on runtime shutdown.
        }
    }
    Ok(pages.into_iter().flatten().flatten().collect())
}

/// The request for page `page`, refusing to go backwards or stand still.
fn next_page(first: &Request, n: u32, page: u64) -> Option<Request> {
    if page <= u64::from(n) {
        return None;
    }
    let mut r = first.clone();
    r.query.retain(|(k, _)| *k != "page");
    r.query.push(("page", page.to_string()));
    Some(r)
}

/// Every object of a list endpoint that needs no query, all pages, as `T` (a kind's own wire
/// shape: `T` deserialises one item of the list's `data`).
pub async fn list<T: DeserializeOwned + Send + 'static>(
    client: &Client,
    path: &str,
    what: &str,
) -> Result<Vec<T>, FetchError> {
    list_all(
        client,
        Request::new(Method::GET, path.to_string(), what.to_string()),
    )
    .await
}

/// Every page of `GET path?per_page=N` (a cursor list that pages by `per_page`).
pub async fn list_per_page<T: DeserializeOwned + Send + 'static>(
    client: &Client,
    path: &str,
    per_page: u32,
    what: &str,
) -> Result<Vec<T>, FetchError> {
    let req = Request::new(Method::GET, path.to_string(), what.to_string())
        .query("per_page", per_page.to_string());
    list_all(client, req).await
}

/// `GET /data_attributes?model=…&include_archived=true`.
pub(crate) fn data_attributes_request(model: AttributeModel) -> Request {
    Request::new(
        Method::GET,
        "/data_attributes",
        format!("list {}", model.kind()),
    )
    .query("model", model.as_str())
    .query("include_archived", "true")
}

/// Every contact or company attribute, built-ins and archived included.
pub async fn data_attributes(
    client: &Client,
    model: AttributeModel,
) -> Result<Vec<DataAttribute>, FetchError> {
    let raw: Vec<wire::DataAttribute> = list_all(client, data_attributes_request(model)).await?;
    let mut out = Vec::with_capacity(raw.len());
    for a in raw {
        let custom = a.custom;
        match a.into_model(model) {
            Ok(m) => out.push(m),
            // Built-ins are never managed; skip one of an unknown type rather than fail.
            Err(reason) if !custom => tracing::debug!(%reason, "skipping a built-in attribute"),
            Err(reason) => {
                return Err(FetchError::Unsupported {
                    kind: model.kind(),
                    reason,
                });
            }
        }
    }
    Ok(out)
}

/// Every conversation attribute, archived included.
pub async fn conversation_attributes(
    client: &Client,
) -> Result<Vec<ConversationAttribute>, FetchError> {
    let req = Request::new(
        Method::GET,
        "/conversations/attributes",
        "list conversation_attributes",
    )
    .query("include_archived", "true");
    let raw: Vec<wire::ConversationAttribute> = list_all(client, req).await?;
    raw.into_iter()
        .map(|a| {
            a.into_model().map_err(|reason| FetchError::Unsupported {
                kind: Kind::ConversationAttributes,
                reason,
            })
        })
        .collect()
}

/// Every tag.
pub async fn tags(client: &Client) -> Result<Vec<Tag>, FetchError> {
    let raw: Vec<wire::Tag> =
        list_all(client, Request::new(Method::GET, "/tags", "list tags")).await?;
    Ok(raw.into_iter().map(Into::into).collect())
}

/// Every team.
pub async fn teams(client: &Client) -> Result<Vec<Team>, FetchError> {
    let raw: Vec<wire::Team> =
        list_all(client, Request::new(Method::GET, "/teams", "list teams")).await?;
    Ok(raw.into_iter().map(Into::into).collect())
}

/// Every admin (teammate).
pub async fn admins(client: &Client) -> Result<Vec<Admin>, FetchError> {
    let raw: Vec<wire::Admin> =
        list_all(client, Request::new(Method::GET, "/admins", "list admins")).await?;
    Ok(raw.into_iter().map(Into::into).collect())
}

/// Every segment, all pages.
pub async fn segments(client: &Client) -> Result<Vec<Segment>, FetchError> {
    let raw: Vec<wire::Segment> = list_all(
        client,
        Request::new(Method::GET, "/segments", "list segments"),
    )
    .await?;
    Ok(raw.into_iter().map(Into::into).collect())
}

/// Every audience, all pages (50 per page).
pub async fn audiences(client: &Client) -> Result<Vec<crate::model::Audience>, FetchError> {
    let req = Request::new(Method::GET, "/audiences", "list audiences")
        .query("per_page", AUDIENCE_PAGE_SIZE.to_string())
        .query("page", "1");
    let raw: Vec<wire::Audience> = list_all(client, req).await?;
    Ok(raw.into_iter().map(Into::into).collect())
}

/// Every Help Center collection (all help centers, all pages), each with its path of names
/// and how many articles it holds, directly or below.
pub async fn help_center_collections(
    client: &Client,
) -> Result<Vec<crate::model::HelpCenterCollection>, FetchError> {
    let req = Request::new(
        Method::GET,
        "/help_center/collections",
        "list help center collections",
    )
    .query("per_page", "50")
    .query("page", "1");
    let articles = Request::new(Method::GET, "/articles", "list articles")
        .query("per_page", "50")
        .query("page", "1");
    let (raw, articles) = tokio::try_join!(
        list_all::<wire::Collection>(client, req),
        list_all::<wire::ArticleParents>(client, articles)
    )?;
    let mut held: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for a in articles {
        for p in a.parent_ids {
            *held.entry(p.0).or_default() += 1;
        }
    }
    let by_id: std::collections::HashMap<&str, &wire::Collection> =
        raw.iter().map(|c| (c.id.0.as_str(), c)).collect();
    let path_of = |c: &wire::Collection| {
        let mut names = vec![c.name.clone()];
        let mut seen = vec![c.id.0.as_str()];
        let mut next = c.parent_id.as_ref();
        while let Some(p) = next.and_then(|p| by_id.get(p.0.as_str())) {
            if seen.contains(&p.id.0.as_str()) {
                break;
            }
            seen.push(p.id.0.as_str());
            names.push(p.name.clone());
            next = p.parent_id.as_ref();
        }
        names.reverse();
        names.join("/")
    };
    Ok(raw
        .iter()
        .map(|c| crate::model::HelpCenterCollection {
            id: c.id.0.clone(),
            name: c.name.clone(),
            path: path_of(c),
            parent_id: c.parent_id.as_ref().map(|p| p.0.clone()),
            help_center_id: c.help_center_id.as_ref().map(|h| h.0.clone()),
            description: c.description.clone(),
            articles: held.get(&c.id.0).copied().unwrap_or(0),
            default_locale: c.default_locale.clone(),
            translations: c.translations(),
        })
        .collect())
}

/// Every help center (one list, not paginated in 2.16).
pub async fn help_centers(client: &Client) -> Result<Vec<crate::model::HelpCenter>, FetchError> {
    let req = Request::new(
        Method::GET,
        "/help_center/help_centers",
        "list help centers",
    );
    let raw: Vec<wire::HelpCenter> = list_all(client, req).await?;
    Ok(raw.into_iter().map(Into::into).collect())
}

/// Every Help Center article (all pages), without its collection's path (the articles kind
/// resolves it from the collections).
pub async fn articles(client: &Client) -> Result<Vec<crate::model::Article>, FetchError> {
    let req = Request::new(Method::GET, "/articles", "list articles")
        .query("per_page", "50")
        .query("page", "1");
    let raw: Vec<wire::Article> = list_all(client, req).await?;
    Ok(raw.into_iter().map(Into::into).collect())
}

/// Every office-hours schedule, without exceptions.
pub(crate) async fn office_hours_schedules(
    client: &Client,
) -> Result<Vec<OfficeHoursSchedule>, FetchError> {
    let req = Request::new(
        Method::GET,
        "/office_hours_schedules",
        "list office_hours schedules",
    );
    let raw: Vec<wire::OfficeHoursSchedule> = list_all(client, req).await?;
    Ok(raw.into_iter().map(Into::into).collect())
}

/// One schedule's exceptions, sorted by date.
pub(crate) async fn office_hours_exceptions(
    client: &Client,
    schedule_id: &str,
) -> Result<Vec<OfficeHoursException>, FetchError> {
    let req = Request::new(
        Method::GET,
        format!("/office_hours_schedules/{schedule_id}/office_hours_exceptions"),
        format!("list exceptions of office_hours schedule {schedule_id}"),
    );
    let raw: Vec<wire::OfficeHoursException> = list_all(client, req).await?;
    let mut out: Vec<OfficeHoursException> = raw.into_iter().map(Into::into).collect();
    out.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.id.cmp(&b.id)));
    Ok(out)
}

/// Every office-hours schedule, with its exceptions when `with_exceptions`.
pub async fn office_hours(
    client: &Client,
    with_exceptions: bool,
) -> Result<Vec<OfficeHoursSchedule>, FetchError> {
    let mut schedules = office_hours_schedules(client).await?;
    if !with_exceptions {
        return Ok(schedules);
    }
    let mut set = JoinSet::new();
    for (i, s) in schedules.iter().enumerate() {
        let (client, id) = (client.clone(), s.id.clone());
        set.spawn(async move { (i, office_hours_exceptions(&client, &id).await) });
    }
    while let Some(joined) = set.join_next().await {
        match joined {
            Ok((i, result)) => schedules[i].exceptions = Some(result?),
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(_) => {} // cancelled: only on runtime shutdown.
        }
    }
    Ok(schedules)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::App;

    fn me(id_code: &str) -> Me {
        Me {
            id: "1".into(),
            email: "a@b.c".into(),
            app: App {
                id_code: id_code.into(),
                name: "Sandbox".into(),
                region: "US".into(),
                identity_verification: None,
            },
        }
    }

    #[test]
    fn workspace_guard_names_both_ids() {
        assert!(check_workspace(&me("sbx4c0de"), Some("sbx4c0de")).is_ok());
        assert!(check_workspace(&me("sbx4c0de"), None).is_ok());
        let err = check_workspace(&me("sbx4c0de"), Some("prod1234")).unwrap_err();
        let shown = err.to_string();
        assert!(
            shown.contains("`sbx4c0de`") && shown.contains("`prod1234`"),
            "{shown}"
        );
        assert!(shown.contains("help:"), "{shown}");
    }

    #[test]
    fn unavailable_kinds_say_why() {
        use crate::intercom::error::{CallInfo, Rejection};
        let rejection = |status, code: &str| {
            ApiError::from_rejection(Rejection {
                call: CallInfo {
                    what: "list office_hours schedules".into(),
                    method: "GET".into(),
                    path: "/office_hours_schedules".into(),
                },
                status,
                code: Some(code.into()),
                message: None,
                field: None,
                request_id: None,
                attempts: 1,
            })
        };
        let u = unavailable_reason(Kind::OfficeHours, &rejection(403, "forbidden")).unwrap();
        assert_eq!(u.status, 403);
        assert!(u.reason.contains("read_write_office_hours"), "{}", u.reason);
        let e: FetchError = u.into();
        assert!(
            e.to_string()
                .starts_with("office_hours cannot be read (HTTP 403 forbidden)"),
            "{e}"
        );
        assert!(unavailable_reason(Kind::Tags, &rejection(404, "not_found")).is_none());
        let plan = unavailable_reason(Kind::Teams, &rejection(403, "api_plan_restricted")).unwrap();
        assert!(plan.reason.contains("plan"), "{}", plan.reason);
    }

    #[test]
    fn next_page_never_goes_backwards() {
        let first = Request::new(Method::GET, "/audiences", "list audiences").query("page", "1");
        assert!(next_page(&first, 2, 2).is_none());
        let r = next_page(&first, 1, 2).unwrap();
        assert_eq!(r.query, vec![("page", "2".to_string())]);
    }
}
