//! Article bodies as compared and exported: Intercom's HTML `body` converted to Markdown
//! (for articles written in Intercom's editor, whose `body_markdown` is null), and the one
//! normalisation both sides of a comparison go through.
//!
//! The normalisation is deliberately small, so that a plan hides nothing a reader would call a
//! change: line endings become `\n`, trailing spaces and tabs are removed from every line, and
//! the text ends with exactly one newline (none when it is empty). Blank lines inside the
//! text, indentation and everything else are compared as written.

use std::sync::OnceLock;

use htmd::HtmlToMarkdown;
use htmd::options::{BulletListMarker, Options};

/// The converter `plan` and `export` share: ATX headings, `-` bullets followed by one space,
/// fenced code blocks, inline links.
fn converter() -> &'static HtmlToMarkdown {
    static C: OnceLock<HtmlToMarkdown> = OnceLock::new();
    C.get_or_init(|| {
        HtmlToMarkdown::builder()
            .options(Options {
                bullet_list_marker: BulletListMarker::Dash,
                ul_bullet_spacing: 1,
                ol_number_spacing: 1,
                ..Options::default()
            })
            .skip_tags(vec!["script", "style"])
            .build()
    })
}

/// Intercom's HTML `body` as Markdown, normalised. HTML the converter cannot read (it never
/// fails on strings in practice) is kept as it is, so it still shows in a diff.
pub fn html_to_markdown(html: &str) -> String {
    let markdown = converter()
        .convert(html)
        .unwrap_or_else(|_| html.to_string());
    normalize(&markdown)
}

/// The normalised form of a Markdown body (see the module documentation).
pub fn normalize(markdown: &str) -> String {
    let unified = markdown.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(unified.len() + 1);
    for line in unified.split('\n') {
        out.push_str(line.trim_end_matches([' ', '\t']));
        out.push('\n');
    }
    let kept = out.trim_end_matches('\n').len();
    out.truncate(kept);
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// An article's live body as compared: its `body_markdown` when Intercom keeps one, else its
/// HTML converted; both normalised.
pub fn live_markdown(body_markdown: Option<&str>, html: &str) -> String {
    match body_markdown {
        Some(md) => normalize(md),
        None => html_to_markdown(html),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising_touches_only_line_ends_trailing_blanks_and_the_final_newline() {
        assert_eq!(normalize("a  \r\nb\t\r\n\r\n\r\n"), "a\nb\n");
        assert_eq!(normalize("a\n\n\nb"), "a\n\n\nb\n");
        assert_eq!(normalize("  indented\n"), "  indented\n");
        assert_eq!(normalize("old\rmac"), "old\nmac\n");
        assert_eq!(normalize(""), "");
        assert_eq!(normalize("\n\n"), "");
        let once = normalize("x \n\ny\n\n");
        assert_eq!(normalize(&once), once);
    }

    #[test]
    fn editor_html_becomes_markdown() {
        let md = html_to_markdown(
            "<h2>Invite your team</h2><p>Go to <strong>Settings</strong> and choose <a href=\"https://example.com/invite\">Invite</a>.</p><ul><li>Teammates get an e-mail</li><li>Links expire after 7 days</li></ul>",
        );
        assert_eq!(
            md,
            "## Invite your team\n\nGo to **Settings** and choose [Invite](https://example.com/invite).\n\n- Teammates get an e-mail\n- Links expire after 7 days\n"
        );
        assert_eq!(
            html_to_markdown("<p>One <em>two</em></p><p>Three</p>"),
            "One *two*\n\nThree\n"
        );
    }

    #[test]
    fn converted_markdown_is_already_normal() {
        for html in [
            "<p>a</p>",
            "<h1>T</h1><ol><li>x</li><li>y</li></ol><pre><code>let a = 1;\n</code></pre>",
            "",
        ] {
            let md = html_to_markdown(html);
            assert_eq!(normalize(&md), md, "{html}");
        }
    }

    #[test]
    fn the_live_markdown_wins_over_the_html() {
        assert_eq!(live_markdown(Some("# A\r\n"), "<p>ignored</p>"), "# A\n");
        assert_eq!(live_markdown(None, "<p>B</p>"), "B\n");
    }
}
