//! The write half of Help Center articles: one planned call becomes one client call. Only
//! `apply` reaches it, through `kinds::write`.

use crate::apply::WriteError;
use crate::intercom::Client;
use crate::kinds::write::{Written, by_id, done, misrouted};
use crate::model::change::{CollectionRef, Op};
use crate::model::{ArticleChanges, ArticleLinks, ArticleRef, Kind, NewArticle};

/// The collection a new collection of the same change got, in place of the reference to it.
fn resolved(
    parent: &Option<CollectionRef>,
    created: Option<&str>,
    op: &Op,
) -> Result<Option<CollectionRef>, WriteError> {
    match parent {
        Some(CollectionRef::Created(_)) => created
            .map(|id| Some(CollectionRef::Id(id.to_string())))
            .ok_or_else(|| misrouted(op)),
        other => Ok(other.clone()),
    }
}

/// Performs one planned call of this kind; `created` is the id of the new collection that an
/// earlier operation of the same change created. Returns the id of what it created.
pub(in crate::kinds) async fn write(client: &Client, op: &Op, created: Option<&str>) -> Written {
    match op {
        Op::CreateArticle(new) => {
            let a = match &new.parent {
                Some(CollectionRef::Created(_)) => {
                    let new = NewArticle {
                        parent: resolved(&new.parent, created, op)?,
                        ..new.clone()
                    };
                    client.create_article(&new).await?
                }
                _ => client.create_article(new).await?,
            };
            Ok(Some(a.id))
        }
        Op::UpdateArticle { id, changes } => {
            let label = by_id(Kind::Articles, id);
            match &changes.parent {
                Some(CollectionRef::Created(_)) => {
                    let changes = ArticleChanges {
                        parent: resolved(&changes.parent, created, op)?,
                        ..changes.clone()
                    };
                    client.update_article(id, &label, &changes).await?;
                }
                _ => client.update_article(id, &label, changes).await?,
            }
            Ok(None)
        }
        Op::DeleteArticle { id } => done(client.delete_article_at(id)).await,
        Op::LinkArticle(links) => link(client, op, links, created).await,
        other => Err(misrouted(other)),
    }
}

/// Sends a body whose links point at articles this plan wrote: reads each target's URL now
/// that its create or rename is done, then updates the linking article (`created`: its id,
/// when the same change created it).
async fn link(client: &Client, op: &Op, links: &ArticleLinks, created: Option<&str>) -> Written {
    let id = match &links.article {
        ArticleRef::Id(id) => id.clone(),
        ArticleRef::Created(_) => created.ok_or_else(|| misrouted(op))?.to_string(),
    };
    // Each target read once, for its URL in every locale its links want.
    let mut read = std::collections::HashMap::new();
    for target in links.all_links().filter_map(|l| l.id.as_deref()) {
        if !read.contains_key(target) {
            let article = client.article(target).await?;
            read.insert(target.to_string(), article);
        }
    }
    let url = |target: &str, locale: Option<&str>| read.get(target)?.url_in(locale);
    let Some(changes) = links.changes_with(url) else {
        return Err(WriteError::Api {
            status: None,
            code: None,
            request_id: None,
            message: format!(
                "{} links to an article that Intercom gives no URL: its links were not sent",
                by_id(Kind::Articles, &id)
            ),
        });
    };
    client
        .update_article(&id, &by_id(Kind::Articles, &id), &changes)
        .await?;
    Ok(None)
}
