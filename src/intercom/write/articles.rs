//! Writes of Help Center articles: the model's requests ([`NewArticle`], [`ArticleChanges`])
//! as Intercom's bodies. Bodies are sent as `body_markdown`, which Intercom keeps and renders.

use std::collections::BTreeMap;

use reqwest::Method;
use serde_json::Value;

use super::recovery_error;
use crate::intercom::by_id;
use crate::intercom::client::{Client, Request};
use crate::intercom::error::ApiError;
use crate::intercom::fetch;
use crate::intercom::wire;
use crate::model::change::CollectionRef;
use crate::model::{
    Address, Article, ArticleChanges, ArticleContent, Kind, NewArticle, Translations,
};

/// `translated_content` as sent: each locale's content, its author an integer.
fn article_contents<'a>(
    call: &Request,
    content: &'a Translations<ArticleContent>,
) -> Result<BTreeMap<&'a str, wire::ArticleContentBody<'a>>, ApiError> {
    let mut out = BTreeMap::new();
    for (locale, c) in content {
        let body = wire::ArticleContentBody {
            title: &c.title,
            description: c.description.as_deref(),
            body_markdown: &c.body_markdown,
            author_id: match &c.author_id {
                Some(a) => Some(admin_id(call, a)?),
                None => None,
            },
            state: c.state.map(|s| s.as_str()),
        };
        out.insert(locale.as_str(), body);
    }
    Ok(out)
}

/// An admin id as the integer Intercom wants.
fn admin_id(call: &Request, id: &str) -> Result<u64, ApiError> {
    id.trim().parse::<u64>().map_err(|_| ApiError::NotSent {
        call: Box::new(call.call_info()),
        reason: format!("admin id `{id}` is not numeric"),
    })
}

impl Client {
    /// `POST /articles`; after an ambiguous failure, reads back by collection and title. The
    /// parent must be an existing collection's id by now (apply resolves a created one).
    pub async fn create_article(&self, new: &NewArticle) -> Result<Article, ApiError> {
        let address = Address::new(
            Kind::Articles,
            Article::key_of(new.collection.as_deref(), &new.title),
        );
        let mut req = Request::new(Method::POST, "/articles", format!("create {address}"));
        let parent_id = match &new.parent {
            None => None,
            Some(CollectionRef::Id(id)) => Some(id.clone()),
            Some(CollectionRef::Created(_)) => {
                return Err(ApiError::NotSent {
                    call: Box::new(req.call_info()),
                    reason: "the new collection's id is not known".into(),
                });
            }
        };
        // 2.16 types the create's `parent_id` as an integer.
        let parent =
            match &parent_id {
                Some(id) => Some(id.trim().parse::<u64>().map(Value::from).map_err(|_| {
                    ApiError::NotSent {
                        call: Box::new(req.call_info()),
                        reason: format!("collection id `{id}` is not numeric"),
                    }
                })?),
                None => None,
            };
        let body = wire::ArticleBody {
            title: Some(&new.title),
            description: new.description.as_deref(),
            body_markdown: Some(&new.body_markdown)
                .filter(|b| !b.is_empty())
                .map(|b| b.as_str()),
            author_id: Some(admin_id(&req, &new.author_id)?),
            state: Some(new.state.as_str()),
            parent_type: parent.as_ref().map(|_| "collection"),
            parent_id: parent,
            translated_content: article_contents(&req, &new.translated_content)?,
        };
        req = req.json(&body).once();
        let call = req.call_info();
        self.create(
            &req,
            |reply| {
                let a = self.decode::<wire::Article>(reply)?;
                Ok(Article::from(a))
            },
            || async {
                let all = fetch::articles(self)
                    .await
                    .map_err(|e| recovery_error(call.clone(), e))?;
                Ok(all
                    .into_iter()
                    .find(|a| a.parent_id == parent_id && a.title == new.title))
            },
        )
        .await
    }

    /// `PUT /articles/{id}`: the fields that change.
    pub async fn update_article(
        &self,
        id: &str,
        label: &str,
        changes: &ArticleChanges,
    ) -> Result<(), ApiError> {
        let req = Request::new(
            Method::PUT,
            format!("/articles/{id}"),
            format!("update {label}"),
        );
        let parent_id = match &changes.parent {
            None => None,
            Some(CollectionRef::Id(id)) => Some(id.clone()),
            Some(CollectionRef::Created(_)) => {
                return Err(ApiError::NotSent {
                    call: Box::new(req.call_info()),
                    reason: "the new collection's id is not known".into(),
                });
            }
        };
        let body = wire::ArticleBody {
            title: changes.title.as_deref(),
            description: changes.description.as_deref(),
            body_markdown: changes.body_markdown.as_deref(),
            author_id: match &changes.author_id {
                Some(a) => Some(admin_id(&req, a)?),
                None => None,
            },
            state: changes.state.map(|s| s.as_str()),
            // 2.16 types the update's `parent_id` as a string.
            parent_type: parent_id.as_ref().map(|_| "collection"),
            parent_id: parent_id.map(Value::from),
            translated_content: article_contents(&req, &changes.translated_content)?,
        };
        self.send(&req.json(&body)).await?;
        Ok(())
    }

    /// `GET /articles/{id}`: one article (a link's target, whose URL a dependent write needs).
    pub async fn article(&self, id: &str) -> Result<Article, ApiError> {
        let label = by_id(Kind::Articles, id);
        let req = Request::new(
            Method::GET,
            format!("/articles/{id}"),
            format!("read {label}"),
        );
        let a: wire::Article = self.get_json(&req).await?;
        Ok(Article::from(a))
    }

    /// `DELETE /articles/{id}`.
    pub(crate) async fn delete_article_at(&self, id: &str) -> Result<(), ApiError> {
        let label = by_id(Kind::Articles, id);
        self.delete_at(format!("/articles/{id}"), &label).await
    }
}
