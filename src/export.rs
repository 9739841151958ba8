//! Live state to configuration: YAML that validates and round-trips (`plan` on it shows no
//! changes). Every field is written, objects in a stable order; what the configuration
//! language cannot represent goes under `ignore:` with a comment saying why.

use std::collections::{BTreeMap, BTreeSet};

use crate::config::types::{self, ConfigFile};
use crate::kinds::{Exported, Ignored};
use crate::model::{Kind, Live};

/// The schema modeline, relative to a file one level below the repository root.
const MODELINE: &str = "# yaml-language-server: $schema=../schemas/intercom-iac.schema.json";

/// One exported file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFile {
    /// File name (`tags.yaml`).
    pub name: String,
    /// YAML text.
    pub text: String,
}

/// Escapes glob metacharacters so an ignore pattern matches exactly one name.
fn glob_literal(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        match c {
            '*' | '?' | '[' | ']' | '{' | '}' | '\\' => {
                out.push('[');
                out.push(c);
                out.push(']');
            }
            _ => out.push(c),
        }
    }
    out
}

/// Builds the configuration of the kinds in `kinds` from live state: one section per file,
/// in registry order (kinds that share a file, like contact and company attributes, share it).
/// Settings that kinds export under `workspace:` (the IP allowlist) go to `workspace.yaml`, with
/// the guard.
fn build(live: &Live, kinds: &BTreeSet<Kind>) -> Built {
    let mut out: Vec<Section> = Vec::new();
    let mut extra = Vec::new();
    let mut ignored = Vec::new();
    let mut settings = types::Workspace::default();
    for (kind, spec) in crate::kinds::all() {
        if !kinds.contains(&kind) {
            continue;
        }
        let (file, title) = spec.export_file();
        let cfg = match out.last() {
            Some(last) if last.file == file => out.pop().map(|s| s.cfg).unwrap_or_default(),
            _ => ConfigFile::default(),
        };
        let mut exported = Exported {
            cfg,
            ignored: std::mem::take(&mut ignored),
            extra_files: Vec::new(),
        };
        let has_section = spec.export(live, kind, &mut exported);
        ignored = exported.ignored;
        extra.append(&mut exported.extra_files);
        if let Some(ws) = exported.cfg.workspace.take() {
            settings.ip_allowlist = ws.ip_allowlist.or(settings.ip_allowlist);
            settings.require_identity_verification = ws
                .require_identity_verification
                .or(settings.require_identity_verification);
        }
        if has_section && !exported.cfg.sections.is_empty() {
            out.push(Section {
                file,
                title,
                cfg: exported.cfg,
            });
        }
    }
    (out, ignored, settings, extra)
}

/// What [`build`] returns: the sections, the ignored objects, the `workspace:` settings and
/// the files outside the sections.
type Built = (
    Vec<Section>,
    Vec<Ignored>,
    types::Workspace,
    Vec<(String, String)>,
);

/// One exported file's configuration.
struct Section {
    file: String,
    title: String,
    cfg: ConfigFile,
}

fn to_yaml(cfg: &ConfigFile) -> String {
    let text = serde_saphyr::to_string(cfg).unwrap_or_default();
    text.strip_prefix("---\n").unwrap_or(&text).to_string()
}

/// The `workspace:` guard and the `ignore:` section, with a comment per ignored object.
fn workspace_yaml(live: &Live, ignored: &[Ignored], settings: types::Workspace) -> String {
    let mut cfg = ConfigFile {
        version: Some(1),
        ..ConfigFile::default()
    };
    let region = live.me.app.region.parse().ok();
    let mut ws = settings;
    if !live.me.app.id_code.is_empty() {
        ws.app_id = Some(live.me.app.id_code.clone());
        ws.region = region;
    }
    if ws != types::Workspace::default() {
        cfg.workspace = Some(ws);
    }
    let mut text = to_yaml(&cfg);
    if !ignored.is_empty() {
        text.push_str("# Objects the configuration language cannot represent: never planned, pruned or reported.\n");
        text.push_str("ignore:\n");
        let mut by_kind: BTreeMap<Kind, Vec<&Ignored>> = BTreeMap::new();
        for i in ignored {
            by_kind.entry(i.kind).or_default().push(i);
        }
        for (kind, items) in by_kind {
            text.push_str(&format!("  {}:\n", kind.plural()));
            for i in items {
                text.push_str(&format!("    # {}: {}\n", i.name.replace('\n', " "), i.why));
                text.push_str(&format!(
                    "    - {}\n",
                    serde_json::to_string(&glob_literal(&i.name)).unwrap_or_default()
                ));
            }
        }
    }
    text
}

/// Exports the kinds in `kinds` as one file per kind plus `workspace.yaml`.
pub fn export_files(live: &Live, kinds: &BTreeSet<Kind>) -> Vec<ExportFile> {
    let (sections, ignored, settings, extra) = build(live, kinds);
    let header = |what: &str| {
        format!(
            "{MODELINE}\n# {what}, exported from {} ({}) by intercom-iac.\n",
            live.me.app.name, live.me.app.id_code
        )
    };
    let mut files = vec![ExportFile {
        name: "workspace.yaml".into(),
        text: format!(
            "{}{}",
            header("Workspace guard"),
            workspace_yaml(live, &ignored, settings)
        ),
    }];
    for s in sections {
        files.push(ExportFile {
            name: s.file,
            text: format!("{}{}", header(&s.title), to_yaml(&s.cfg)),
        });
    }
    files.extend(
        extra
            .into_iter()
            .map(|(name, text)| ExportFile { name, text }),
    );
    files
}

/// Exports everything as one YAML document.
pub fn export_document(live: &Live, kinds: &BTreeSet<Kind>) -> String {
    // The help center's folder tree has no place in one document.
    let (sections, ignored, settings, _) = build(live, kinds);
    let mut out = format!(
        "{MODELINE}\n# Exported from {} ({}) by intercom-iac.\n{}",
        live.me.app.name,
        live.me.app.id_code,
        workspace_yaml(live, &ignored, settings)
    );
    for s in sections {
        out.push_str(&to_yaml(&s.cfg));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_metacharacters_are_escaped() {
        assert_eq!(glob_literal("a*b?[c]"), "a[*]b[?][[]c[]]");
        let g = globset::Glob::new(&glob_literal("a*b"))
            .unwrap()
            .compile_matcher();
        assert!(g.is_match("a*b"));
        assert!(!g.is_match("axb"));
    }
}
