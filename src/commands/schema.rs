//! `schema`: prints the configuration's JSON Schema, or writes every schema file.

use super::ExitStatus;
use super::files::OutDir;
use crate::cli::SchemaArgs;
use crate::config;
use crate::output::Printer;
use crate::render;

/// Prints the configuration schema, or with `--out` writes [`schema_files`] there.
pub(super) fn run(args: &SchemaArgs, printer: &Printer) -> anyhow::Result<ExitStatus> {
    match &args.out {
        None => printer.out(&config::config_schema_text())?,
        Some(dir) => {
            let out = OutDir::create(dir, printer)?;
            for (name, text) in schema_files() {
                out.write(name, &text)?;
            }
        }
    }
    Ok(ExitStatus::Success)
}

/// Every schema file that `schemas/` holds, by file name.
pub fn schema_files() -> Vec<(&'static str, String)> {
    let mut plan = serde_json::to_string_pretty(&render::plan_schema()).unwrap_or_default();
    plan.push('\n');
    let pretty = |v: serde_json::Value| {
        let mut text = serde_json::to_string_pretty(&v).unwrap_or_default();
        text.push('\n');
        text
    };
    vec![
        ("intercom-iac.schema.json", config::config_schema_text()),
        ("plan.schema.json", plan),
        (
            "help-center-article.schema.json",
            pretty(config::help_center::front_matter_schema()),
        ),
        (
            "help-center-collection.schema.json",
            pretty(config::help_center::collection_schema()),
        ),
        (
            "internal-article.schema.json",
            pretty(config::knowledge::internal_article_schema()),
        ),
        (
            "content-snippet.schema.json",
            pretty(config::knowledge::content_snippet_schema()),
        ),
    ]
}
