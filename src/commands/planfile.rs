//! Saved plans: `plan --out` writes one, `apply PLANFILE` and `show` read it back, refusing a
//! plan made by another version.

use std::path::Path;

use anyhow::{Context, bail};

use super::files::write_atomically;
use crate::plan::Plan;
use crate::render::{self, PlanDocument, PlanTarget};

/// Saves the plan (JSON with the fingerprints of the live objects) to `path`.
pub(super) fn save(path: &Path, plan: &Plan, target: PlanTarget) -> anyhow::Result<()> {
    write_atomically(path, render::render_json(plan, Some(target)).as_bytes())
        .with_context(|| format!("cannot save the plan to {}", path.display()))
}

/// Reads a saved plan made by this version of the tool.
pub(super) fn read(path: &Path) -> anyhow::Result<PlanDocument> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the plan file {}", path.display()))?;
    let doc: PlanDocument = serde_json::from_str(&text).with_context(|| {
        format!(
            "{} is not a plan saved by `intercom-iac plan --out`",
            path.display()
        )
    })?;
    if doc.format_version != render::FORMAT_VERSION || doc.tool_version != env!("CARGO_PKG_VERSION")
    {
        bail!(
            "the plan in {} was made by intercom-iac {} (plan format {}); this is intercom-iac {} (plan format {})\n  help: run plan again with this version",
            path.display(),
            doc.tool_version,
            doc.format_version,
            env!("CARGO_PKG_VERSION"),
            render::FORMAT_VERSION
        );
    }
    Ok(doc)
}
