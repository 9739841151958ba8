//! The sandbox's workspace state: every object it serves, the fixed clock and id counter, and
//! how that state is saved to and loaded from a JSON state file (atomic writes, guarded by an
//! exclusive lock on a sidecar `<file>.lock`).

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::SandboxError;

/// The fixed clock's start: 2026-01-01T00:00:00Z. Each write request advances it by one second,
/// so `updated_at` moves forward while runs stay reproducible.
pub(crate) const EPOCH: i64 = 1_767_225_600;

/// Workspace-wide cap on non-archived custom data attributes (API-NOTES §1).
pub(crate) const CUSTOM_ATTRIBUTE_CAP: usize = 250;

/// The workspace (`GET /me` → `app`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct AppInfo {
    pub id_code: String,
    pub name: String,
    pub region: String,
    pub timezone: String,
    pub created_at: i64,
    /// Identity verification for the Messenger (`GET /me` → `app.identity_verification`);
    /// off in state files saved before it existed.
    #[serde(default)]
    pub identity_verification: bool,
}

/// The workspace's IP allowlist (`/ip_allowlist`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct IpAllowlist {
    pub enabled: bool,
    /// As sent (addresses and CIDR ranges).
    pub ranges: Vec<String>,
}

/// A teammate.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Admin {
    pub id: u64,
    pub name: String,
    pub email: String,
    pub job_title: Option<String>,
    pub away_mode_enabled: bool,
    pub away_mode_reassign: bool,
    pub away_status_reason_id: Option<u64>,
    pub has_inbox_seat: bool,
    pub role: Option<String>,
}

/// A team; membership and priority levels are the only writable parts.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Team {
    pub id: u64,
    pub name: String,
    pub admin_ids: Vec<u64>,
    /// Members at the secondary level; every other member is primary.
    pub secondary_admin_ids: BTreeSet<u64>,
    pub distribution_method: Option<String>,
    pub assignment_limit: Option<i64>,
}

impl Team {
    /// Whether the team balances load (the only kind with secondary members).
    pub fn is_load_balanced(&self) -> bool {
        self.distribution_method.as_deref() == Some("load_balanced")
    }
}

/// A contact or company data attribute, built-in (`custom: false`, no id) or custom.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct DataAttribute {
    pub id: Option<u64>,
    pub model: String,
    pub name: String,
    pub full_name: String,
    pub label: String,
    pub description: Option<String>,
    /// As read back: a list attribute is `string` with `options`.
    pub data_type: String,
    pub options: Option<Vec<String>>,
    pub api_writable: bool,
    pub ui_writable: bool,
    pub messenger_writable: bool,
    pub custom: bool,
    pub archived: bool,
    pub admin_id: Option<String>,
    pub created_at: Option<i64>,
    pub updated_at: Option<i64>,
}

/// One option of a list conversation attribute.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ConversationOption {
    pub id: String,
    pub label: String,
    pub archived: bool,
}

/// A conversation attribute (2.16+).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ConversationAttribute {
    pub id: u64,
    pub name: String,
    pub description: String,
    pub data_type: String,
    pub required: bool,
    pub visible_to_team_ids: Vec<String>,
    pub archived: bool,
    pub created_at: i64,
    pub updated_at: i64,
    pub admin_id: String,
    pub multiline: bool,
    pub options: Vec<ConversationOption>,
    pub reference: Option<serde_json::Value>,
}

/// A tag.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Tag {
    pub id: u64,
    pub name: String,
}

/// A segment (read-only through the API); `tag_id` is the tag its rules use, if any.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Segment {
    pub id: String,
    pub name: String,
    pub person_type: String,
    pub count: i64,
    pub tag_id: Option<u64>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// An audience predicate (opaque strings).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct Predicate {
    pub attribute: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub comparison: String,
    pub value: String,
}

/// An audience.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Audience {
    pub id: u64,
    pub name: String,
    pub predicates: Vec<Predicate>,
    pub role_predicates: Vec<Predicate>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// An open interval, in minutes.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Interval {
    pub start_minute: i64,
    pub end_minute: i64,
}

/// An office hours schedule; intervals count minutes from Monday 00:00.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Schedule {
    pub id: u64,
    pub name: String,
    pub time_zone_name: String,
    pub time_intervals: Vec<Interval>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// An office hours exception; intervals count minutes from midnight on `exception_date`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Exception {
    pub id: u64,
    pub schedule_id: u64,
    pub exception_date: String,
    pub exception_type: String,
    pub name: Option<String>,
    pub time_intervals: Option<Vec<Interval>>,
    pub recurring_annually: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A contact (user or lead).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Contact {
    pub id: String,
    pub role: String,
    pub external_id: Option<String>,
    pub email: Option<String>,
    pub name: Option<String>,
    pub created_at: i64,
}

/// An away status reason (read-only; deleted ones stay listed).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct AwayReason {
    pub id: u64,
    pub label: String,
    pub emoji: String,
    pub order: i64,
    pub deleted: bool,
}

/// A brand (read-only through the API). The default brand's id is the app's `id_code`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Brand {
    pub id: String,
    pub name: String,
    pub is_default: bool,
    pub created_at: i64,
    pub updated_at: i64,
    pub help_center_id: String,
    pub default_address_settings_id: String,
}

impl Brand {
    /// The brand every workspace has: named after the app, with the app's `id_code` as its id.
    pub fn default_for(app: &AppInfo) -> Brand {
        Brand {
            id: app.id_code.clone(),
            name: app.name.clone(),
            is_default: true,
            created_at: app.created_at,
            updated_at: EPOCH,
            help_center_id: DEFAULT_HELP_CENTER_ID.to_string(),
            default_address_settings_id: "601".to_string(),
        }
    }
}

/// A macro (saved reply; read-only through the API). Times are Unix seconds, served as ISO 8601.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Macro {
    pub id: u64,
    pub name: String,
    pub body_text: String,
    /// `everyone` or `specific_teams`.
    pub visible_to: String,
    pub visible_to_team_ids: Vec<u64>,
    pub available_on: Vec<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// One locale's name and description of a subscription type.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Translation {
    pub name: String,
    pub description: String,
    pub locale: String,
}

/// A subscription type (read-only through the API). The first translation is the default
/// locale's.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct SubscriptionType {
    pub id: u64,
    /// `live`, `draft` or `archived`.
    pub state: String,
    /// `opt_out` or `opt_in`.
    pub consent_type: String,
    pub translations: Vec<Translation>,
    pub content_types: Vec<String>,
}

/// A help center (read-only through the API). Every workspace has one, `DEFAULT_HELP_CENTER_ID`,
/// the default brand's.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct HelpCenter {
    pub id: u64,
    pub identifier: String,
    pub display_name: String,
    pub website_turned_on: bool,
    pub default: bool,
    pub created_at: i64,
    pub updated_at: i64,
    /// The locales it is available in, its default one first (several: multilingual).
    /// Missing from older state files: English only.
    #[serde(default = "english_only")]
    pub locales: Vec<String>,
}

fn english_only() -> Vec<String> {
    vec!["en".to_string()]
}

impl HelpCenter {
    /// The help center every workspace has (the default brand's `help_center_id`).
    pub fn default_for(app: &AppInfo) -> HelpCenter {
        HelpCenter {
            id: DEFAULT_HELP_CENTER_ID,
            identifier: app.name.to_lowercase().replace(' ', "-"),
            display_name: format!("{} Help", app.name),
            website_turned_on: true,
            default: true,
            created_at: app.created_at,
            updated_at: EPOCH,
            // Multilingual, so that translations are exercised: English (the default),
            // French and German.
            locales: ["en", "fr", "de"].map(String::from).to_vec(),
        }
    }
}

/// The id of the help center every workspace has (see [`Brand::default_for`]).
pub(crate) const DEFAULT_HELP_CENTER_ID: u64 = 501;

/// A help center collection; one with a parent is what Intercom's editor calls a section.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Collection {
    pub id: u64,
    pub name: String,
    pub description: Option<String>,
    pub parent_id: Option<u64>,
    pub help_center_id: u64,
    pub order: i64,
    pub created_at: i64,
    pub updated_at: i64,
    /// Its name and description in its help center's other locales.
    #[serde(default)]
    pub translations: BTreeMap<String, GroupLocale>,
}

/// A collection's name and description in one locale.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct GroupLocale {
    pub name: String,
    pub description: Option<String>,
}

/// An article's content in one locale other than its help center's default one.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ArticleLocale {
    pub title: String,
    pub description: Option<String>,
    pub body: String,
    pub body_markdown: Option<String>,
    pub author_id: u64,
    pub state: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A help center article: its default locale's content and its `translations`. `body` is HTML; `body_markdown` is kept only
/// when the article was last written in Markdown (`None`: written as HTML, as Intercom's editor
/// does).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Article {
    pub id: u64,
    pub title: String,
    pub description: Option<String>,
    pub body: String,
    pub body_markdown: Option<String>,
    pub author_id: u64,
    pub state: String,
    /// The collection it sits in, if any.
    pub parent_id: Option<u64>,
    pub created_at: i64,
    pub updated_at: i64,
    /// Its content in its help center's other locales.
    #[serde(default)]
    pub translations: BTreeMap<String, ArticleLocale>,
}

/// The whole workspace. Everything the API can change lives here and is persisted.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct State {
    /// Last id handed out; ids are sequential across all kinds.
    pub last_id: u64,
    /// The fixed clock (Unix seconds).
    pub clock: i64,
    pub app: AppInfo,
    /// The admin the access token acts for (`GET /me`).
    pub me: u64,
    pub admins: BTreeMap<u64, Admin>,
    pub teams: BTreeMap<u64, Team>,
    pub data_attributes: Vec<DataAttribute>,
    pub conversation_attributes: BTreeMap<u64, ConversationAttribute>,
    pub tags: BTreeMap<u64, Tag>,
    pub segments: Vec<Segment>,
    pub audiences: BTreeMap<u64, Audience>,
    pub schedules: BTreeMap<u64, Schedule>,
    pub exceptions: BTreeMap<u64, Exception>,
    pub contacts: Vec<Contact>,
    pub away_reasons: Vec<AwayReason>,
    /// The default brand first. Missing from state files saved before brands existed: such a
    /// file loads with only the default brand (see [`State::upgrade`]).
    #[serde(default)]
    pub brands: Vec<Brand>,
    /// Help centers; missing from older state files (see [`State::upgrade`]).
    #[serde(default)]
    pub help_centers: Vec<HelpCenter>,
    /// Help center collections by id (missing from older state files: none).
    #[serde(default)]
    pub collections: BTreeMap<u64, Collection>,
    /// Articles by id (missing from older state files: none).
    #[serde(default)]
    pub articles: BTreeMap<u64, Article>,
    /// Macros; missing from state files saved before they existed (then none).
    #[serde(default)]
    pub macros: Vec<Macro>,
    /// Subscription types; missing from state files saved before they existed (then none).
    #[serde(default)]
    pub subscription_types: Vec<SubscriptionType>,
    /// The IP allowlist; missing from state files saved before it existed (then off, empty).
    #[serde(default)]
    pub ip_allowlist: IpAllowlist,
    /// Ticket types by id (missing from older state files: none).
    #[serde(default)]
    pub ticket_types: BTreeMap<u64, super::ticket_types::TicketType>,
    /// The admin activity log, oldest first (missing from older state files: empty).
    #[serde(default)]
    pub activity_logs: Vec<super::activity_log::LogEntry>,
    /// Content data export jobs (missing from older state files: none).
    #[serde(default)]
    pub data_exports: Vec<super::data_export::DataExport>,
    /// Internal articles by id (missing from older state files: none).
    #[serde(default)]
    pub internal_articles: BTreeMap<u64, super::internal_articles::InternalArticle>,
    /// Content snippets by id (missing from older state files: none).
    #[serde(default)]
    pub content_snippets: BTreeMap<u64, super::content_snippets::ContentSnippet>,
    /// Event occurrences seen, for de-duplication: (contact id, event name, created_at).
    pub events: BTreeSet<(String, String, i64)>,
}

impl State {
    /// Hands out the next sequential id.
    pub fn next_id(&mut self) -> u64 {
        self.last_id += 1;
        self.last_id
    }

    /// Advances the fixed clock by one second and returns the new time.
    pub fn tick(&mut self) -> i64 {
        self.clock += 1;
        self.clock
    }

    /// A deterministic UUID-shaped id (conversation attribute options).
    pub fn next_uuid(&mut self) -> String {
        let n = self.next_id();
        uuid_like(0x5b0c_0de0, n)
    }

    /// Fills in what a state file saved by an older sandbox lacks: a workspace always has its
    /// default brand.
    pub fn upgrade(mut self) -> State {
        if !self.brands.iter().any(|b| b.is_default) {
            self.brands.insert(0, Brand::default_for(&self.app));
        }
        if self.help_centers.is_empty() {
            self.help_centers.push(HelpCenter::default_for(&self.app));
        }
        self
    }

    /// The token admin's id as the API writes it (a string).
    pub fn me_id(&self) -> String {
        self.me.to_string()
    }
}

/// Formats `n` as a UUID-shaped string (version 4 layout) under a fixed prefix.
pub(crate) fn uuid_like(prefix: u32, n: u64) -> String {
    let hi = (n >> 48) & 0xffff;
    let lo = n & 0xffff_ffff_ffff;
    format!("{prefix:08x}-{hi:04x}-4000-8000-{lo:012x}")
}

/// The state file, with its lock held for as long as this value lives.
#[derive(Debug)]
pub(crate) struct StateFile {
    path: PathBuf,
    /// Kept open: the advisory lock is released when the file is closed.
    _lock: File,
}

impl StateFile {
    /// Takes the exclusive lock on `<path>.lock`, failing at once if someone else holds it.
    pub fn lock(path: &Path) -> Result<StateFile, SandboxError> {
        let mut lock_name = path.as_os_str().to_owned();
        lock_name.push(".lock");
        let lock_path = PathBuf::from(lock_name);
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|source| SandboxError::LockFile {
                path: lock_path.clone(),
                source,
            })?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(SandboxError::StateLocked { path: lock_path });
            }
            Err(std::fs::TryLockError::Error(source)) => {
                return Err(SandboxError::LockFile {
                    path: lock_path,
                    source,
                });
            }
        }
        Ok(StateFile {
            path: path.to_path_buf(),
            _lock: lock,
        })
    }

    /// Reads the saved state, or `None` when the file does not exist yet.
    pub fn load(&self) -> Result<Option<State>, SandboxError> {
        let bytes = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(SandboxError::ReadState {
                    path: self.path.clone(),
                    source,
                });
            }
        };
        serde_json::from_slice(&bytes)
            .map(|state: State| Some(state.upgrade()))
            .map_err(|source| SandboxError::ParseState {
                path: self.path.clone(),
                source,
            })
    }

    /// Writes `state` atomically: a temporary file in the same directory, then a rename.
    pub fn save(&self, state: &State) -> Result<(), SandboxError> {
        let write_err = |source: std::io::Error| SandboxError::WriteState {
            path: self.path.clone(),
            source,
        };
        let dir = match self.path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let bytes = serde_json::to_vec(state).map_err(|e| write_err(std::io::Error::other(e)))?;
        let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(write_err)?;
        tmp.write_all(&bytes).map_err(write_err)?;
        tmp.as_file().sync_all().map_err(write_err)?;
        tmp.persist(&self.path).map_err(|e| write_err(e.error))?;
        Ok(())
    }
}
