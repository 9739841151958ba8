//! Help Center collections end to end against `sandbox serve` (seeded with `Getting started`,
//! `Billing` and `Billing/Invoices`, which hold articles): a new nested tree applied in one
//! run then planned empty, export as a folder tree that plans empty, and the prune refusal
//! for collections that hold articles.

mod support;

use std::path::Path;

use support::{Cli, Served, TOKEN, write_file};

/// The seeded collections, declared as folders.
fn seeded(dir: &Path) {
    write_file(
        dir,
        "cfg/help_center/Getting started/_collection.yaml",
        "{}\n",
    );
    write_file(
        dir,
        "cfg/help_center/Billing/Invoices/_collection.yaml",
        "{}\n",
    );
}

#[test]
fn a_new_nested_tree_applies_in_one_run_then_plans_empty() {
    let sb = Served::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    seeded(dir.path());
    write_file(dir.path(), "cfg/main.yaml", "version: 1\n");
    write_file(
        dir.path(),
        "cfg/help_center/Guides/_collection.yaml",
        "description: How-to guides\n",
    );
    write_file(
        dir.path(),
        "cfg/help_center/Guides/Setup/Mobile/_collection.yaml",
        "description: Phones and tablets\n",
    );
    write_file(
        dir.path(),
        "cfg/help_center/Billing/Refunds/_collection.yaml",
        "{}\n",
    );
    Cli::against(dir.path(), &sb.url, TOKEN)
        .args(["plan", "-c", "cfg"])
        .run()
        .code(0)
        .stdout_has("+ help_center_collection[\"Guides\"]")
        .stdout_has("\"Guides/Setup/Mobile\"")
        .stdout_has("+ help_center_collection[\"Billing/Refunds\"]");
    Cli::against(dir.path(), &sb.url, TOKEN)
        .args(["apply", "-c", "cfg", "--auto-approve"])
        .run()
        .code(0);
    Cli::against(dir.path(), &sb.url, TOKEN)
        .args(["plan", "-c", "cfg", "--detailed-exitcode"])
        .run()
        .code(0)
        .stdout_has("No changes.");
    // A changed description is an update of that field.
    write_file(
        dir.path(),
        "cfg/help_center/Guides/Setup/Mobile/_collection.yaml",
        "description: Phones\n",
    );
    Cli::against(dir.path(), &sb.url, TOKEN)
        .args(["plan", "-c", "cfg", "--detailed-exitcode"])
        .run()
        .code(2)
        .stdout_has("~ help_center_collection[\"Guides/Setup/Mobile\"]")
        .stdout_has("description = \"Phones and tablets\" -> \"Phones\"");
}

#[test]
fn export_writes_the_folder_tree_and_plans_empty() {
    let sb = Served::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    Cli::against(dir.path(), &sb.url, TOKEN)
        .args(["export", "--out", "intercom"])
        .run()
        .code(0);
    assert!(
        dir.path()
            .join("intercom/help_center/Billing/Invoices/_collection.yaml")
            .is_file()
    );
    Cli::against(dir.path(), &sb.url, TOKEN)
        .args(["plan", "-c", "intercom", "--detailed-exitcode"])
        .run()
        .code(0)
        .stdout_has("No changes.");
}

#[test]
fn pruning_a_collection_that_holds_articles_is_refused() {
    let sb = Served::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    write_file(
        dir.path(),
        "cfg/main.yaml",
        "version: 1\nprune: [help_center_collections]\n",
    );
    write_file(
        dir.path(),
        "cfg/help_center/Getting started/_collection.yaml",
        "{}\n",
    );
    Cli::against(dir.path(), &sb.url, TOKEN)
        .args(["plan", "-c", "cfg"])
        .run()
        .code(1)
        .stderr_has("cannot prune help_center_collection[\"Billing\"]: it holds")
        .stderr_has("that this plan keeps");
}
