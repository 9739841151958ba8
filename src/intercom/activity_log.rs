//! Reading the admin activity log: `POST /admins/activity_logs/search` (2.16), every page,
//! mapped to [`ActivityEntry`] at this edge. The IP address Intercom sends with each entry is
//! never read into the model, so nothing downstream can print it.
//!
//! Why the search and not `GET /admins/activity_logs`: the 2.16 description gives the GET only
//! `created_at_after`/`created_at_before`, no page or cursor parameter, so a client cannot ask
//! for its second page within the contract; the search pages by number (`page`, `per_page` up
//! to 250, `total_pages` in the answer), so every entry of the range is read, in the fewest
//! calls, and it filters by `event_types` on the server (what drift asks for).

use reqwest::Method;
use serde::{Deserialize, Serialize};

use super::client::Client;
use super::fetch::FetchError;
use super::request::Request;
use crate::model::activity::ActivityEntry;

/// The description's largest page.
const PER_PAGE: u64 = 250;
/// Most pages read for one range (250 000 entries); a server that never ends is broken.
const MAX_PAGES: u64 = 1_000;

/// The search body.
#[derive(Debug, Serialize)]
struct SearchBody<'a> {
    created_at_after: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    created_at_before: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    event_types: Option<&'a [&'a str]>,
    page: u64,
    per_page: u64,
}

/// `activity_log.list` on the wire.
#[derive(Debug, Deserialize)]
struct WireList {
    #[serde(default)]
    pages: Option<WirePages>,
    // Items are `nullable: true` in 2.16.
    #[serde(default)]
    activity_logs: Option<Vec<Option<WireEntry>>>,
}

#[derive(Debug, Default, Deserialize)]
struct WirePages {
    #[serde(default)]
    page: Option<u64>,
    #[serde(default)]
    total_pages: Option<u64>,
}

/// One entry on the wire; `performed_by.ip` and `metadata` are deliberately not read.
#[derive(Debug, Deserialize)]
struct WireEntry {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    performed_by: Option<WireAdmin>,
    #[serde(default)]
    created_at: Option<i64>,
    #[serde(default)]
    activity_type: Option<String>,
    #[serde(default)]
    activity_description: Option<String>,
}

#[derive(Debug, Deserialize)]
struct WireAdmin {
    #[serde(default)]
    email: Option<String>,
}

impl WireList {
    /// The page's entries, mapped (null items skipped).
    fn entries(&mut self) -> Vec<ActivityEntry> {
        self.activity_logs
            .take()
            .unwrap_or_default()
            .into_iter()
            .flatten()
            .map(ActivityEntry::from)
            .collect()
    }
}

impl From<WireEntry> for ActivityEntry {
    fn from(w: WireEntry) -> Self {
        let text = |s: Option<String>| one_line(&s.unwrap_or_default());
        ActivityEntry {
            id: text(w.id),
            activity_type: text(w.activity_type),
            admin_email: text(w.performed_by.and_then(|a| a.email)),
            created_at: w.created_at.unwrap_or_default(),
            description: without_ips(&text(w.activity_description)),
        }
    }
}

/// A text as one printable line: control characters (a terminal's escape sequences, line
/// breaks) become spaces, so an entry cannot rewrite the report around it.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The description with every IP address in it replaced (reports never show one).
fn without_ips(text: &str) -> String {
    text.split(' ')
        .map(|word| {
            let bare =
                word.trim_matches(|c: char| !(c.is_ascii_hexdigit() || c == '.' || c == ':'));
            let bare = bare.trim_end_matches(['.', ':']);
            if !bare.is_empty() && bare.parse::<std::net::IpAddr>().is_ok() {
                word.replace(bare, "[IP address hidden]")
            } else {
                word.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every entry created from `after` to `before` (Unix seconds, inclusive), of `event_types`
/// only when given, in the order Intercom lists them.
pub async fn activity_logs(
    client: &Client,
    after: i64,
    before: Option<i64>,
    event_types: Option<&[&str]>,
) -> Result<Vec<ActivityEntry>, FetchError> {
    let mut entries = Vec::new();
    let mut page = 1;
    loop {
        let body = SearchBody {
            created_at_after: after,
            created_at_before: before,
            event_types,
            page,
            per_page: PER_PAGE,
        };
        let req = Request::new(
            Method::POST,
            "/admins/activity_logs/search",
            "search the admin activity log",
        )
        .json(&body);
        let mut answer: WireList = client.get_json(&req).await?;
        let got = answer.entries();
        let pages = answer.pages.unwrap_or_default();
        let answered = pages.page.unwrap_or(page);
        if answered != page {
            return Err(FetchError::Paging {
                what: req.what,
                reason: format!("page {page} was answered with page {answered}"),
            });
        }
        let empty = got.is_empty();
        entries.extend(got);
        let total = pages.total_pages.unwrap_or(page);
        if empty || page >= total {
            return Ok(entries);
        }
        if page >= MAX_PAGES {
            return Err(FetchError::Paging {
                what: req.what,
                reason: format!("more than {MAX_PAGES} pages"),
            });
        }
        page += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_openapi_example_is_read_without_its_ip() {
        let mut raw: WireList = serde_json::from_value(json!({
            "type": "activity_log.list",
            "pages": {"type": "pages", "next": null, "page": 1, "per_page": 20, "total_pages": 1},
            "activity_logs": [{
                "id": "fca05814-4b72-4dce-ad4f-77a786a2c136",
                "performed_by": {"type": "admin", "id": "991267464",
                                 "email": "admin5@email.com", "ip": "127.0.0.1"},
                "metadata": {"before": "before", "after": "after"},
                "created_at": 1734537253,
                "activity_type": "app_name_change",
                "activity_description": "Ciaran5 Lee changed your app name from before to after."
            }, null]
        }))
        .unwrap();
        let entries = raw.entries();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].admin_email, "admin5@email.com");
        assert_eq!(entries[0].activity_type, "app_name_change");
        assert_eq!(entries[0].created_at, 1734537253);
        assert!(!format!("{:?}", entries[0]).contains("127.0.0.1"));
    }

    #[test]
    fn texts_are_single_printable_lines() {
        let entry = ActivityEntry::from(WireEntry {
            id: Some("1".into()),
            performed_by: None,
            created_at: None,
            activity_type: Some("x\u{1b}[2Jy".into()),
            activity_description: Some("a\nb\r\tc".into()),
        });
        assert_eq!(entry.activity_type, "x [2Jy");
        assert_eq!(entry.description, "a b  c");
        assert_eq!(entry.admin_email, "");
    }

    #[test]
    fn descriptions_lose_their_ip_addresses() {
        assert_eq!(
            without_ips("Bob signed in from 203.0.113.9. Then (2001:db8::1) too"),
            "Bob signed in from [IP address hidden]. Then ([IP address hidden]) too"
        );
        assert_eq!(
            without_ips("version 2.16 at 10:30"),
            "version 2.16 at 10:30"
        );
    }

    #[test]
    fn the_search_body_leaves_out_what_is_not_asked() {
        let body = SearchBody {
            created_at_after: 10,
            created_at_before: None,
            event_types: None,
            page: 1,
            per_page: PER_PAGE,
        };
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({"created_at_after": 10, "page": 1, "per_page": 250})
        );
    }
}
