//! End to end: `plan`, `apply` and `show` run as the real binary against the sandbox, checking
//! stdout, stderr and exit codes, what the sandbox holds afterwards, and that the write calls it
//! sees are exactly the plan's operations.

mod support;

use serde_json::Value;
use support::{Project, Run, Served, names, plan_ops};

const NO_CHANGES: &str = "No changes. The workspace matches the configuration.\n";

/// Every kind, against the default seed: creates, updates, renames, archives (by prune and by
/// `archived: true`), a delete, objects that already match (tag VIP, segment Active trials) and
/// one left alone because it is not declared (team Onboarding).
const ALL_KINDS: &str = r#"
version: 1
workspace:
  app_id: sbx4c0de
prune: [tags, company_attributes, conversation_attributes]
data_attributes:
  contact:
    - name: plan_tier
      type: list
      options: [free, pro, enterprise, team]
      description: Plan tier from billing
    - name: seats
      type: integer
      archived: true
    - name: nps
      type: integer
      description: Latest NPS answer
      messenger_writable: true
  company:
    - name: arr
      type: float
      description: Annual recurring revenue
conversation_attributes:
  - name: Reason
    renamed_from: Contact reason
    type: list
    options: [Billing, Bug, Feature request]
  - name: Priority
    type: list
    options: [Low, High]
    description: How urgent
    visible_to_teams: [Support]
tags:
  - name: VIP
  - name: Beta testers
    renamed_from: Beta tester
  - name: New tag
teams:
  - name: Support
    members: [alice@example.com, bob@example.com, carol@example.com, dave@example.com]
    secondary: [carol@example.com, dave@example.com]
  - name: Sales
    members: [dave@example.com, erin@example.com, frank@example.com]
segments:
  - name: Active trials
audiences:
  - name: Enterprise
    renamed_from: Enterprise accounts
    predicates:
      - {attribute: custom_attributes.plan_tier, type: string, comparison: eq, value: enterprise}
  - name: Trial users
    predicates:
      - {attribute: custom_attributes.plan_tier, type: string, comparison: eq, value: free}
    role_predicates:
      - {attribute: role, type: role, comparison: eq, value: user}
office_hours:
  - name: Support Hours
    renamed_from: Standard Support Hours
    time_zone: America/New_York
    hours:
      mon-fri: ["09:00-18:00"]
    exceptions:
      - {date: 2026-12-25, closed: true, name: Christmas, recurring: true}
      - {date: 2026-12-24, hours: ["09:00-13:00"], name: Christmas Eve}
  - name: EU hours
    time_zone: Europe/Dublin
    hours:
      mon-fri: ["08:00-16:00"]
    exceptions:
      - {date: 2026-01-01, closed: true, name: New Year}
"#;

/// After [`ALL_KINDS`]: prunes what it created (tag, audience, schedule, contact attribute),
/// archives a conversation attribute with `archived: true`, drops an exception, updates a
/// company attribute and a team's secondary members; everything else is unchanged.
const ALL_KINDS_SECOND: &str = r#"
version: 1
workspace:
  app_id: sbx4c0de
prune: [tags, audiences, office_hours, contact_attributes, company_attributes, conversation_attributes]
data_attributes:
  contact:
    - name: plan_tier
      type: list
      options: [free, pro, enterprise, team]
      description: Plan tier from billing
    - name: seats
      type: integer
      archived: true
  company:
    - name: arr
      type: float
      description: ARR in US dollars
conversation_attributes:
  - name: Reason
    type: list
    options: [Billing, Bug, Feature request]
    description: Why they wrote
    required: true
    visible_to_teams: [Support, Sales]
  - name: Priority
    type: list
    options: [Low, High]
    archived: true
tags:
  - name: VIP
  - name: Beta testers
teams:
  - name: Support
    members: [alice@example.com, bob@example.com, carol@example.com, dave@example.com]
    secondary: [dave@example.com]
segments:
  - name: Active trials
audiences:
  - name: Enterprise
    predicates:
      - {attribute: custom_attributes.plan_tier, type: string, comparison: eq, value: enterprise}
      - {attribute: custom_attributes.seats, type: integer, comparison: gt, value: "10"}
office_hours:
  - name: Support Hours
    time_zone: America/New_York
    hours:
      mon-fri: ["09:00-18:00"]
    exceptions:
      - {date: 2026-12-25, closed: true, name: Christmas, recurring: true}
"#;

/// `plan --detailed-exitcode` finds nothing to do.
#[track_caller]
fn assert_converged(p: &Project) {
    let r = p.run(&["plan", "--detailed-exitcode"]);
    r.code(0);
    assert_eq!(r.stdout, NO_CHANGES, "{}", r.stderr);
    assert_eq!(r.stderr, "");
}

/// The in-process sandbox's state is still `before`: nothing was written.
#[track_caller]
fn assert_unchanged(p: &Project, before: &Value) {
    assert!(p.state() == *before, "the sandbox state changed");
}

/// The plan in JSON (`plan --format json`).
#[track_caller]
fn plan_json(p: &Project, extra: &[&str]) -> Value {
    let mut args = vec!["plan", "--format", "json"];
    args.extend_from_slice(extra);
    let r = p.run(&args);
    r.code(0);
    r.json()
}

/// Custom data attributes in a sandbox state: `(model, name, archived)`, sorted.
fn custom_attributes(state: &Value) -> Vec<(String, String, bool)> {
    let mut v: Vec<_> = state["data_attributes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["custom"] == true)
        .map(|a| {
            (
                a["model"].as_str().unwrap().to_string(),
                a["name"].as_str().unwrap().to_string(),
                a["archived"].as_bool().unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

/// Active (`false`) and archived (`true`) conversation attribute names.
fn conversation_attributes(state: &Value) -> Vec<(String, bool)> {
    let mut v: Vec<_> = state["conversation_attributes"]
        .as_object()
        .unwrap()
        .values()
        .map(|a| {
            (
                a["name"].as_str().unwrap().to_string(),
                a["archived"].as_bool().unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

/// A team's member and secondary e-mails.
fn team(state: &Value, name: &str) -> (Vec<String>, Vec<String>) {
    let email = |id: &Value| {
        state["admins"][id.to_string()]["email"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let t = state["teams"]
        .as_object()
        .unwrap()
        .values()
        .find(|t| t["name"] == name)
        .unwrap();
    let list = |k: &str| {
        let mut v: Vec<String> = t[k].as_array().unwrap().iter().map(email).collect();
        v.sort();
        v
    };
    (list("admin_ids"), list("secondary_admin_ids"))
}

/// Office-hours exceptions per schedule name: `(schedule, date, name)`, sorted.
fn exceptions(state: &Value) -> Vec<(String, String, String)> {
    let mut v: Vec<_> = state["exceptions"]
        .as_object()
        .unwrap()
        .values()
        .map(|e| {
            let schedule = &state["schedules"][e["schedule_id"].to_string()]["name"];
            (
                schedule.as_str().unwrap_or("?").to_string(),
                e["exception_date"].as_str().unwrap().to_string(),
                e["name"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn every_kind_is_created_updated_renamed_archived_deleted_and_converges() {
    let p = Project::in_process();
    p.config(ALL_KINDS);

    let plan = p.run(&["plan", "--detailed-exitcode"]);
    plan.code(2);
    assert_eq!(plan.stderr, "");
    for line in [
        "  + contact_attribute[\"nps\"]\n",
        "  ~ contact_attribute[\"plan_tier\"]\n",
        "  - contact_attribute[\"seats\"]  # will be archived\n",
        "  - company_attribute[\"churn_score\"]  # will be archived\n",
        "  ± conversation_attribute[\"Reason\"]  # renamed from \"Contact reason\"\n",
        "  - conversation_attribute[\"Escalated\"]  # will be archived\n",
        "  ± tag[\"Beta testers\"]  # renamed from \"Beta tester\"\n",
        "  - tag[\"Churn risk\"]\n",
        "  ~ team[\"Support\"]\n",
        "  ± audience[\"Enterprise\"]  # renamed from \"Enterprise accounts\"\n",
        "  ± office_hours[\"Support Hours\"]  # renamed from \"Standard Support Hours\"\n",
        "Plan: 6 to create, 3 to update, 4 to rename, 3 to archive, 1 to delete; 0 manual steps.\n",
    ] {
        plan.stdout_has(line);
    }
    // Objects that already match are not in the plan.
    for quiet in ["tag[\"VIP\"]", "segment[", "team[\"Onboarding\"]"] {
        assert!(!plan.stdout.contains(quiet), "{quiet}:\n{}", plan.stdout);
    }

    let apply = p.run(&["apply", "--auto-approve"]);
    apply.code(0);
    assert!(
        apply.stdout.starts_with(&plan.stdout),
        "apply shows the plan it applies:\n{}",
        apply.stdout
    );
    apply.stderr_has("Apply finished: 17 applied, 0 failed, 0 skipped.\n");
    assert!(!apply.stderr.contains("manual step"), "{}", apply.stderr);
    assert_converged(&p);

    let s = p.state();
    assert_eq!(names(&s, "tags"), ["Beta testers", "New tag", "VIP"]);
    assert_eq!(names(&s, "audiences"), ["Enterprise", "Trial users"]);
    assert_eq!(names(&s, "schedules"), ["EU hours", "Support Hours"]);
    assert_eq!(
        custom_attributes(&s),
        [
            ("company".into(), "arr".into(), false),
            ("company".into(), "churn_score".into(), true),
            ("contact".into(), "nps".into(), false),
            ("contact".into(), "plan_tier".into(), false),
            ("contact".into(), "seats".into(), true),
        ]
    );
    assert_eq!(
        conversation_attributes(&s),
        [
            ("Escalated".into(), true),
            ("Priority".into(), false),
            ("Reason".into(), false),
        ]
    );
    let support = team(&s, "Support");
    assert_eq!(
        support.0,
        strings(&[
            "alice@example.com",
            "bob@example.com",
            "carol@example.com",
            "dave@example.com"
        ])
    );
    assert_eq!(
        support.1,
        strings(&["carol@example.com", "dave@example.com"])
    );
    assert_eq!(
        exceptions(&s),
        [
            ("EU hours".into(), "2026-01-01".into(), "New Year".into()),
            (
                "Support Hours".into(),
                "2026-12-24".into(),
                "Christmas Eve".into()
            ),
            (
                "Support Hours".into(),
                "2026-12-25".into(),
                "Christmas".into()
            ),
        ]
    );

    // Second round: remove what the first one created, archive with `archived: true`.
    p.config(ALL_KINDS_SECOND);
    let plan = p.run(&["plan", "--detailed-exitcode"]);
    plan.code(2);
    for line in [
        "  - contact_attribute[\"nps\"]  # will be archived\n",
        "  ~ company_attribute[\"arr\"]\n      ~ description = \"Annual recurring revenue\" -> \"ARR in US dollars\"\n",
        "  - conversation_attribute[\"Priority\"]  # will be archived\n",
        "  - tag[\"New tag\"]\n",
        "  ~ team[\"Support\"]\n      ~ secondary\n          - \"carol@example.com\"\n",
        "  - audience[\"Trial users\"]\n",
        "  - office_hours[\"EU hours\"]\n",
        "  ~ office_hours[\"Support Hours\"]\n      - exception 2026-12-24 = {\"hours\": [\"09:00-13:00\"], \"name\": \"Christmas Eve\", \"recurring\": false}\n",
        "  ~ audience[\"Enterprise\"]\n      ~ predicates = ",
        "Plan: 0 to create, 5 to update, 0 to rename, 2 to archive, 3 to delete; 0 manual steps.\n",
    ] {
        plan.stdout_has(line);
    }
    p.run(&["apply", "--auto-approve"])
        .code(0)
        .stderr_has("Apply finished: 10 applied, 0 failed, 0 skipped.\n");
    assert_converged(&p);

    let s = p.state();
    assert_eq!(names(&s, "tags"), ["Beta testers", "VIP"]);
    assert_eq!(names(&s, "audiences"), ["Enterprise"]);
    let enterprise = s["audiences"].as_object().unwrap().values().next().unwrap();
    assert_eq!(
        enterprise["predicates"][1]["attribute"],
        "custom_attributes.seats"
    );
    assert_eq!(enterprise["role_predicates"].as_array().unwrap().len(), 1);
    assert_eq!(names(&s, "schedules"), ["Support Hours"]);
    assert!(custom_attributes(&s).contains(&("contact".into(), "nps".into(), true)));
    assert!(conversation_attributes(&s).contains(&("Priority".into(), true)));
    assert_eq!(team(&s, "Support").1, strings(&["dave@example.com"]));
    assert_eq!(
        exceptions(&s),
        [(
            "Support Hours".into(),
            "2026-12-25".into(),
            "Christmas".into()
        )]
    );
}

#[test]
fn detailed_exitcode_is_2_with_changes_0_without_and_usage_errors_exit_1() {
    let p = Project::in_process();
    p.config("tags: [{name: VIP}, {name: Fresh}]\n");
    // Without the flag a plan with changes still succeeds with 0.
    p.run(&["plan"]).code(0).stdout_has("  + tag[\"Fresh\"]\n");
    let r = p.run(&["plan", "--detailed-exitcode"]);
    r.code(2);
    assert_eq!(r.stderr, "");
    p.run(&["apply", "--auto-approve"]).code(0);
    assert_converged(&p);

    for args in [
        &["plan", "--no-such-flag"][..],
        &["plan", "--format", "yaml"],
        &["apply", "--concurrency", "0"],
        &["frobnicate"],
    ] {
        let r = p.run(args);
        r.code(1);
        assert_eq!(r.stdout, "", "{args:?}");
        assert!(r.stderr.starts_with("error: "), "{args:?}: {}", r.stderr);
    }
    p.run(&["apply", "--auto-approve", "--max-delete", "lots"])
        .code(1)
        .stderr_has("error: --max-delete: `lots` is not a count or a percentage");
    p.run(&["plan", "--detailed-exitcode", "--only", "widgets"])
        .code(1)
        .stderr_has("widgets");

    for args in [&["--help"][..], &["plan", "--help"], &["--version"]] {
        let r = p.run_bare(args);
        r.code(0);
        assert!(r.stdout.contains("intercom-iac"), "{args:?}: {}", r.stdout);
    }

    // A broken configuration is an error (1), never "changes" (2).
    p.config("tags: [{name: VIP, colour: red}]\n");
    let r = p.run(&["plan", "--detailed-exitcode"]);
    r.code(1).stderr_has("the configuration is invalid");
    assert_eq!(r.stdout, "");
}

#[test]
fn a_saved_plan_is_applied_exactly_and_show_renders_it() {
    let server = Served::start(&[]);
    let p = Project::served(&server);
    p.config("tags: [{name: VIP}, {name: Saved one}, {name: Saved two}]\n");
    let plan = p.run(&["plan", "--out", "plan.json"]);
    plan.code(0).stderr_has(
        "Saved the plan to plan.json; apply exactly it with: intercom-iac apply plan.json\n",
    );
    let saved: Value = serde_json::from_str(&p.read("plan.json")).unwrap();
    assert_eq!(saved["target"]["app_id"], "sbx4c0de");
    assert_eq!(plan_ops(&saved), 2);

    let show = p.run_bare(&["show", "plan.json"]);
    show.code(0);
    assert_eq!(show.stdout, plan.stdout);
    assert_eq!(show.stderr, "");

    // The configuration moves on; the saved plan still applies only what was reviewed.
    p.config("tags: [{name: VIP}, {name: Saved one}, {name: Saved two}, {name: Later}]\n");
    let before = server.writes();
    let apply = p.run(&["apply", "plan.json"]);
    apply
        .code(0)
        .stderr_has("  + tag[\"Saved one\"]: done\n")
        .stderr_has("  + tag[\"Saved two\"]: done\n")
        .stderr_has("Apply finished: 2 applied, 0 failed, 0 skipped.\n");
    assert!(!apply.stderr.contains("Later"), "{}", apply.stderr);
    assert_eq!(server.writes() - before, 2);
    let r = p.run(&["plan", "--detailed-exitcode"]);
    r.code(2);
    assert!(
        r.stdout
            .starts_with("  + tag[\"Later\"]\n\nPlan: 1 to create"),
        "{}",
        r.stdout
    );

    // Applied once, the saved plan is stale: its creates now exist.
    let before = server.writes();
    p.run(&["apply", "plan.json"]).code(1).stderr_has(
        "error: plan is stale: tag[\"Saved one\"], tag[\"Saved two\"] changed since the plan was made; run plan again\n",
    );
    assert_eq!(server.writes(), before);
}

#[test]
fn a_saved_plan_is_stale_after_another_apply_and_nothing_is_written() {
    let p = Project::in_process();
    p.config("tags: [{name: VIP}, {name: Beta testers, renamed_from: Beta tester}]\n");
    p.run(&["plan", "--out", "plan.json"]).code(0);
    // Someone else renames the same tag first.
    p.write(
        "other.yaml",
        "tags: [{name: Beta crew, renamed_from: Beta tester}]\n",
    );
    p.run(&["apply", "--auto-approve", "-c", "other.yaml"])
        .code(0);
    let before = p.state();
    let r = p.run(&["apply", "plan.json"]);
    r.code(1);
    assert_eq!(
        r.stderr,
        "error: plan is stale: tag[\"Beta testers\"] changed since the plan was made; run plan again\n  help: nothing was written; a saved plan is applied only to the workspace it was made against\n"
    );
    assert_eq!(r.stdout, "");
    assert_unchanged(&p, &before);
    assert_eq!(
        names(&p.state(), "tags"),
        ["Beta crew", "Churn risk", "VIP"]
    );
}

#[test]
fn a_saved_plan_is_stale_after_a_change_through_the_api() {
    let server = Served::start(&[]);
    let p = Project::served(&server);
    p.config(
        r#"
audiences:
  - name: Enterprise accounts
    predicates:
      - {attribute: custom_attributes.plan_tier, type: string, comparison: eq, value: pro}
"#,
    );
    let plan = p.run(&["plan", "--out", "plan.json"]);
    plan.code(0)
        .stdout_has("  ~ audience[\"Enterprise accounts\"]\n");
    let saved: Value = serde_json::from_str(&p.read("plan.json")).unwrap();
    let id = saved["changes"][0]["id"].as_str().unwrap().to_string();
    let (status, _) = server.api(
        "PUT",
        &format!("/audiences/{id}"),
        Some(serde_json::json!({"role_predicates": []})),
    );
    assert_eq!(status, 200);
    let before = server.writes();
    let r = p.run(&["apply", "plan.json"]);
    r.code(1).stderr_has(
        "error: plan is stale: audience[\"Enterprise accounts\"] changed since the plan was made; run plan again\n",
    );
    assert_eq!(server.writes(), before);
}

#[test]
fn a_saved_plan_for_another_workspace_is_refused() {
    let server = Served::start(&[]);
    let p = Project::served(&server);
    p.config("tags: [{name: Elsewhere}]\n");
    p.run(&["plan", "--out", "plan.json"]).code(0);
    let mut saved: Value = serde_json::from_str(&p.read("plan.json")).unwrap();
    saved["target"]["app_id"] = "0ther1d".into();
    p.write("plan.json", &serde_json::to_string_pretty(&saved).unwrap());
    let r = p.run(&["apply", "plan.json"]);
    r.code(1)
        .stderr_has("error: the access token belongs to workspace `sbx4c0de` (Sandbox Co)")
        .stderr_has("workspace `0ther1d`");
    assert_eq!(r.stdout, "");
    assert_eq!(server.writes(), 0);
}

#[test]
fn expect_digest_refuses_a_different_plan_and_accepts_the_reviewed_one() {
    let server = Served::start(&[]);
    let p = Project::served(&server);
    p.config("tags: [{name: VIP}, {name: Reviewed}]\nprune: [tags]\n");
    let plan = plan_json(&p, &[]);
    let digest = plan["digest"].as_str().unwrap().to_string();
    assert_eq!(digest.len(), 12);
    p.run(&["plan"])
        .code(0)
        .stdout_has(&format!("\nDigest: {digest}\n"));

    let r = p.run(&["apply", "--auto-approve", "--expect-digest", "0123456789ab"]);
    r.code(1).stderr_has(&format!(
        "error: the plan's digest is {digest}, not the reviewed 0123456789ab"
    ));
    assert_eq!(server.writes(), 0);

    p.run(&["apply", "--auto-approve", "--expect-digest", &digest])
        .code(0)
        .stderr_has("Apply finished: 3 applied, 0 failed, 0 skipped.\n");
    assert_eq!(server.writes(), plan_ops(&plan));
    assert_eq!(plan_ops(&plan), 3);
}

#[test]
fn apply_refuses_without_auto_approve_when_stdin_is_not_a_terminal() {
    let server = Served::start(&[]);
    let p = Project::served(&server);
    p.config("tags: [{name: Unconfirmed}]\n");
    let r = p.run(&["apply"]);
    r.code(1)
        .stdout_has("  + tag[\"Unconfirmed\"]\n")
        .stderr_has("error: refusing to apply without confirmation: stdin is not a terminal; nothing was written\n  help: review the plan, then pass --auto-approve\n");
    assert_eq!(server.writes(), 0);
}

/// A workspace with eight tags (the seed's three and five more).
fn eight_tags() -> Project {
    let p = Project::in_process();
    p.config("tags: [{name: t1}, {name: t2}, {name: t3}, {name: t4}, {name: t5}]\n");
    p.run(&["apply", "--auto-approve"]).code(0);
    assert_eq!(names(&p.state(), "tags").len(), 8);
    // Keep five of eight: three deletes are 38 %.
    p.config(
        "prune: [tags]\ntags: [{name: VIP}, {name: t1}, {name: t2}, {name: t3}, {name: t4}]\n",
    );
    p
}

#[test]
fn pruning_more_than_a_quarter_of_a_kind_is_refused_unless_allowed() {
    let p = eight_tags();
    let before = p.state();
    let r = p.run(&["apply", "--auto-approve"]);
    r.code(1).stdout_has(
        "Plan: 0 to create, 0 to update, 0 to rename, 0 to archive, 3 to delete; 0 manual steps.\n",
    );
    assert!(
        r.stderr.starts_with("error: refusing to remove 3 of 8 tags (38%): the default limit is 25% of a kind with at least 8 objects\n  help: check the plan; if it is intended, pass --max-delete 3 (or --max-delete 38%) or --force\n"),
        "{}",
        r.stderr
    );
    p.run(&["apply", "--auto-approve", "--max-delete", "2"])
        .code(1)
        .stderr_has("error: refusing to remove 3 of 8 tags (38%): the limit is --max-delete 2\n");
    p.run(&["apply", "--auto-approve", "--max-delete", "30%"])
        .code(1)
        .stderr_has("the limit is --max-delete 30%\n");
    assert_unchanged(&p, &before);

    p.run(&["apply", "--auto-approve", "--max-delete", "3"])
        .code(0)
        .stderr_has("Apply finished: 3 applied, 0 failed, 0 skipped.\n");
    assert_eq!(names(&p.state(), "tags"), ["VIP", "t1", "t2", "t3", "t4"]);
    assert_converged(&p);

    let p = eight_tags();
    p.run(&["apply", "--auto-approve", "--max-delete", "38%"])
        .code(0)
        .stderr_has("Apply finished: 3 applied");
    let p = eight_tags();
    p.run(&["apply", "--auto-approve", "--force"])
        .code(0)
        .stderr_has("Apply finished: 3 applied");
    assert_converged(&p);

    // Fewer than eight objects: removing most of a kind is allowed.
    let p = Project::in_process();
    p.config("prune: [tags]\ntags: [{name: VIP}]\n");
    p.run(&["apply", "--auto-approve"])
        .code(0)
        .stderr_has("Apply finished: 2 applied, 0 failed");
}

#[test]
fn a_saved_plan_that_prunes_too_much_is_refused_too() {
    let p = eight_tags();
    p.run(&["plan", "--out", "plan.json"]).code(0);
    let before = p.state();
    p.run(&["apply", "plan.json"])
        .code(1)
        .stderr_has("error: refusing to remove 3 of 8 tags (38%)");
    assert_unchanged(&p, &before);
    p.run(&["apply", "plan.json", "--force"])
        .code(0)
        .stderr_has("Apply finished: 3 applied, 0 failed, 0 skipped.\n");
}

#[test]
fn a_team_losing_more_than_half_its_members_is_refused() {
    let p = Project::in_process();
    p.config("teams: [{name: Support, members: [alice@example.com]}]\n");
    p.run(&["plan"]).code(0);
    let before = p.state();
    let r = p.run(&["apply", "--auto-approve", "--max-delete", "100%"]);
    r.code(1).stderr_has(
        "error: refusing to remove 2 of 3 members from team[\"Support\"]: a team may lose at most half of its members in one run\n  help: check the plan; if it is intended, pass --force\n",
    );
    assert_unchanged(&p, &before);
    p.run(&["apply", "--auto-approve", "--force"])
        .code(0)
        .stderr_has("Apply finished: 1 applied");
    assert_eq!(
        team(&p.state(), "Support").0,
        strings(&["alice@example.com"])
    );
    assert_converged(&p);
}

/// Only things the API cannot do: a missing team, a missing segment, a type change and
/// secondary members on a round-robin team.
const MANUAL_ONLY: &str = r#"
data_attributes:
  contact:
    - {name: seats, type: string}
teams:
  - name: Tier 2
    members: [alice@example.com]
  - name: Sales
    members: [dave@example.com, erin@example.com]
    secondary: [erin@example.com]
segments:
  - name: Big spenders
"#;

#[test]
fn manual_steps_are_planned_and_never_attempted() {
    let server = Served::start(&[]);
    let p = Project::served(&server);
    p.config(MANUAL_ONLY);
    let json = plan_json(&p, &[]);
    let plan = p.run(&["plan", "--detailed-exitcode"]);
    plan.code(2);
    assert_eq!(
        plan.stdout,
        format!(
            "Manual steps (the Intercom API cannot do these; apply never attempts them):
  ! contact_attribute[\"seats\"]: change the type from `integer` to `string`
      the API cannot change an attribute's type: change it in Intercom (Settings → Data), or create a new attribute
  ! team[\"Sales\"]: secondary members need a load-balanced team
      `Sales` does not use load-balanced assignment: switch it in Intercom (Settings → Teammates → Teams), or remove `secondary`
  ! team[\"Tier 2\"]: create the team `Tier 2`
      teams cannot be created through the API: create it in Intercom (Settings → Teammates → Teams)
  ! segment[\"Big spenders\"]: create the segment `Big spenders`
      segments are read-only in the API: create it in Intercom (Contacts → Segments)

Plan: 0 to create, 0 to update, 0 to rename, 0 to archive, 0 to delete; 4 manual steps.
Digest: {}\n",
            json["digest"].as_str().unwrap()
        )
    );
    assert_eq!(json["changes"], serde_json::json!([]));
    assert_eq!(json["manual_steps"].as_array().unwrap().len(), 4);

    let apply = p.run(&["apply", "--auto-approve"]);
    apply.code(0);
    assert_eq!(apply.stderr, "4 manual step(s) pending.\n");
    assert_eq!(server.writes(), 0);

    // Mixed with a real change: only the change is written, the steps stay pending.
    p.config(&format!("{MANUAL_ONLY}tags: [{{name: Manual mix}}]\n"));
    let apply = p.run(&["apply", "--auto-approve"]);
    apply.code(0).stderr_has("  + tag[\"Manual mix\"]: done\n");
    assert!(
        apply.stderr.ends_with(
            "Apply finished: 1 applied, 0 failed, 0 skipped.\n4 manual step(s) pending.\n"
        ),
        "{}",
        apply.stderr
    );
    assert_eq!(server.writes(), 1);

    // What is left is manual only: nothing more is written, and a saved plan agrees.
    p.run(&["plan", "--out", "plan.json"]).code(0);
    let r = p.run(&["apply", "plan.json"]);
    r.code(0);
    assert_eq!(r.stderr, "4 manual step(s) pending.\n");
    assert_eq!(server.writes(), 1);
}

#[test]
fn the_sandbox_sees_exactly_the_planned_write_calls() {
    let server = Served::start(&[]);
    let p = Project::served(&server);
    for config in [ALL_KINDS, ALL_KINDS_SECOND] {
        p.config(config);
        let plan = plan_json(&p, &[]);
        let ops = plan_ops(&plan);
        assert!(ops > 5, "a plan with writes: {plan}");
        let before = server.writes();
        p.run(&["apply", "--auto-approve"]).code(0);
        assert_eq!(
            server.writes() - before,
            ops,
            "write calls vs plan operations; stats: {}",
            server.stats()
        );
        // Applying the now empty plan writes nothing.
        let before = server.writes();
        let r = p.run(&["apply", "--auto-approve"]);
        r.code(0);
        assert_eq!(r.stdout, NO_CHANGES);
        assert_eq!(r.stderr, "");
        assert_eq!(server.writes(), before);
    }
}

#[test]
fn a_failed_change_is_reported_with_its_error_and_the_others_are_applied() {
    let p = Project::in_process();
    // VIP is used by the segment "VIP customers": Intercom refuses to delete it.
    p.config("prune: [tags]\ntags: [{name: Kept}]\n");
    let r = p.run(&["apply", "--auto-approve"]);
    r.code(1)
        .stderr_has("  - tag[\"Beta tester\"]: done\n")
        .stderr_has("  - tag[\"Churn risk\"]: done\n")
        .stderr_has("  + tag[\"Kept\"]: done\n")
        .stderr_has("  - tag[\"VIP\"]: failed: delete tag 1018 (DELETE /tags/1018): Intercom answered 400 tag_has_dependent_objects: Unable to delete Tag with dependent objects. Segments: VIP customers.")
        .stderr_has("Apply finished: 3 applied, 1 failed, 0 skipped.\nRun plan again to see what is left; apply finishes it.\n");
    assert_eq!(names(&p.state(), "tags"), ["Kept", "VIP"]);
    let plan = p.run(&["plan", "--detailed-exitcode"]);
    plan.code(2);
    assert!(plan.stdout.starts_with("  - tag[\"VIP\"]\n\nPlan: 0 to create, 0 to update, 0 to rename, 0 to archive, 1 to delete;"), "{}", plan.stdout);
}

/// A few dozen changes of every writable kind, for the fault test.
fn many_changes() -> String {
    let mut c = String::from(
        "prune: [tags, audiences]\ntags:\n  - name: VIP\n  - {name: Beta testers, renamed_from: Beta tester}\n",
    );
    for i in 0..12 {
        c += &format!("  - name: tag-{i}\n");
    }
    c += "audiences:\n";
    for i in 0..6 {
        c += &format!(
            "  - name: aud-{i}\n    predicates: [{{attribute: custom_attributes.plan_tier, type: string, comparison: eq, value: v{i}}}]\n"
        );
    }
    c += "data_attributes:\n  contact:\n";
    for i in 0..4 {
        c += &format!("    - {{name: attr_{i}, type: string, description: d{i}}}\n");
    }
    c += "conversation_attributes:\n";
    for i in 0..3 {
        c += &format!("  - {{name: Conv {i}, type: list, options: [a, b]}}\n");
    }
    c += "office_hours:\n";
    for i in 0..3 {
        c += &format!(
            "  - name: OH {i}\n    time_zone: Europe/Paris\n    hours: {{mon-fri: ['09:00-17:00']}}\n    exceptions:\n      - {{date: 2026-05-0{}, closed: true, name: Holiday}}\n",
            i + 1
        );
    }
    c += "teams:\n  - name: Support\n    members: [alice@example.com, bob@example.com, carol@example.com, erin@example.com]\n";
    c
}

/// The names in `values` that occur more than once.
fn duplicates(values: &[String]) -> Vec<String> {
    let mut seen = std::collections::BTreeMap::new();
    for v in values {
        *seen.entry(v.to_lowercase()).or_insert(0) += 1;
    }
    seen.into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(v, _)| v)
        .collect()
}

/// Checks an apply that failed: every failed change is named with its error, and the counts
/// add up.
#[track_caller]
fn assert_precise_failure_report(r: &Run) {
    r.code(1);
    let Some(summary) = r.stderr.lines().find(|l| l.starts_with("Apply finished: ")) else {
        // Nothing was applied: the run stopped before writing, with an error.
        assert!(r.stderr.starts_with("error: "), "{}", r.stderr);
        return;
    };
    let failed_lines: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.contains(": failed: "))
        .collect();
    let skipped_lines = r
        .stderr
        .lines()
        .filter(|l| l.contains(": skipped: "))
        .count();
    for l in &failed_lines {
        // `  ~ kind["key"]: failed: <what> (<METHOD> <path>): <error>`
        assert!(
            l.starts_with("  ") && l.contains("[\"") && l.contains("\"]: failed: "),
            "{l}"
        );
        assert!(
            l.split(": failed: ").nth(1).is_some_and(|e| e.len() > 10),
            "{l}"
        );
    }
    assert!(
        summary.ends_with(&format!(
            " {} failed, {skipped_lines} skipped.",
            failed_lines.len()
        )),
        "{summary}\n{}",
        r.stderr
    );
    assert!(failed_lines.len() + skipped_lines > 0, "{}", r.stderr);
    r.stderr_has("Run plan again to see what is left; apply finishes it.\n");
}

#[test]
fn under_injected_faults_apply_reports_precisely_and_converges_without_duplicates() {
    // Seed 41141 injects about a fifth of faults (5xx and dropped connections) but no
    // 35-second answer within its first 366 requests, which keeps this test fast: the whole
    // run makes well under 300 requests.
    let server = Served::start_with_state(&["--fault-rate", "0.2", "--fault-seed", "41141"]);
    let p = Project::served(&server);
    p.config(&many_changes());
    let mut runs = 0;
    loop {
        runs += 1;
        assert!(runs <= 5, "apply does not converge");
        let r = p.run(&["apply", "--auto-approve"]);
        if r.code == 0 {
            assert!(
                r.stdout == NO_CHANGES || r.stderr.contains(" applied, 0 failed, 0 skipped.\n"),
                "{}",
                r.stderr
            );
            break;
        }
        assert_precise_failure_report(&r);
    }
    let stats = server.stats();
    assert!(stats["faults_injected"].as_u64().unwrap() > 0, "{stats}");
    assert!(stats["total_calls"].as_u64().unwrap() < 300, "{stats}");
    let r = p.run(&["plan", "--detailed-exitcode"]);
    r.code(0);
    assert_eq!(r.stdout, NO_CHANGES);

    let s = server.state();
    let tags = names(&s, "tags");
    assert_eq!(duplicates(&tags), Vec::<String>::new());
    assert_eq!(tags.len(), 14, "{tags:?}");
    let audiences = names(&s, "audiences");
    assert_eq!(duplicates(&audiences), Vec::<String>::new());
    assert_eq!(audiences.len(), 6, "{audiences:?}");
    let schedules = names(&s, "schedules");
    assert_eq!(duplicates(&schedules), Vec::<String>::new());
    assert_eq!(schedules.len(), 4, "{schedules:?}");
    let conversation: Vec<String> = conversation_attributes(&s)
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(duplicates(&conversation), Vec::<String>::new());
    let attributes: Vec<String> = custom_attributes(&s)
        .into_iter()
        .map(|(_, n, _)| n)
        .collect();
    assert_eq!(duplicates(&attributes), Vec::<String>::new());
    let days: Vec<String> = exceptions(&s)
        .into_iter()
        .map(|(schedule, date, _)| format!("{schedule} {date}"))
        .collect();
    assert_eq!(duplicates(&days), Vec::<String>::new());
    assert_eq!(days.len(), 4, "{days:?}");
}

/// `tool_version` changes with every release; the snapshots should not.
fn without_tool_version(text: &str) -> String {
    text.replace(
        &format!("\"tool_version\": \"{}\"", env!("CARGO_PKG_VERSION")),
        "\"tool_version\": \"[version]\"",
    )
}

#[test]
fn the_representative_plan_renders_as_text_json_and_markdown() {
    let p = Project::in_process();
    p.config(ALL_KINDS);

    let text = p.run(&["plan"]);
    text.code(0);
    assert_eq!(text.stderr, "");
    insta::assert_snapshot!("plan_text", text.stdout);

    let json = p.run(&["plan", "--format", "json", "--out", "plan.json"]);
    json.code(0);
    insta::assert_snapshot!("plan_json", without_tool_version(&json.stdout));
    assert_eq!(
        p.read("plan.json"),
        json.stdout,
        "--out saves the JSON form"
    );
    let schema_path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/plan.schema.json");
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::options().build(&schema).unwrap();
    let doc = json.json();
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert_eq!(errors, Vec::<String>::new());
    // The schema is strict enough to notice a broken document.
    let mut broken = doc.clone();
    broken["changes"][0]["action"] = "explode".into();
    assert!(!validator.is_valid(&broken));

    let markdown = p.run(&["plan", "--format", "markdown"]);
    markdown.code(0);
    insta::assert_snapshot!("plan_markdown", markdown.stdout);

    // `show` renders the saved plan the same way in every format.
    for (format, expected) in [
        ("text", &text.stdout),
        ("json", &json.stdout),
        ("markdown", &markdown.stdout),
    ] {
        let show = p.run_bare(&["show", "plan.json", "--format", format]);
        show.code(0);
        assert_eq!(&show.stdout, expected, "show --format {format}");
        assert_eq!(show.stderr, "");
    }
    // Colour is only there when asked for.
    assert!(!text.stdout.contains('\u{1b}'));
    let colored = p.run_bare(&["show", "plan.json", "--color", "always"]);
    colored.code(0);
    assert!(colored.stdout.contains("\u{1b}["), "{}", colored.stdout);
}

#[test]
fn the_token_never_appears_in_the_output_even_at_trace_level() {
    const SECRET: &str = "tok-e2e-5f3c9a71d2b84e06";
    let server = Served::start(&["--token", SECRET]);
    let p = Project::served_with_token(&server, SECRET);
    // A create that succeeds and a delete Intercom refuses (its error body is logged too).
    p.config("prune: [tags]\ntags: [{name: VIP}, {name: Beta tester}, {name: Traced}]\n");
    let plan = p.run(&["plan", "-vv"]);
    plan.code(0);
    let apply = p.run(&["apply", "--auto-approve", "-vv"]);
    apply
        .code(0)
        .stderr_has("Apply finished: 2 applied, 0 failed, 0 skipped.\n");
    p.write("vip.yaml", "prune: [tags]\ntags: [{name: Traced}]\n");
    let failing = p.run(&["apply", "--auto-approve", "-vv", "-c", "vip.yaml"]);
    failing.code(1).stderr_has("tag_has_dependent_objects");
    for r in [&plan, &apply, &failing] {
        // Trace logging is on: request and response bodies are there, the token is not.
        r.stderr_has("path=/me").stderr_has("response body");
        assert!(!r.stdout.contains(SECRET), "{}", r.stdout);
        assert!(!r.stderr.contains(SECRET), "{}", r.stderr);
        assert!(!r.stderr.contains("5f3c9a71"), "{}", r.stderr);
    }

    // A token the workspace refuses is not echoed either.
    const WRONG: &str = "tok-e2e-wrong-0b7d44e1c9";
    let wrong = Project::served_with_token(&server, WRONG);
    wrong.config("tags: [{name: VIP}]\n");
    let r = wrong.run(&["plan", "-vv"]);
    r.code(1).stderr_has("401");
    assert!(
        !r.stderr.contains(WRONG) && !r.stderr.contains("0b7d44e1c9"),
        "{}",
        r.stderr
    );
    assert!(!r.stdout.contains(WRONG));
}

#[test]
fn an_exception_without_a_name_converges() {
    let p = Project::in_process();
    p.config(
        r#"
office_hours:
  - name: Standard Support Hours
    time_zone: America/New_York
    hours: {mon-fri: ["09:00-17:00"]}
    exceptions:
      - {date: 2026-12-25, closed: true, recurring: true}
      - {date: 2026-12-31, hours: ["09:00-12:00"]}
"#,
    );
    let plan = p.run(&["plan"]);
    plan.code(0).stdout_has(
        "  ~ office_hours[\"Standard Support Hours\"]\n      + exception 2026-12-31 = {\"hours\": [\"09:00-12:00\"], \"name\": \"\", \"recurring\": false}\n\nPlan: 0 to create, 1 to update,",
    );
    p.run(&["apply", "--auto-approve"])
        .code(0)
        .stderr_has("Apply finished: 1 applied, 0 failed, 0 skipped.\n");
    assert_converged(&p);
    assert_eq!(
        exceptions(&p.state()),
        [
            (
                "Standard Support Hours".into(),
                "2026-12-25".into(),
                "Christmas Day".into()
            ),
            (
                "Standard Support Hours".into(),
                "2026-12-31".into(),
                "".into()
            ),
        ]
    );
}

#[test]
fn expect_digest_is_checked_for_a_saved_plan_too() {
    let server = Served::start(&[]);
    let p = Project::served(&server);
    p.config("tags: [{name: Saved and reviewed}]\n");
    p.run(&["plan", "--out", "plan.json"]).code(0);
    let digest = serde_json::from_str::<Value>(&p.read("plan.json")).unwrap()["digest"]
        .as_str()
        .unwrap()
        .to_string();
    let r = p.run(&["apply", "plan.json", "--expect-digest", "0123456789ab"]);
    r.code(1).stderr_has(&format!(
        "error: the digest of the plan in plan.json is {digest}, not the reviewed 0123456789ab; nothing was written\n"
    ));
    assert_eq!(r.stdout, "");
    assert_eq!(server.writes(), 0);
    p.run(&["apply", "plan.json", "--expect-digest", &digest])
        .code(0)
        .stderr_has("Apply finished: 1 applied, 0 failed, 0 skipped.\n");
    assert_eq!(server.writes(), 1);
}

#[test]
fn scope_flags_are_refused_with_a_saved_plan() {
    let server = Served::start(&[]);
    let p = Project::served(&server);
    p.config("tags: [{name: Scoped}]\n");
    p.run(&["plan", "--out", "plan.json"]).code(0);
    for flags in [["--only", "audiences"], ["--prune", "tags"]] {
        let mut args = vec!["apply", "plan.json"];
        args.extend(flags);
        let r = p.run(&args);
        r.code(1).stderr_has(
            "error: --only and --prune cannot narrow or widen a saved plan: it is applied exactly as saved\n",
        );
        assert_eq!(r.stdout, "");
    }
    assert_eq!(server.writes(), 0);
}

#[test]
fn a_saved_plan_for_office_hours_without_exceptions_is_not_stale() {
    let p = Project::in_process();
    // The configuration does not manage exceptions, so the plan does not read them.
    p.config(
        "office_hours:\n  - name: Standard Support Hours\n    time_zone: America/New_York\n    hours: {mon-fri: [\"08:00-17:00\"]}\n",
    );
    p.run(&["plan", "--out", "plan.json"])
        .code(0)
        .stdout_has("  ~ office_hours[\"Standard Support Hours\"]\n");
    p.run(&["apply", "plan.json"])
        .code(0)
        .stderr_has("Apply finished: 1 applied, 0 failed, 0 skipped.\n");
    assert_converged(&p);
    // The Christmas exception it did not manage is still there.
    assert_eq!(exceptions(&p.state()).len(), 1);

    // When the plan manages exceptions, a change to one of them makes the saved plan stale.
    p.config(
        "office_hours:\n  - name: Standard Support Hours\n    time_zone: America/New_York\n    hours: {mon-fri: [\"09:00-17:00\"]}\n    exceptions: [{date: 2026-12-25, closed: true, name: Christmas Day, recurring: true}]\n",
    );
    p.run(&["plan", "--out", "plan.json"]).code(0);
    p.write(
        "other.yaml",
        "office_hours:\n  - name: Standard Support Hours\n    time_zone: America/New_York\n    hours: {mon-fri: [\"08:00-17:00\"]}\n    exceptions: [{date: 2026-12-25, closed: true, name: Xmas, recurring: true}]\n",
    );
    p.run(&["apply", "--auto-approve", "-c", "other.yaml"])
        .code(0);
    let before = p.state();
    p.run(&["apply", "plan.json"]).code(1).stderr_has(
        "error: plan is stale: office_hours[\"Standard Support Hours\"] changed since the plan was made; run plan again\n",
    );
    assert_unchanged(&p, &before);
}

#[test]
fn saved_plans_of_every_kind_apply_without_false_staleness() {
    let server = Served::start(&[]);
    let p = Project::served(&server);
    for (config, applied) in [(ALL_KINDS, 17), (ALL_KINDS_SECOND, 10)] {
        p.config(config);
        p.run(&["plan", "--out", "plan.json"]).code(0);
        let saved: Value = serde_json::from_str(&p.read("plan.json")).unwrap();
        let before = server.writes();
        p.run(&["apply", "plan.json"]).code(0).stderr_has(&format!(
            "Apply finished: {applied} applied, 0 failed, 0 skipped.\n"
        ));
        assert_eq!(server.writes() - before, plan_ops(&saved));
        assert_converged(&p);
    }
}

#[test]
fn apply_under_a_tight_rate_limit_completes_and_converges() {
    let server = Served::start_with_state(&["--rate-limit", "5", "--rate-window-secs", "1"]);
    let p = Project::served(&server);
    p.config("tags: [{name: r1}, {name: r2}, {name: r3}, {name: r4}, {name: r5}, {name: r6}]\n");
    let ops = plan_ops(&plan_json(&p, &[]));
    assert_eq!(ops, 6);
    let before = server.writes();
    p.run(&["apply", "--auto-approve"])
        .code(0)
        .stderr_has("Apply finished: 6 applied, 0 failed, 0 skipped.\n");
    // Calls refused with 429 are counted too but were never processed.
    let stats = server.stats();
    let limited = stats["rate_limited"].as_u64().unwrap();
    let writes = server.writes() - before;
    assert!(
        (ops..=ops + limited).contains(&writes),
        "{writes} writes for {ops} operations: {stats}"
    );
    assert_converged(&p);
    let tags = names(&server.state(), "tags");
    assert_eq!(tags.len(), 9, "{tags:?}");
    assert_eq!(duplicates(&tags), Vec::<String>::new());
}

#[test]
fn unusable_plan_files_are_refused() {
    let server = Served::start(&[]);
    let p = Project::served(&server);
    p.config("tags: [{name: Versioned}]\n");
    p.run(&["plan", "--out", "plan.json"]).code(0);
    let older = p.read("plan.json").replace(
        &format!("\"tool_version\": \"{}\"", env!("CARGO_PKG_VERSION")),
        "\"tool_version\": \"0.0.1\"",
    );
    p.write("older.json", &older);
    p.write("garbage.json", "{\"changes\": 3}\n");
    for (file, message) in [
        (
            "older.json",
            format!(
                "error: the plan in older.json was made by intercom-iac 0.0.1 (plan format 1); this is intercom-iac {} (plan format 1)\n  help: run plan again with this version\n",
                env!("CARGO_PKG_VERSION")
            ),
        ),
        (
            "garbage.json",
            "error: garbage.json is not a plan saved by `intercom-iac plan --out`\n".to_string(),
        ),
        (
            "missing.json",
            "error: cannot read the plan file missing.json\n".to_string(),
        ),
    ] {
        for r in [p.run(&["apply", file]), p.run_bare(&["show", file])] {
            r.code(1).stderr_has(&message);
            assert_eq!(r.stdout, "");
        }
    }
    assert_eq!(server.writes(), 0);
}
