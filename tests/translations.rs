//! Help Center translations end to end against `sandbox serve` (whose default help center
//! `sandbox-co` is multilingual: `en`, the default, `fr` and `de`; `sandbox-premium` is English
//! only): `slug.<locale>.md` and a collection's `translated_content` created with their
//! objects, shown per locale in the plan (text, JSON, Markdown), drift on a changed
//! translation, export that plans empty, an undeclared live locale left alone with a note, and
//! the located errors of validate and plan.

mod support;

use serde_json::{Value, json};
use support::{Project, Run, Served, find};

/// Help Center kinds only.
const ONLY: [&str; 4] = ["--only", "help_center_collections", "--only", "articles"];

fn plan(p: &Project, cfg: &str) -> Run {
    p.run(&[&["plan", "-c", cfg, "--detailed-exitcode"][..], &ONLY].concat())
}

fn apply(p: &Project) {
    p.run(&[&["apply", "-c", "cfg", "--auto-approve"][..], &ONLY].concat())
        .code(0);
}

/// A new collection `Guides` (with a French name) holding `Setup` in English and German, and
/// `Start here` in the seeded `Getting started`, with its French translation.
fn guides(p: &Project) {
    p.write("cfg/main.yaml", "version: 1\n");
    p.write("cfg/help_center/Guides/_collection.yaml",
        "description: How-to guides\ntranslated_content:\n  fr:\n    name: Guides pratiques\n    description: Comment faire\n",
    );
    p.write(
        "cfg/help_center/Guides/setup.md",
        "---\ntitle: Setup\n---\nInstall it.\n",
    );
    p.write(
        "cfg/help_center/Guides/setup.de.md",
        "---\ntitle: Einrichtung\n---\nInstallieren.\n",
    );
    p.write(
        "cfg/help_center/Getting started/start-here.md",
        "---\ntitle: Start here\nstate: published\n---\nWelcome.\n\nRead this first.\n",
    );
    p.write("cfg/help_center/Getting started/start-here.fr.md",
        "---\ntitle: Commencez ici\ndescription: Le début\nstate: published\n---\nBienvenue.\n\nLisez ceci d'abord.\n",
    );
}

/// The one article titled `title`.
fn article(sb: &Served, title: &str) -> Value {
    let list = sb.get("/articles?per_page=150");
    let found: Vec<&Value> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["title"] == title)
        .collect();
    assert_eq!(found.len(), 1, "{list}");
    found[0].clone()
}

/// Changes the one article titled `title` in Intercom (`PUT /articles/{id}` with `body`), as
/// an editor would.
fn edit_in_intercom(sb: &Served, title: &str, body: Value) {
    let id = article(sb, title)["id"].as_str().unwrap().to_string();
    sb.put(&format!("/articles/{id}"), body);
}

fn collection(sb: &Served, name: &str) -> Value {
    let list = sb.get("/help_center/collections?per_page=150");
    find(&list["data"], "name", name).clone()
}

#[test]
fn translations_are_created_with_their_objects_then_plan_empty_and_export_back() {
    let (sb, p) = Project::with_served(&[]);
    guides(&p);
    plan(&p, "cfg")
        .code(2)
        .stdout_has("+ translated_content.fr.name        = \"Guides pratiques\"")
        .stdout_has("+ translated_content.fr.title       = \"Commencez ici\"")
        .stdout_has("+ translated_content.fr.body")
        .stdout_has("+ Lisez ceci d'abord.");
    apply(&p);
    let a = article(&sb, "Start here");
    assert_eq!(a["default_locale"], "en");
    let fr = &a["translated_content"]["fr"];
    assert_eq!(fr["title"], "Commencez ici");
    assert_eq!(fr["description"], "Le début");
    assert_eq!(fr["state"], "published");
    assert_eq!(fr["body_markdown"], "Bienvenue.\n\nLisez ceci d'abord.\n");
    // Written by the article's author (the token's admin), as nothing else was said.
    assert_eq!(fr["author_id"], a["author_id"]);
    let c = collection(&sb, "Guides");
    assert_eq!(
        c["translated_content"]["fr"]["name"],
        json!("Guides pratiques")
    );
    // Created in the new collection's change: a new article's translations go with it.
    let setup = article(&sb, "Setup");
    assert_eq!(setup["translated_content"]["de"]["title"], "Einrichtung");
    assert_eq!(setup["translated_content"]["de"]["state"], "draft");
    plan(&p, "cfg").code(0).stdout_has("No changes.");

    p.export("exported");
    let fr_file = p.read("exported/help_center/Getting started/start-here.fr.md");
    assert_eq!(
        fr_file,
        "---\ntitle: Commencez ici\ndescription: Le début\nstate: published\nauthor: alice@example.com\n---\nBienvenue.\n\nLisez ceci d'abord.\n"
    );
    let meta = p.read("exported/help_center/Guides/_collection.yaml");
    assert!(
        meta.contains("translated_content:\n  fr:\n    name: Guides pratiques\n    description: Comment faire\n"),
        "{meta}"
    );
    plan(&p, "exported").code(0).stdout_has("No changes.");
}

#[test]
fn a_changed_translation_is_drift_and_a_per_locale_update() {
    let (sb, p) = Project::with_served(&[]);
    guides(&p);
    apply(&p);
    edit_in_intercom(
        &sb,
        "Start here",
        json!({"translated_content": {"fr": {
            "title": "Commencer", "body_markdown": "Bienvenue.\n\nLisez ceci.\n"}}}),
    );
    let drift = p.run(&["drift", "-c", "cfg"]);
    drift
        .code(2)
        .stdout_has("~ article[\"Getting started/Start here\"]")
        .stdout_has("~ translated_content.fr.title = \"Commencer\" -> \"Commencez ici\"")
        .stdout_has("~ translated_content.fr.body")
        .stdout_has("- Lisez ceci.")
        .stdout_has("+ Lisez ceci d'abord.");
    // The English content is not part of the change.
    assert!(!drift.stdout.contains("~ title"), "{}", drift.stdout);
    let json = p.run(&[
        "plan", "-c", "cfg", "--format", "json", "--only", "articles",
    ]);
    json.code(0);
    let names: Vec<String> = json.json()["changes"][0]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        names,
        ["translated_content.fr.title", "translated_content.fr.body"]
    );
    p.run(&[
        "plan", "-c", "cfg", "--format", "markdown", "--only", "articles",
    ])
    .code(0)
    .stdout_has("translated_content.fr.body")
    .stdout_has("\n+           Lisez ceci d'abord.\n");
    apply(&p);
    let fr = &article(&sb, "Start here")["translated_content"]["fr"];
    assert_eq!(fr["title"], "Commencez ici");
    assert_eq!(fr["body_markdown"], "Bienvenue.\n\nLisez ceci d'abord.\n");
    assert_eq!(fr["description"], "Le début");

    // A collection's changed name in a locale is an update of that locale.
    p.write("cfg/help_center/Guides/_collection.yaml",
        "description: How-to guides\ntranslated_content:\n  fr:\n    name: Guides\n    description: Comment faire\n",
    );
    plan(&p, "cfg")
        .code(2)
        .stdout_has("~ translated_content.fr.name = \"Guides pratiques\" -> \"Guides\"");
    apply(&p);
    let c = collection(&sb, "Guides");
    assert_eq!(c["translated_content"]["fr"]["name"], "Guides");
    assert_eq!(
        c["translated_content"]["fr"]["description"],
        "Comment faire"
    );
    plan(&p, "cfg").code(0);
}

#[test]
fn a_live_locale_not_declared_is_left_alone_with_a_note() {
    let (sb, p) = Project::with_served(&[]);
    guides(&p);
    apply(&p);
    edit_in_intercom(
        &sb,
        "Start here",
        json!({"translated_content": {"de": {"title": "Hier anfangen"}}}),
    );
    plan(&p, "cfg")
        .code(0)
        .stdout_has("No changes.")
        .stdout_has("its `de` translation is in Intercom but not declared: left as it is");
    p.run(&[
        "apply",
        "-c",
        "cfg",
        "--auto-approve",
        "--prune",
        "articles",
        "--only",
        "articles",
    ])
    .code(0);
    assert_eq!(
        article(&sb, "Start here")["translated_content"]["de"]["title"],
        "Hier anfangen"
    );
}

#[test]
fn validate_locates_unsupported_orphan_and_renamed_translations() {
    let p = Project::in_process();
    guides(&p);
    p.write(
        "cfg/help_center/Getting started/start-here.frr.md",
        "---\ntitle: X\n---\n",
    );
    p.write(
        "cfg/help_center/Guides/missing.de.md",
        "---\ntitle: Fehlt\n---\n",
    );
    p.write(
        "cfg/help_center/Getting started/start-here.pt-BR.md",
        "---\ntitle: Comece aqui\nrenamed_from: Old\n---\n",
    );
    p.write(
        "cfg/help_center/Guides/_collection.yaml",
        "translated_content:\n  fr:\n    name: Guides\n  de-de:\n    name: Anleitungen\n",
    );
    p.write(
        "cfg/help_center/Other/_collection.yaml",
        "translated_content:\n  fr:\n    name: Autre\n    nom: Autre\n",
    );
    let run = p.validate("cfg");
    run.code(1)
        .stderr_has("help_center/Getting started/start-here.frr.md:1:1: error: Intercom does not support the locale `frr`")
        .stderr_has("help: did you mean `fr`?")
        .stderr_has("help_center/Guides/missing.de.md:1:1: error: the translation has no default-locale file: `missing.md` is not in its folder")
        .stderr_has("help_center/Getting started/start-here.pt-BR.md:3:1: error: a translation cannot be renamed on its own")
        .stderr_has("help_center/Guides/_collection.yaml:4:3: error: Intercom does not support the locale `de-de`")
        .stderr_has("did you mean `de`?")
        .stderr_has("help_center/Other/_collection.yaml:4:5: error: unknown key `nom`\n  help: expected one of: name, description\n");
}

#[test]
fn the_same_article_and_locale_twice_is_an_error() {
    let p = Project::in_process();
    guides(&p);
    p.write(
        "cfg/help_center/Getting started/Start-Here.fr.md",
        "---\ntitle: Encore\n---\n",
    );
    // Sorted first (upper case), so the original is the one reported.
    p.validate("cfg")
        .code(1)
        .stderr_has("help_center/Getting started/start-here.fr.md:1:1: error: `start-here.fr` is translated twice: ")
        .stderr_has("Start-Here.fr.md:2:1 translates the same article into the same locale")
        .stderr_has("help: keep one file per article and locale");
}

#[test]
fn default_and_disabled_locales_are_plan_errors_and_nothing_is_written() {
    let (sb, p) = Project::with_served(&[]);
    guides(&p);
    p.write(
        "cfg/help_center/Getting started/start-here.en.md",
        "---\ntitle: Start here again\n---\n",
    );
    p.write(
        "cfg/help_center/Premium support/_collection.yaml",
        "help_center: sandbox-premium\ntranslated_content:\n  fr:\n    name: Support premium\n",
    );
    let run = plan(&p, "cfg");
    run.code(1)
        .stderr_has("help_center/Getting started/start-here.en.md:2:1: error: `en` is the help center's default locale: it needs no translation")
        .stderr_has("help: put this content in `start-here.md` and remove the translation")
        .stderr_has("help_center/Premium support/_collection.yaml:3:3: error: help center `sandbox-premium` is not available in `fr` (its locales: en)");
    p.run(&["apply", "-c", "cfg", "--auto-approve"]).code(1);
    assert_eq!(sb.writes(), 0);
}

#[test]
fn a_saved_plan_is_stale_when_a_translation_changed_since() {
    let (sb, p) = Project::with_served(&[]);
    guides(&p);
    apply(&p);
    p.write("cfg/help_center/Getting started/start-here.fr.md",
        "---\ntitle: Commencez ici\ndescription: Le tout début\nstate: published\n---\nBienvenue.\n\nLisez ceci d'abord.\n",
    );
    p.run(&[
        "plan",
        "-c",
        "cfg",
        "--out",
        "plan.json",
        "--only",
        "articles",
    ])
    .code(0)
    .stdout_has("~ translated_content.fr.description = \"Le début\" -> \"Le tout début\"");
    // Only the German translation changes in Intercom: the article's fingerprint moves.
    edit_in_intercom(
        &sb,
        "Start here",
        json!({"translated_content": {"de": {"title": "Hier anfangen"}}}),
    );
    let before = sb.writes();
    p.run(&["apply", "plan.json"])
        .code(1)
        .stderr_has("error: plan is stale: article[\"Getting started/Start here\"] changed since the plan was made");
    assert_eq!(sb.writes(), before);
}

/// The French URL of a translation, and an article's own URL.
fn url_in(a: &Value, locale: Option<&str>) -> String {
    let url = match locale {
        Some(l) => &a["translated_content"][l]["url"],
        None => &a["url"],
    };
    url.as_str()
        .unwrap_or_else(|| panic!("no url in {a}"))
        .to_string()
}

/// The French body of `Start here` that links to `setup` (its French URL) and `plans` (its
/// only URL), as sent.
fn french_start(setup: &Value, plans: &Value) -> String {
    format!(
        "Voir [l'installation]({}) et [les forfaits]({}#frais).\n",
        url_in(setup, Some("fr")),
        url_in(plans, None)
    )
}

#[test]
fn links_in_translations_are_sent_in_their_locale_follow_renames_and_export_back() {
    let (sb, p) = Project::with_served(&[]);
    p.export("cfg");
    // `Setup` has a French translation, `Change your plan` has none: from a French file,
    // `setup.md` means Setup's French URL, `change-your-plan.md` its only (English) one.
    p.write(
        "cfg/help_center/Guides/setup.md",
        "---\ntitle: Setup\n---\nInstall it.\n",
    );
    p.write(
        "cfg/help_center/Guides/setup.fr.md",
        "---\ntitle: Installation\n---\nInstallez-le.\n",
    );
    p.write(
        "cfg/help_center/Guides/start.md",
        "---\ntitle: Start here\n---\nIn French: [setup](setup.fr.md).\n",
    );
    p.write("cfg/help_center/Guides/start.fr.md",
        "---\ntitle: Commencez ici\n---\nVoir [l'installation](setup.md) et [les forfaits](../Billing/change-your-plan.md#frais).\n",
    );
    plan(&p, "cfg")
        .code(2)
        .stdout_has("+ translated_content.fr.link")
        .stdout_has("Guides/Setup (fr: Installation)");
    apply(&p);
    let setup = article(&sb, "Setup");
    let start = article(&sb, "Start here");
    let plans = article(&sb, "Change your plan");
    assert!(
        url_in(&setup, Some("fr")).contains("/fr/articles/"),
        "{setup}"
    );
    assert_eq!(
        start["translated_content"]["fr"]["body_markdown"],
        french_start(&setup, &plans)
    );
    assert_eq!(start["translated_content"]["fr"]["title"], "Commencez ici");
    assert_eq!(
        start["body_markdown"],
        format!("In French: [setup]({}).\n", url_in(&setup, Some("fr")))
    );
    plan(&p, "cfg").code(0).stdout_has("No changes.");

    // Renaming the target changes its URL: the French link follows in the same plan.
    let file = "cfg/help_center/Billing/change-your-plan.md";
    p.edit(
        file,
        "title: Change your plan\n",
        "title: Switch plans\nrenamed_from: Change your plan\n",
    );
    plan(&p, "cfg")
        .code(2)
        .stdout_has("± article[\"Billing/Switch plans\"]")
        .stdout_has("~ article[\"Guides/Start here\"]")
        .stdout_has(
            "~ translated_content.fr.link = \"Billing/Change your plan\" -> \"Billing/Switch plans\"",
        )
        .stdout_has("link to article[\"Billing/Switch plans\"] follows its new title");
    apply(&p);
    let plans = article(&sb, "Switch plans");
    assert!(url_in(&plans, None).ends_with("-switch-plans"), "{plans}");
    let start = article(&sb, "Start here");
    assert_eq!(
        start["translated_content"]["fr"]["body_markdown"],
        french_start(&setup, &plans)
    );
    plan(&p, "cfg").code(0).stdout_has("No changes.");

    // A new French title changes the French URL: links to it follow.
    p.write(
        "cfg/help_center/Guides/setup.fr.md",
        "---\ntitle: Mise en place\n---\nInstallez-le.\n",
    );
    plan(&p, "cfg").code(2).stdout_has(
        "~ translated_content.fr.link = \"Guides/Setup (fr: Installation)\" -> \"Guides/Setup (fr: Mise en place)\"",
    );
    apply(&p);
    let setup = article(&sb, "Setup");
    assert!(
        url_in(&setup, Some("fr")).ends_with("-mise-en-place"),
        "{setup}"
    );
    let start = article(&sb, "Start here");
    assert!(
        start["translated_content"]["fr"]["body_markdown"]
            .as_str()
            .unwrap()
            .contains(&format!("[l'installation]({})", url_in(&setup, Some("fr")))),
        "{start}"
    );
    assert_eq!(
        start["body_markdown"],
        format!("In French: [setup]({}).\n", url_in(&setup, Some("fr")))
    );
    plan(&p, "cfg").code(0).stdout_has("No changes.");

    // Export writes relative paths (`setup.fr.md` where the locale is not the file's own).
    p.export("exported");
    let read = |f: &str| p.read(&format!("exported/help_center/{f}"));
    let fr = read("Guides/start-here.fr.md");
    assert!(
        fr.ends_with(
            "Voir [l'installation](setup.md) et [les forfaits](../Billing/switch-plans.md#frais).\n"
        ),
        "{fr}"
    );
    assert!(
        read("Guides/start-here.md").ends_with("In French: [setup](setup.fr.md).\n"),
        "exported"
    );
    plan(&p, "exported").code(0).stdout_has("No changes.");

    // A retitled translation whose link waits: its title goes with the article's update, its
    // body (with the target's new URL) with the link operation.
    p.edit(
        file,
        "title: Switch plans\nrenamed_from: Change your plan\n",
        "title: Plans\nrenamed_from: Switch plans\n",
    );
    p.write("cfg/help_center/Guides/start.fr.md",
        "---\ntitle: Commencez par ici\n---\nVoir [l'installation](setup.md) et [les forfaits](../Billing/change-your-plan.md#frais).\n",
    );
    plan(&p, "cfg")
        .code(2)
        .stdout_has("~ translated_content.fr.title = \"Commencez ici\" -> \"Commencez par ici\"")
        .stdout_has(
            "~ translated_content.fr.link  = \"Billing/Switch plans\" -> \"Billing/Plans\"",
        );
    apply(&p);
    let plans = article(&sb, "Plans");
    let start = article(&sb, "Start here");
    assert_eq!(
        start["translated_content"]["fr"]["title"],
        "Commencez par ici"
    );
    assert_eq!(
        start["translated_content"]["fr"]["body_markdown"],
        french_start(&setup, &plans)
    );
    plan(&p, "cfg").code(0).stdout_has("No changes.");
}

#[test]
fn a_broken_link_in_a_translation_is_a_located_error() {
    let (sb, p) = Project::with_served(&[]);
    guides(&p);
    p.write("cfg/help_center/Getting started/start-here.fr.md",
        "---\ntitle: Commencez ici\n---\nBienvenue.\n\nVoir [l'installation](../Guides/setup.fr.md).\n",
    );
    p.validate("cfg")
        .code(1)
        .stderr_has("help_center/Getting started/start-here.fr.md:6:23: error: broken link: `../Guides/setup.fr.md` is not an article of the help center")
        .stderr_has("help: did you mean `../Guides/setup.md`?");
    p.run(&["apply", "-c", "cfg", "--auto-approve"])
        .code(1)
        .stderr_has("start-here.fr.md:6:23: error: broken link");
    assert_eq!(sb.writes(), 0);
}
