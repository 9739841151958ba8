//! Semantic checks of a merged configuration: what the schema cannot say. The sections that
//! belong to no kind (`prune`, `ignore`) are checked here; each kind checks its own
//! declarations through the registry (`KindSpec::check`). Each problem points at the
//! offending node; duplicates name both places.

use super::{Desired, Diagnostic, Origin};
use crate::kinds::{self, checks::at};

/// Runs every semantic check.
pub fn check(d: &Desired) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    check_prune(d, &mut out);
    for spec in kinds::REGISTRY {
        spec.check(d, &mut out);
    }
    check_ignore(d, &mut out);
    out
}

fn check_prune(d: &Desired, out: &mut Vec<Diagnostic>) {
    let mut seen = Vec::new();
    for p in &d.prune {
        if let Some(reason) = p.value.prune_refusal() {
            out.push(
                d.error_at(
                    &p.origin,
                    "",
                    format!("`{}` cannot be pruned: {reason}", p.value),
                )
                .with_help(format!("prunable kinds: {}", kinds::prunable())),
            );
        } else if seen.contains(&p.value) {
            out.push(d.warning_at(
                &p.origin,
                "",
                format!("`{}` is listed in prune twice", p.value),
            ));
        }
        seen.push(p.value);
    }
}

fn check_ignore(d: &Desired, out: &mut Vec<Diagnostic>) {
    for ig in &d.ignore {
        let (kind, pattern) = &ig.value;
        let glob = match globset::GlobBuilder::new(pattern)
            .case_insensitive(true)
            .build()
        {
            Ok(g) => g.compile_matcher(),
            Err(e) => {
                out.push(
                    d.error_at(
                        &ig.origin,
                        "",
                        format!("invalid pattern `{pattern}`: {}", e.kind()),
                    )
                    .with_help("patterns use `*` and `?`, e.g. `legacy_*`"),
                );
                continue;
            }
        };
        let declared: Vec<(&str, &Origin)> = kinds::spec(*kind)
            .entries(d, *kind)
            .into_iter()
            .map(|e| (e.name, e.origin))
            .collect();
        for (name, origin) in declared {
            if glob.is_match(name) {
                out.push(
                    d.error_at(origin, "/name", format!("`{name}` is both declared and ignored (pattern `{pattern}` at {})", at(d, &ig.origin, "")))
                        .with_help("an object is either managed here or ignored; remove the declaration or narrow the pattern"),
                );
            }
        }
    }
}
