//! Domain types shared by every module: the vocabulary of kinds, resource addresses, and the
//! normalised live state of a workspace. Nothing here knows about YAML or HTTP.

pub mod activity;
mod address;
mod article;
mod article_link;
pub mod change;
mod filter;
mod kind;
mod knowledge;
mod live;
mod region;
mod request;
mod ticket_types;
mod translation;

pub use address::{Address, AddressParseError};
pub use article::{Article, ArticleChanges, ArticleState, NewArticle};
pub use article_link::{ArticleLinks, ArticleRef, LocaleLinks, OpRef, PendingLink};
pub use filter::Filter;
pub use kind::{Kind, KindParseError};
pub use knowledge::{
    ContentSnippet, ContentSnippetChanges, InternalArticle, InternalArticleChanges,
    NewContentSnippet, NewInternalArticle,
};
pub use live::*;
pub use region::{Region, RegionParseError};
pub use request::{
    AudienceChanges, ConversationAttributeChanges, DataAttributeChanges, NewAudience,
    NewConversationAttribute, NewDataAttribute, NewHelpCenterCollection, NewOfficeHoursException,
    NewOfficeHoursSchedule, OfficeHoursExceptionChanges, OfficeHoursScheduleChanges, TeamMembers,
};
pub use ticket_types::*;
pub use translation::{
    ArticleContent, ArticleTranslation, FALLBACK_LOCALE, GroupContent, SUPPORTED_LOCALES,
    Translations, is_supported_locale,
};
