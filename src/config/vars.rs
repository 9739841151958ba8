//! Variables in configuration values: `${NAME}` takes the value the environment declares under
//! `variables:`, `${env:NAME}` the process's environment variable, and `$${` writes a literal
//! `${`. Values are substituted once (a value that contains `${` is not expanded again), before
//! schema validation, in every string value of a YAML file (never in keys) and in Markdown.
//!
//! `${env:…}` may not read the access token (`INTERCOM_ACCESS_TOKEN` or any
//! `INTERCOM_ACCESS_TOKEN_<ENV>`): a configuration value ends up in plans, files that `export`
//! writes and pull-request comments, where a secret must never go.

use indexmap::IndexMap;

use super::source::{Node, NodeValue, Position, ReadError};

/// The prefix of every environment variable that may hold an access token.
pub const TOKEN_VAR_PREFIX: &str = "INTERCOM_ACCESS_TOKEN";

/// Where variables' values come from.
pub struct Variables<'a> {
    /// The environment's `variables:` (empty without environments).
    pub named: &'a IndexMap<String, String>,
    /// Reads a process environment variable (`std::env::var` outside tests).
    pub process: &'a dyn Fn(&str) -> Option<String>,
    /// Where the environment's variables are declared, for help texts (`environments.staging`).
    pub declared_in: &'a str,
}

/// A variable that cannot be substituted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarError {
    /// Offset of the `$` in the text, in characters.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub help: String,
}

/// How much larger than its input substitution may make a text (and at least 64 KiB), so a
/// small file cannot expand into gigabytes.
const GROWTH_LIMIT: usize = 16;

/// Substitutes the variables in `text`; `None` when it has none (no copy made).
pub fn expand(text: &str, vars: &Variables<'_>) -> Result<Option<String>, VarError> {
    Ok(expand_spans(text, vars)?.map(|(out, _)| out))
}

/// One substitution: the bytes `written` of the text became the bytes `read` of the result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Substitution {
    /// Where it is in the text as written (`${NAME}`, `$${`).
    pub written: std::ops::Range<usize>,
    /// Where its value is in the text as read.
    pub read: std::ops::Range<usize>,
}

/// [`expand`], with where each substitution went, in order (so that a position in the result
/// is found in the text as written).
pub fn expand_spans(
    text: &str,
    vars: &Variables<'_>,
) -> Result<Option<(String, Vec<Substitution>)>, VarError> {
    if !text.contains('$') {
        return Ok(None);
    }
    let mut spans = Vec::new();
    let limit = (text.len() * GROWTH_LIMIT).max(64 * 1024);
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    let mut rest = text;
    let mut offset = 0usize; // characters consumed so far
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        offset += rest[..at].chars().count();
        let tail = &rest[at..];
        let (start, at_out) = (text.len() - tail.len(), out.len());
        if let Some(after) = tail.strip_prefix("$${") {
            out.push_str("${");
            changed = true;
            rest = after;
            offset += 3;
            spans.push(Substitution {
                written: start..start + 3,
                read: at_out..out.len(),
            });
        } else if let Some(inner) = tail.strip_prefix("${") {
            let Some(end) = inner.find('}') else {
                return Err(VarError {
                    offset,
                    message: "`${` starts a variable that is not closed with `}`".to_string(),
                    help: "write `${NAME}`, or `$${` for a literal `${`".to_string(),
                });
            };
            let reference = &inner[..end];
            out.push_str(&lookup(reference, vars, offset)?);
            changed = true;
            rest = &inner[end + 1..];
            offset += reference.chars().count() + 3;
            spans.push(Substitution {
                written: start..text.len() - rest.len(),
                read: at_out..out.len(),
            });
        } else {
            out.push('$');
            rest = &tail[1..];
            offset += 1;
        }
        if out.len() > limit {
            return Err(VarError {
                offset,
                message: format!(
                    "substituting variables makes this value larger than {} KiB",
                    limit / 1024
                ),
                help: "variables are for short values such as e-mail addresses and names"
                    .to_string(),
            });
        }
    }
    out.push_str(rest);
    Ok(changed.then_some((out, spans)))
}

fn lookup(reference: &str, vars: &Variables<'_>, offset: usize) -> Result<String, VarError> {
    let error = |message: String, help: String| VarError {
        offset,
        message,
        help,
    };
    if let Some(name) = reference.strip_prefix("env:") {
        check_name(name).map_err(|m| error(m, "write `${env:NAME}`".to_string()))?;
        if name.starts_with(TOKEN_VAR_PREFIX) {
            return Err(error(
                format!("`${{env:{name}}}` would put the access token into the configuration"),
                "configuration values end up in plans and pull-request comments; the token is only read by the tool itself".to_string(),
            ));
        }
        return (vars.process)(name).ok_or_else(|| {
            error(
                format!("the environment variable `{name}` is not set"),
                format!("set {name} in the environment that runs intercom-iac"),
            )
        });
    }
    check_name(reference).map_err(|m| {
        error(
            m,
            "write `${NAME}` for a variable or `${env:NAME}` for an environment variable"
                .to_string(),
        )
    })?;
    if let Some(value) = vars.named.get(reference) {
        return Ok(value.clone());
    }
    let known: Vec<&str> = vars.named.keys().map(String::as_str).collect();
    let mut help = format!("declare it under `{}.variables`", vars.declared_in);
    if let Some(near) = super::did_you_mean(reference, known.iter().copied()) {
        help = format!("did you mean `${{{near}}}`? Otherwise {help}");
    }
    if vars.named.is_empty() && vars.declared_in.is_empty() {
        help = "variables come from an environment's `variables:` (see `environments:`); write `$${` for a literal `${`".to_string();
    }
    Err(error(
        format!("the variable `{reference}` is not defined"),
        help,
    ))
}

fn check_name(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    let valid = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if valid {
        Ok(())
    } else {
        Err(format!(
            "`{name}` is not a variable name (letters, digits and `_`, not starting with a digit)"
        ))
    }
}

/// Substitutes the variables in every string value of a tree (keys are left alone). Each
/// problem is located at its string: at the `$` itself when the string is on one line.
pub fn expand_tree(node: &mut Node, vars: &Variables<'_>) -> Vec<ReadError> {
    let mut problems = Vec::new();
    walk(node, vars, &mut problems);
    problems
}

fn walk(node: &mut Node, vars: &Variables<'_>, problems: &mut Vec<ReadError>) {
    match &mut node.value {
        NodeValue::Str(s) => match expand(s, vars) {
            Ok(Some(new)) => *s = new,
            Ok(None) => {}
            Err(e) => {
                let pos = if s.contains('\n') {
                    node.pos
                } else {
                    Position {
                        line: node.pos.line,
                        col: node.pos.col + e.offset,
                    }
                };
                problems.push(ReadError {
                    pos,
                    message: e.message,
                    help: Some(e.help),
                });
            }
        },
        NodeValue::Seq(items) => items.iter_mut().for_each(|n| walk(n, vars, problems)),
        NodeValue::Map(entries) => entries
            .iter_mut()
            .for_each(|(_, n)| walk(n, vars, problems)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with<R>(named: &[(&str, &str)], f: impl FnOnce(&Variables<'_>) -> R) -> R {
        let named: IndexMap<String, String> = named
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let process = |name: &str| match name {
            "REGION" => Some("eu".to_string()),
            "INTERCOM_ACCESS_TOKEN" | "INTERCOM_ACCESS_TOKEN_STAGING" => Some("secret".to_string()),
            _ => None,
        };
        f(&Variables {
            named: &named,
            process: &process,
            declared_in: "environments.staging",
        })
    }

    #[test]
    fn substitutes_named_and_process_variables_once() {
        let out = with(&[("TEAM", "Support ${X}")], |v| {
            expand("team ${TEAM} in ${env:REGION}, $5 and $${literal}", v)
        });
        assert_eq!(
            out.unwrap().as_deref(),
            Some("team Support ${X} in eu, $5 and ${literal}")
        );
    }

    #[test]
    fn text_without_variables_is_not_copied() {
        assert_eq!(with(&[], |v| expand("costs $5", v)), Ok(None));
        assert_eq!(with(&[], |v| expand("plain", v)), Ok(None));
    }

    #[test]
    fn undefined_variable_is_located_and_suggests_a_near_name() {
        let e = with(&[("SUPPORT_EMAIL", "a@b.c")], |v| {
            expand("é ${SUPORT_EMAIL}", v)
        })
        .unwrap_err();
        assert_eq!(e.offset, 2);
        assert!(e.message.contains("`SUPORT_EMAIL` is not defined"), "{e:?}");
        assert!(e.help.contains("did you mean `${SUPPORT_EMAIL}`"), "{e:?}");
    }

    #[test]
    fn the_token_cannot_be_read() {
        for name in ["INTERCOM_ACCESS_TOKEN", "INTERCOM_ACCESS_TOKEN_STAGING"] {
            let e = with(&[], |v| expand(&format!("${{env:{name}}}"), v)).unwrap_err();
            assert!(e.message.contains("access token"), "{e:?}");
            assert!(!e.message.contains("secret") && !e.help.contains("secret"));
        }
    }

    #[test]
    fn malformed_references_are_errors() {
        for bad in ["${", "${A", "${}", "${1A}", "${env:}", "${a-b}"] {
            assert!(with(&[("A", "x")], |v| expand(bad, v)).is_err(), "{bad}");
        }
        let e = with(&[], |v| expand("x ${env:NOPE}", v)).unwrap_err();
        assert!(e.message.contains("`NOPE` is not set"), "{e:?}");
    }

    #[test]
    fn expansion_is_bounded() {
        let big = "x".repeat(100_000);
        let text = "${BIG}".repeat(1000);
        let e = with(&[("BIG", big.as_str())], |v| expand(&text, v)).unwrap_err();
        assert!(e.message.contains("larger than"), "{e:?}");
    }

    #[test]
    fn tree_errors_point_at_the_dollar_sign() {
        let mut root =
            super::super::source::parse("tags:\n  - name: ${NOPE}\n    description: ok ${A}\n")
                .unwrap();
        let problems = with(&[("A", "fine")], |v| expand_tree(&mut root, v));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].pos, Position { line: 2, col: 11 });
        assert_eq!(
            root.locate("/tags/0/description").to_json(),
            serde_json::json!("ok fine")
        );
    }
}
