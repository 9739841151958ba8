//! Renders a plan for people (text), machines (JSON) and pull requests (markdown), into any
//! `Write`. No I/O of its own.

mod line_diff;
mod markdown;
mod text;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use markdown::{MAX_COMMENT_CHARS, render_markdown};
pub use text::{render_text, render_text_with};

use crate::plan::{Change, EventContract, ManualStep, Plan, Remark, Summary};

/// The version of the JSON plan format. Fields are only ever added.
pub const FORMAT_VERSION: &str = "1";

/// Where a saved plan was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PlanTarget {
    /// The workspace's app `id_code`.
    pub app_id: String,
    /// The workspace's name.
    pub app_name: String,
    /// The region Intercom reports.
    pub region: String,
    /// The API host (never the token).
    pub endpoint_host: String,
}

/// The JSON form of a plan (`plan --format json`, `plan --out FILE`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PlanDocument {
    /// Version of this format.
    pub format_version: String,
    /// The intercom-iac version that made the plan.
    pub tool_version: String,
    /// Short digest of the actions; `apply --expect-digest` compares it.
    pub digest: String,
    /// Counts per action.
    pub summary: Summary,
    /// The workspace the plan was made for (saved plans).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<PlanTarget>,
    /// Changes in address order, with their write operations and live fingerprints.
    pub changes: Vec<Change>,
    /// Steps the API cannot do.
    pub manual_steps: Vec<ManualStep>,
    /// Warnings.
    pub warnings: Vec<Remark>,
    /// Notes.
    pub notes: Vec<Remark>,
    /// Declared events (documentation only, never changes).
    pub contract: Vec<EventContract>,
}

impl PlanDocument {
    /// The document of a plan.
    pub fn new(plan: &Plan, target: Option<PlanTarget>) -> Self {
        PlanDocument {
            format_version: FORMAT_VERSION.into(),
            tool_version: env!("CARGO_PKG_VERSION").into(),
            digest: plan.digest(),
            summary: plan.summary(),
            target,
            changes: plan.changes.clone(),
            manual_steps: plan.manual_steps.clone(),
            warnings: plan.warnings.clone(),
            notes: plan.notes.clone(),
            contract: plan.contract.clone(),
        }
    }

    /// The plan back (for `show` and `apply PLANFILE`).
    pub fn to_plan(&self) -> Plan {
        Plan {
            changes: self.changes.clone(),
            manual_steps: self.manual_steps.clone(),
            warnings: self.warnings.clone(),
            notes: self.notes.clone(),
            contract: self.contract.clone(),
            live_counts: Default::default(),
        }
    }
}

/// Renders the JSON form, pretty-printed, with a final newline.
pub fn render_json(plan: &Plan, target: Option<PlanTarget>) -> String {
    let mut s = serde_json::to_string_pretty(&PlanDocument::new(plan, target)).unwrap_or_default();
    s.push('\n');
    s
}

/// The JSON Schema of [`PlanDocument`].
pub fn plan_schema() -> serde_json::Value {
    let schema = schemars::generate::SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<PlanDocument>();
    serde_json::to_value(schema).unwrap_or_default()
}

/// The summary line (`Plan: 1 to create, …; 0 manual steps.`) or the no-changes sentence.
pub fn summary_line(plan: &Plan) -> String {
    if plan.is_empty() {
        return "No changes. The workspace matches the configuration.".into();
    }
    let s = plan.summary();
    format!(
        "Plan: {} to create, {} to update, {} to rename, {} to archive, {} to delete; {} manual step{}.",
        s.create,
        s.update,
        s.rename,
        s.archive,
        s.delete,
        s.manual,
        if s.manual == 1 { "" } else { "s" }
    )
}
