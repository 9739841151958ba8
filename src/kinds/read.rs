//! Reading a workspace: every kind in scope in parallel, with the fewest calls (one list per
//! kind, plus pages), each through its kinds module's `read`. A kind the token may not read is
//! reported as unavailable, not fatal, so the caller decides.

use std::collections::BTreeSet;
use std::future::Future;
use std::pin::Pin;

use tokio::task::JoinSet;

use crate::intercom::{Client, FetchError, Unavailable, unavailable_reason};
use crate::model::{Kind, Live};

/// What `fetch_live` reads.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scope {
    /// The kinds to read. Kinds without a list (`events`) are never read.
    pub kinds: BTreeSet<Kind>,
    /// Also read each office-hours schedule's exceptions (one call per schedule).
    pub office_hours_exceptions: bool,
    /// Also read the IP allowlist (when the workspace's settings are read).
    pub ip_allowlist: bool,
    /// Kinds read only to resolve names for others (teams for conversation attributes'
    /// `visible_to_teams`): their objects land in `Live` without being marked fetched.
    pub also: BTreeSet<Kind>,
}

impl Scope {
    /// Every readable kind, office-hours exceptions included.
    pub fn all() -> Self {
        Scope {
            kinds: Kind::ALL.into_iter().collect(),
            office_hours_exceptions: true,
            ip_allowlist: true,
            also: BTreeSet::new(),
        }
    }

    /// Just these kinds, without exceptions or related kinds.
    pub fn only(kinds: impl IntoIterator<Item = Kind>) -> Self {
        Scope {
            kinds: kinds.into_iter().collect(),
            ..Scope::default()
        }
    }
}

/// The result of a read that tolerates unavailable kinds.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// Everything that could be read; unavailable kinds are absent from `live.fetched`.
    pub live: Live,
    /// Kinds that could not be read, in kind order.
    pub unavailable: Vec<Unavailable>,
}

/// What a finished read puts into `Live`.
pub type Install = Box<dyn FnOnce(&mut Live) + Send>;

/// One kind's read in flight.
pub type ReadFuture = Pin<Box<dyn Future<Output = Result<Install, FetchError>> + Send>>;

/// Reads every kind in `scope`; fails on the first kind the token may not read. Use
/// [`fetch_live_partial`] to go on without such kinds.
pub async fn fetch_live(client: &Client, scope: &Scope) -> Result<Live, FetchError> {
    let fetched = fetch_live_partial(client, scope).await?;
    match fetched.unavailable.into_iter().next() {
        Some(u) => Err(u.into()),
        None => Ok(fetched.live),
    }
}

/// Reads every kind in `scope` in parallel. Kinds answered with 401/403 are listed in
/// `unavailable` (and left out of `live.fetched`); any other failure is an error (the first in
/// kind order). Reuses the `GET /me` answer cached by an earlier `Client::me`.
pub async fn fetch_live_partial(client: &Client, scope: &Scope) -> Result<Fetched, FetchError> {
    let me = async {
        match client.cached_me() {
            Some(me) => Ok(me),
            None => client.me().await,
        }
    };
    let mut set = JoinSet::new();
    let mut wanted = Vec::new();
    for (kind, spec) in super::all() {
        let marked = scope.kinds.contains(&kind);
        if !marked && !scope.also.contains(&kind) {
            continue;
        }
        if let Some(read) = spec.read(client, kind, scope) {
            let i = wanted.len();
            wanted.push((kind, marked));
            set.spawn(async move { (i, read.await) });
        }
    }
    let reads = async {
        let mut results: Vec<Option<Result<Install, FetchError>>> =
            (0..wanted.len()).map(|_| None).collect();
        while let Some(joined) = set.join_next().await {
            match joined {
                Ok((i, result)) => results[i] = Some(result),
                Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
                Err(_) => {} // cancelled: only on runtime shutdown.
            }
        }
        results
    };
    let (me, results) = tokio::join!(me, reads);
    let mut live = Live::default();
    live.me = me?;
    let mut unavailable: Vec<Unavailable> = Vec::new();
    for ((kind, marked), result) in wanted.into_iter().zip(results) {
        match result {
            Some(Ok(install)) => {
                install(&mut live);
                if marked {
                    live.fetched.insert(kind);
                }
            }
            Some(Err(FetchError::Api(e))) => match unavailable_reason(kind, &e) {
                Some(u) => {
                    if !unavailable.iter().any(|x| x.kind == kind) {
                        unavailable.push(u);
                    }
                }
                None => return Err(FetchError::Api(e)),
            },
            Some(Err(e)) => return Err(e),
            None => {}
        }
    }
    unavailable.sort_by_key(|u| u.kind);
    Ok(Fetched { live, unavailable })
}

/// A read of one list whose objects are stored as `kind`'s.
pub fn list<T, F>(kind: Kind, read: F) -> ReadFuture
where
    T: Send + Sync + 'static,
    F: Future<Output = Result<Vec<T>, FetchError>> + Send + 'static,
{
    Box::pin(async move {
        let items = read.await?;
        Ok(Box::new(move |live: &mut Live| live.set_objects(kind, items)) as Install)
    })
}

/// A read of one list through a clone of `client`, stored as `kind`'s objects.
pub fn with<T, F, Fut>(client: &Client, kind: Kind, read: F) -> Option<ReadFuture>
where
    T: Send + Sync + 'static,
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = Result<Vec<T>, FetchError>> + Send + 'static,
{
    Some(list(kind, read(client.clone())))
}

/// A read of one list (`read` through a clone of `client`) and, when `with_admins` (a kind
/// that names admins by e-mail), of the admins beside it; `install` stores the list, then the
/// admins are stored.
pub fn with_admins<T, F, Fut>(
    client: &Client,
    with_admins: bool,
    read: F,
    install: impl FnOnce(&mut Live, Vec<T>) + Send + 'static,
) -> Option<ReadFuture>
where
    T: Send + 'static,
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = Result<Vec<T>, FetchError>> + Send + 'static,
{
    let list = read(client.clone());
    let client = client.clone();
    Some(Box::pin(async move {
        let (items, admins) = tokio::join!(list, async {
            if with_admins {
                crate::intercom::read::admins(&client).await.map(Some)
            } else {
                Ok(None)
            }
        });
        let (items, admins) = (items?, admins?);
        Ok(Box::new(move |live: &mut Live| {
            install(live, items);
            if let Some(admins) = admins {
                live.admins = admins;
            }
        }) as Install)
    }))
}

#[cfg(test)]
mod tests {
    //! Reading through a scripted server (`intercom::tests`'s).

    use serde_json::json;

    use super::*;
    use crate::intercom::FetchError;
    use crate::intercom::tests::{Act, Server, created_attribute, error, me_json};
    use crate::model::{Tag, Team};

    #[tokio::test]
    async fn safe_calls_retry_5xx_and_resets_then_succeed() {
        let server = Server::start(|req, n| match n {
            _ if req.path == "/me" && n > 2 => Act::Json(200, me_json()),
            0 => Act::Json(503, error("service_unavailable")),
            1 => Act::Close,
            2 => Act::Raw {
                status: 502,
                content_type: "text/html",
                body: b"<html>bad gateway</html>".to_vec(),
                headers: vec![],
            },
            _ => Act::Json(
                200,
                json!({"type": "list", "data": [{"id": 1, "name": "VIP"}]}),
            ),
        })
        .await;
        let client = server.client();
        let live = fetch_live(&client, &Scope::only([Kind::Tags])).await;
        // `/me` took the failures (it is first), the tags list went straight through.
        let live = live.unwrap();
        assert_eq!(live.objects::<Tag>(Kind::Tags)[0].id, "1");
        assert!(live.fetched.contains(&Kind::Tags));
        assert_eq!(client.request_counts().total, 5);
    }

    #[tokio::test]
    async fn fetch_reads_all_kinds_and_reports_unavailable_ones() {
        let server = Server::start(|req, _| match req.path.as_str() {
            "/me" => Act::Json(200, me_json()),
            "/data_attributes" if req.query.contains("model=contact") => Act::Json(
                200,
                json!({"type": "list", "data": [created_attribute(),
                       {"name": "email", "data_type": "string", "custom": false, "model": "contact"}]}),
            ),
            "/data_attributes" => Act::Json(200, json!({"type": "list", "data": []})),
            "/conversations/attributes" => Act::Json(200, json!({"type": "list", "data": []})),
            "/tags" => Act::Json(200, json!({"type": "list", "data": [{"id": "1", "name": "VIP"}]})),
            "/teams" => Act::Json(200, json!({"type": "team.list", "teams": [{"id": 7, "name": "T1", "admin_ids": [1]}]})),
            "/admins" => Act::Json(200, json!({"type": "admin.list", "admins": [{"id": "1", "name": "Ann", "email": "ann@example.com"}]})),
            "/segments" => Act::Json(200, json!({"type": "segment.list", "segments": [], "pages": {}})),
            "/audiences" => Act::Json(200, json!({"type": "list", "data": [], "page": 1, "total_pages": 1})),
            "/office_hours_schedules" => Act::Json(403, error("forbidden")),
            "/brands" => Act::Json(200, json!({"type": "list", "data": [{"type": "brand", "id": "sbx4c0de", "name": "Sandbox Co", "is_default": true}]})),
            "/macros" => Act::Json(403, error("forbidden")),
            "/subscription_types" => Act::Json(200, json!({"type": "list", "data": []})),
            "/away_status_reasons" => Act::Json(200, json!({"type": "list", "data": []})),
            "/ip_allowlist" => Act::Json(200, json!({"type": "ip_allowlist", "enabled": true, "ip_allowlist": ["10.0.0.1"]})),
            "/help_center/collections" => Act::Json(200, json!({"type": "list", "data": [
                {"id": "1", "name": "Billing", "parent_id": null, "help_center_id": 501},
                {"id": "2", "name": "Invoices", "parent_id": "1", "help_center_id": null}]})),
            "/articles" => Act::Json(200, json!({"type": "list", "data": [{"id": "9", "parent_ids": [1, 2]}]})),
            "/help_center/help_centers" => Act::Json(200, json!({"type": "list", "data": [
                {"id": "501", "identifier": "acme", "display_name": "Acme Help", "default": true,
                 "workspace_id": "sbx4c0de", "website_turned_on": true, "locales": ["en"]}]})),
            "/ticket_types" => Act::Json(200, json!({"type": "list", "data": [{"type": "ticket_type", "id": "3", "name": "Bug"}]})),
            "/internal_articles" => Act::Json(200, json!({"type": "list", "data": [{"id": "5", "title": "Escalations", "body": "<p>x</p>", "author_id": 1, "owner_id": 1}], "pages": {"type": "pages", "page": 1, "per_page": 25, "total_pages": 1}})),
            "/content_snippets" => Act::Json(200, json!({"type": "list", "data": [], "page": 1, "per_page": 50, "total_pages": 1})),
            _ => Act::Json(404, error("not_found")),
        })
        .await;
        let client = server.client();
        client.me().await.unwrap();
        let fetched = fetch_live_partial(&client, &Scope::all()).await.unwrap();
        let live = &fetched.live;
        assert_eq!(live.me.app.id_code, "sbx4c0de");
        let attributes = |k| live.objects::<crate::model::DataAttribute>(k).len();
        assert_eq!(
            attributes(Kind::ContactAttributes) + attributes(Kind::CompanyAttributes),
            2
        );
        assert_eq!(live.objects::<Team>(Kind::Teams)[0].id, "7");
        assert_eq!(live.admins[0].email, "ann@example.com");
        assert!(!live.fetched.contains(&Kind::OfficeHours));
        assert!(!live.fetched.contains(&Kind::Events));
        for k in [
            Kind::ContactAttributes,
            Kind::CompanyAttributes,
            Kind::Tags,
            Kind::Teams,
            Kind::Audiences,
            Kind::Brands,
            Kind::SubscriptionTypes,
            Kind::AwayStatusReasons,
            Kind::Workspace,
            Kind::HelpCenterCollections,
            Kind::TicketTypes,
            Kind::Articles,
            Kind::InternalArticles,
            Kind::ContentSnippets,
        ] {
            assert!(live.fetched.contains(&k), "{k}");
        }
        // An article's key starts with its collection's path, resolved from the collections.
        let articles = live.objects::<crate::model::Article>(Kind::Articles);
        assert_eq!(articles[0].collection.as_deref(), Some("Billing/Invoices"));
        let collections =
            live.objects::<crate::model::HelpCenterCollection>(Kind::HelpCenterCollections);
        assert_eq!(collections[1].path, "Billing/Invoices");
        assert_eq!((collections[0].articles, collections[1].articles), (1, 1));
        assert_eq!(
            live.objects::<crate::model::IpAllowlist>(Kind::Workspace)[0].ranges,
            ["10.0.0.1"]
        );
        assert_eq!(fetched.unavailable.len(), 2);
        assert_eq!(fetched.unavailable[0].kind, Kind::OfficeHours);
        // A macros refusal names the scope they need.
        assert_eq!(fetched.unavailable[1].kind, Kind::Macros);
        assert!(
            fetched.unavailable[1].reason.contains("read_conversations"),
            "{}",
            fetched.unavailable[1].reason
        );
        assert_eq!(server.count("GET", "/macros"), 1);
        assert_eq!(live.help_centers[0].identifier, "acme");
        assert!(live.help_centers[0].default);
        // `/me` was cached: one call, plus exactly one list per kind (help center collections
        // also list articles, to know which collections hold some, and the help centers).
        assert_eq!(server.count("GET", "/me"), 1);
        assert_eq!(client.request_counts().total, 1 + 18 + 3);

        let strict = fetch_live(&client, &Scope::all()).await.unwrap_err();
        assert!(
            matches!(
                strict,
                FetchError::KindUnavailable {
                    kind: Kind::OfficeHours,
                    status: 403,
                    ..
                }
            ),
            "{strict:?}"
        );
    }
}
