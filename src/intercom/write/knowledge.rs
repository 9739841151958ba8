//! Writes of internal articles and content snippets: the model's requests as Intercom's
//! bodies. Bodies are sent as `body_markdown` (mutually exclusive with `body` and
//! `json_blocks`); admin ids go as the integers the description types them as.

use reqwest::Method;
use serde::Serialize;

use super::{ids_as_integers, recovery_error};
use crate::intercom::by_id;
use crate::intercom::client::{Client, Request};
use crate::intercom::error::ApiError;
use crate::intercom::knowledge::{WireInternalArticle, WireSnippet};
use crate::intercom::read;
use crate::model::{
    Address, ContentSnippet, ContentSnippetChanges, InternalArticle, InternalArticleChanges, Kind,
    NewContentSnippet, NewInternalArticle,
};

/// The body of `POST` and `PUT /internal_articles`.
#[derive(Serialize)]
struct InternalArticleBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body_markdown: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author_id: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    owner_id: Option<u64>,
}

/// The body of `POST` and `PUT /content_snippets`.
#[derive(Serialize)]
struct SnippetBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body_markdown: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    locale: Option<&'a str>,
}

/// One admin id as the integer Intercom wants.
fn admin(req: &Request, id: Option<&String>) -> Result<Option<u64>, ApiError> {
    match id {
        None => Ok(None),
        Some(id) => Ok(ids_as_integers(&req.call_info(), std::slice::from_ref(id))?
            .first()
            .copied()),
    }
}

impl Client {
    /// `POST /internal_articles`; after an ambiguous failure, reads back by title.
    pub async fn create_internal_article(
        &self,
        new: &NewInternalArticle,
    ) -> Result<InternalArticle, ApiError> {
        let address = Address::new(Kind::InternalArticles, &new.title);
        let req = Request::new(
            Method::POST,
            "/internal_articles",
            format!("create {address}"),
        );
        let body = InternalArticleBody {
            title: Some(&new.title),
            body_markdown: Some(new.body_markdown.as_str()).filter(|b| !b.is_empty()),
            author_id: admin(&req, Some(&new.author_id))?,
            owner_id: admin(&req, Some(&new.owner_id))?,
        };
        let req = req.json(&body).once();
        let call = req.call_info();
        self.create(
            &req,
            |reply| Ok(self.decode::<WireInternalArticle>(reply)?.into()),
            || async {
                let all = read::internal_articles(self)
                    .await
                    .map_err(|e| recovery_error(call.clone(), e))?;
                Ok(all.into_iter().find(|a| a.title == new.title))
            },
        )
        .await
    }

    /// `PUT /internal_articles/{id}`: the fields that change.
    pub async fn update_internal_article(
        &self,
        id: &str,
        changes: &InternalArticleChanges,
    ) -> Result<(), ApiError> {
        let label = by_id(Kind::InternalArticles, id);
        let req = Request::new(
            Method::PUT,
            format!("/internal_articles/{id}"),
            format!("update {label}"),
        );
        let body = InternalArticleBody {
            title: changes.title.as_deref(),
            body_markdown: changes.body_markdown.as_deref(),
            author_id: admin(&req, changes.author_id.as_ref())?,
            owner_id: admin(&req, changes.owner_id.as_ref())?,
        };
        self.send(&req.json(&body)).await.map(drop)
    }

    /// `DELETE /internal_articles/{id}`.
    pub async fn delete_internal_article(&self, id: &str) -> Result<(), ApiError> {
        let label = by_id(Kind::InternalArticles, id);
        self.delete_at(format!("/internal_articles/{id}"), &label)
            .await
    }

    /// `POST /content_snippets` (201); after an ambiguous failure, reads back by title.
    pub async fn create_content_snippet(
        &self,
        new: &NewContentSnippet,
    ) -> Result<ContentSnippet, ApiError> {
        let address = Address::new(Kind::ContentSnippets, &new.title);
        let body = SnippetBody {
            title: Some(&new.title),
            body_markdown: Some(&new.body_markdown),
            locale: new.locale.as_deref(),
        };
        let req = Request::new(
            Method::POST,
            "/content_snippets",
            format!("create {address}"),
        )
        .json(&body)
        .once();
        let call = req.call_info();
        self.create(
            &req,
            |reply| Ok(self.decode::<WireSnippet>(reply)?.into()),
            || async {
                let all = read::content_snippets(self)
                    .await
                    .map_err(|e| recovery_error(call.clone(), e))?;
                Ok(all.into_iter().find(|s| s.title == new.title))
            },
        )
        .await
    }

    /// `PUT /content_snippets/{id}` (partial).
    pub async fn update_content_snippet(
        &self,
        id: &str,
        changes: &ContentSnippetChanges,
    ) -> Result<(), ApiError> {
        let label = by_id(Kind::ContentSnippets, id);
        let body = SnippetBody {
            title: changes.title.as_deref(),
            body_markdown: changes.body_markdown.as_deref(),
            locale: changes.locale.as_deref(),
        };
        let req = Request::new(
            Method::PUT,
            format!("/content_snippets/{id}"),
            format!("update {label}"),
        )
        .json(&body);
        self.send(&req).await.map(drop)
    }

    /// `DELETE /content_snippets/{id}` (204).
    pub async fn delete_content_snippet(&self, id: &str) -> Result<(), ApiError> {
        let label = by_id(Kind::ContentSnippets, id);
        self.delete_at(format!("/content_snippets/{id}"), &label)
            .await
    }
}
