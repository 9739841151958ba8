//! Tests of `help_center`: reading the folder, front matter and its checks.

use super::*;

fn tree(files: &[(&str, &str)]) -> (tempfile::TempDir, HelpCenterTree, Vec<Diagnostic>) {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let (t, d) = read(dir.path(), None);
    (dir, t, d)
}

#[test]
fn folders_are_collections_and_markdown_files_articles() {
    let (_dir, t, d) = tree(&[
        (
            "Billing/_collection.yaml",
            "description: Plans and invoices\n",
        ),
        (
            "Billing/Invoices/download.md",
            "---\ntitle: Download an invoice\nstate: draft\nauthor: alice@example.com\n---\nEvery invoice.\n",
        ),
    ]);
    assert!(d.is_empty(), "{d:?}");
    let paths: Vec<_> = t.collections.iter().map(|c| c.path.join("/")).collect();
    assert_eq!(paths, ["Billing", "Billing/Invoices"]);
    assert_eq!(
        t.collections[0].meta.description.as_deref(),
        Some("Plans and invoices")
    );
    let a = &t.articles[0];
    assert_eq!(a.collection, ["Billing", "Invoices"]);
    assert_eq!(a.front.title, "Download an invoice");
    assert_eq!(a.front.state, Some(ArticleState::Draft));
    assert_eq!(a.body, "Every invoice.\n");
    assert_eq!(a.spot.pos, Position { line: 2, col: 1 });
}

#[test]
fn exported_front_matter_reads_back_whatever_the_title() {
    for title in [
        "123",
        "yes",
        "null",
        "~",
        "- x",
        "a: b",
        "#hash",
        " lead",
        "trail ",
        "\"q\"",
        "it's",
        "line\nbreak",
        "---",
        "@at",
        "[x]",
        "{y}",
        "Über uns",
        "",
    ] {
        let front = FrontMatter {
            title: title.to_string(),
            description: Some("0.5".into()),
            state: Some(ArticleState::Draft),
            author: Some("a@example.com".into()),
            renamed_from: None,
        };
        let text = front.to_markdown("Body\n");
        let (back, body, _) = read_article("x.md", &Ok(text.clone()), None)
            .unwrap_or_else(|d| panic!("{title:?}: {d:?}\n{text}"));
        assert_eq!(back, front, "{text}");
        assert_eq!(body, "Body\n");
    }
}

#[test]
fn front_matter_errors_point_into_the_file() {
    let (_dir, _t, d) = tree(&[(
        "Billing/a.md",
        "---\ntitle: A\nstate: live\ntitel: x\n---\nBody\n",
    )]);
    let text: Vec<String> = d
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{}",
                d.pos.unwrap().line,
                d.pos.unwrap().col,
                d.message
            )
        })
        .collect();
    assert_eq!(d.len(), 2, "{text:?}");
    assert!(
        text.iter()
            .any(|t| t.starts_with("4:1:unknown key `titel`")),
        "{text:?}"
    );
    assert!(text.iter().any(|t| t.starts_with("3:8:state")), "{text:?}");
    assert!(d[0].file.ends_with("Billing/a.md"));
}

#[test]
fn an_unknown_key_in_collection_yaml_is_located() {
    let (_dir, _t, d) = tree(&[("Billing/_collection.yaml", "description: x\nicon: book\n")]);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].pos, Some(Position { line: 2, col: 1 }));
    assert_eq!(d[0].message, "unknown key `icon`");
}

#[test]
fn duplicate_titles_and_local_images_are_errors() {
    let (_dir, _t, d) = tree(&[
        (
            "Billing/a.md",
            "---\ntitle: Refunds\n---\nSee ![chart](img/chart.png).\n",
        ),
        (
            "Billing/b.md",
            "---\ntitle: refunds\n---\n![ok](https://example.com/x.png)\n",
        ),
        ("Other/c.md", "---\ntitle: Refunds\n---\n"),
        ("Other/d.md", "---\ntitle: \" \"\n---\n"),
    ]);
    let text: Vec<String> = d
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{}",
                d.pos.unwrap().line,
                d.pos.unwrap().col,
                d.message
            )
        })
        .collect();
    assert_eq!(d.len(), 3, "{text:?}");
    assert!(
        text.iter()
            .any(|t| t.starts_with("2:1:the article's title is empty")),
        "{text:?}"
    );
    assert!(
        text.iter().any(|t| t.starts_with("4:5:a local image")),
        "{text:?}"
    );
    assert!(
        text.iter()
            .any(|t| t.starts_with("2:1:the title `refunds` is already used")),
        "{text:?}"
    );
}

#[test]
fn missing_front_matter_is_an_error_and_top_level_articles_stand_alone() {
    let (_dir, t, d) = tree(&[
        ("Billing/a.md", "# No front matter\n"),
        ("top.md", "---\ntitle: T\n---\n"),
    ]);
    let messages: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(messages, ["the article has no front matter"]);
    assert_eq!(t.articles.len(), 1);
    assert!(t.articles[0].collection.is_empty());
}

#[test]
fn the_loader_skips_the_folder_and_reports_its_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tags.yaml"), "tags:\n  - name: VIP\n").unwrap();
    let billing = dir.path().join("help_center/Billing");
    std::fs::create_dir_all(&billing).unwrap();
    // As configuration, `description` would be an unknown section.
    std::fs::write(billing.join("_collection.yaml"), "description: Plans\n").unwrap();
    std::fs::write(billing.join("a.md"), "---\ntitle: A\n---\nBody\n").unwrap();
    let loaded = crate::config::load(dir.path()).unwrap();
    assert_eq!(loaded.desired.files.len(), 1);
    assert_eq!(loaded.desired.help_center.articles.len(), 1);
    assert_eq!(loaded.desired.help_center.collections.len(), 1);

    std::fs::write(billing.join("b.md"), "---\ntitle: B\nstate: gone\n---\n").unwrap();
    let errors = crate::config::load(dir.path()).unwrap_err().diagnostics;
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].file.ends_with("Billing/b.md"));
    assert_eq!(errors[0].pos, Some(Position { line: 3, col: 8 }));
}
