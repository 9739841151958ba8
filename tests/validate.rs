//! `validate` end to end: every check reports one located message with an exact position.

mod support;

use std::path::Path;

use support::{Cli, Run};

/// Writes `files` under a fresh `intercom/` directory and runs the binary there.
fn run_in(files: &[(&str, &[u8])], args: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    for (name, body) in files {
        let path = dir.path().join("intercom").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, body).unwrap();
    }
    Cli::new(dir.path()).args(args).run()
}

fn validate(files: &[(&str, &str)]) -> Run {
    let files: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_bytes())).collect();
    run_in(&files, &["validate"])
}

/// The diagnostic lines (without help lines and the summary).
fn problems(r: &Run) -> Vec<String> {
    r.stderr
        .lines()
        .filter(|l| l.contains(": error: ") || l.contains(": warning: "))
        .filter(|l| !l.starts_with("error:"))
        .map(str::to_string)
        .collect()
}

/// Asserts exit 1 and exactly these diagnostics.
#[track_caller]
fn assert_problems(r: &Run, expected: &[&str]) {
    assert_eq!(problems(r), expected, "stderr was:\n{}", r.stderr);
    assert_eq!(r.code, 1, "stderr was:\n{}", r.stderr);
    assert!(
        r.stderr
            .lines()
            .last()
            .unwrap()
            .starts_with("error: the configuration is invalid")
    );
}

#[track_caller]
fn assert_help(r: &Run, help: &str) {
    assert!(
        r.stderr.contains(&format!("  help: {help}")),
        "no help `{help}` in:\n{}",
        r.stderr
    );
}

#[test]
fn examples_validate_clean() {
    for example in ["examples/acme", "examples/minimal.yaml"] {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let run = Cli::new(root)
            .args(["validate", "--deny-warnings", "-c"])
            .arg(root.join(example))
            .run();
        let stderr = &run.stderr;
        assert_eq!(run.code, 0, "{example}: {stderr}");
        assert!(stderr.starts_with("The configuration is valid"), "{stderr}");
    }
}

#[test]
fn yaml_syntax_error_is_located() {
    let r = validate(&[("a.yaml", "tags:\n  - name: [VIP\n")]);
    let p = problems(&r);
    assert_eq!(p.len(), 1, "{}", r.stderr);
    assert!(
        p[0].starts_with("intercom/a.yaml:3:1: error: invalid YAML:"),
        "{}",
        p[0]
    );
}

#[test]
fn duplicate_mapping_keys() {
    let r = validate(&[("a.yaml", "tags:\n  - name: a\n    name: b\n")]);
    let p = problems(&r);
    assert_eq!(p.len(), 1);
    assert!(
        p[0].starts_with("intercom/a.yaml:3:5: error: invalid YAML: "),
        "{}",
        p[0]
    );
    assert!(p[0].contains("duplicated key"), "{}", p[0]);
}

#[test]
fn schema_errors_point_at_the_node() {
    let r = validate(&[(
        "a.yaml",
        "version: 2\ntags:\n  - nam: x\nteams:\n  - name: Support\n    members: [alice@example.com, not-an-email]\n    colour: red\ndata_attributes:\n  contact:\n    - name: score\n      type: lst\n    - name: n\n      type: 5\noffice_hours:\n  - name: X\n    time_zone: UTC\n    hours: {mon: [\"09:00-10:00\"]}\n    exceptions: [{date: 25-12-2026, closed: true}]\n",
    )]);
    assert_problems(
        &r,
        &[
            "intercom/a.yaml:1:10: error: unsupported configuration version 2",
            "intercom/a.yaml:3:5: error: unknown key `nam` in tags[0]",
            "intercom/a.yaml:3:5: error: tags[0] is missing the required key `name`",
            "intercom/a.yaml:6:34: error: teams[0].members[1]: \"not-an-email\" is not an e-mail address",
            "intercom/a.yaml:7:5: error: unknown key `colour` in teams[0]",
            "intercom/a.yaml:11:13: error: data_attributes.contact[0].type: \"lst\" is not allowed here",
            "intercom/a.yaml:13:13: error: data_attributes.contact[1].type: 5 is not allowed here",
            "intercom/a.yaml:18:25: error: office_hours[0].exceptions[0].date: \"25-12-2026\" is not a date",
        ],
    );
    assert_help(&r, "did you mean `name`?");
    assert_help(&r, "expected one of: name, members, secondary");
    assert_help(
        &r,
        "did you mean `list`? expected one of: string, integer, float, boolean, date, list",
    );
}

#[test]
fn wrong_types_name_what_was_expected() {
    let r = validate(&[("a.yaml", "tags: VIP\nteams:\n  - name: [a]\nprune: tags\n")]);
    assert_problems(
        &r,
        &[
            "intercom/a.yaml:1:7: error: tags must be a list, found text",
            "intercom/a.yaml:3:11: error: teams[0].name must be text, found a list",
            "intercom/a.yaml:4:8: error: prune must be a list, found text",
        ],
    );
}

#[test]
fn unknown_top_level_key_suggests_the_section() {
    let r = validate(&[("a.yaml", "tag:\n  - name: VIP\n")]);
    assert_problems(
        &r,
        &["intercom/a.yaml:1:1: error: unknown key `tag` in the top level"],
    );
    assert_help(&r, "did you mean `tags`?");
}

#[test]
fn duplicates_across_files_name_both_places() {
    let r = validate(&[
        ("a.yaml", "tags:\n  - name: VIP\n"),
        (
            "b/c.yaml",
            "tags:\n  - name: vip\nsegments:\n  - name: S\n  - name: S\n",
        ),
    ]);
    assert_problems(
        &r,
        &[
            "intercom/b/c.yaml:2:11: error: duplicate tag `vip`: also declared at intercom/a.yaml:2:11",
            "intercom/b/c.yaml:5:11: error: duplicate segment `S`: also declared at intercom/b/c.yaml:4:11",
        ],
    );
}

#[test]
fn attribute_names_are_unique_across_models_and_case() {
    let r = validate(&[(
        "a.yaml",
        "data_attributes:\n  contact:\n    - {name: plan, type: string}\n    - {name: Score, type: integer}\n    - {name: score, type: integer}\n  company:\n    - {name: PLAN, type: string}\n",
    )]);
    assert_problems(
        &r,
        &[
            "intercom/a.yaml:5:14: error: duplicate contact attribute `score`: also declared at intercom/a.yaml:4:14",
            "intercom/a.yaml:7:14: error: `PLAN` is declared as both a company and a contact attribute (contact at intercom/a.yaml:3:14)",
        ],
    );
}

#[test]
fn attribute_names_intercom_refuses() {
    let r = validate(&[(
        "a.yaml",
        "data_attributes:\n  contact:\n    - {name: \"\", type: string}\n    - {name: \" padded\", type: string}\n    - {name: plan.tier, type: string}\n",
    )]);
    assert_problems(
        &r,
        &[
            "intercom/a.yaml:3:14: error: an attribute name must not be empty",
            "intercom/a.yaml:4:14: error: an attribute name must not start or end with spaces",
            "intercom/a.yaml:5:14: error: an attribute name must not contain `.` (Intercom uses dots for nested attribute paths)",
        ],
    );
}

#[test]
fn renamed_from_rules() {
    let r = validate(&[(
        "a.yaml",
        "tags:\n  - {name: new, renamed_from: old}\n  - {name: old}\n  - {name: x, renamed_from: x}\n  - {name: Y, renamed_from: y}\ndata_attributes:\n  contact:\n    - {name: a, type: string, renamed_from: b}\n",
    )]);
    assert_problems(
        &r,
        &[
            "intercom/a.yaml:2:31: error: `renamed_from: old` collides with the tag `old` declared at intercom/a.yaml:3:12",
            "intercom/a.yaml:4:29: error: `renamed_from` names `x` itself",
            "intercom/a.yaml:8:31: error: unknown key `renamed_from` in data_attributes.contact[0]",
        ],
    );
    assert_help(
        &r,
        "Intercom cannot rename data attributes; create a new attribute and archive the old one",
    );
}

#[test]
fn list_options() {
    let r = validate(&[(
        "a.yaml",
        "data_attributes:\n  contact:\n    - {name: a, type: list, options: [one]}\n    - {name: b, type: list, options: [x, y, x]}\n    - {name: c, type: string, options: [x, y]}\n    - {name: d, type: list}\nconversation_attributes:\n  - {name: e, type: list, options: [only]}\n",
    )]);
    assert_problems(
        &r,
        &[
            "intercom/a.yaml:3:38: error: a list attribute needs at least two options",
            "intercom/a.yaml:4:45: error: option `x` is listed twice (first at intercom/a.yaml:4:39)",
            "intercom/a.yaml:5:40: error: `options` is only allowed on attributes of type `list`",
            "intercom/a.yaml:6:23: error: a list attribute needs `options`",
            "intercom/a.yaml:8:36: error: a list attribute needs at least two options",
        ],
    );
}

#[test]
fn team_membership_rules() {
    let r = validate(&[(
        "a.yaml",
        "teams:\n  - name: A\n    members: []\n  - name: B\n    members: [a@example.com, A@example.com]\n    secondary: [c@example.com]\n  - name: C\n    secondary: [a@example.com]\n",
    )]);
    assert_problems(
        &r,
        &[
            "intercom/a.yaml:3:14: error: `members: []` would empty the team, which Intercom cannot do",
            "intercom/a.yaml:5:30: error: `a@example.com` is listed twice in members",
            "intercom/a.yaml:6:17: error: secondary member `c@example.com` is not in `members`",
            "intercom/a.yaml:8:16: error: `secondary` needs `members`",
        ],
    );
}

#[test]
fn office_hours_rules() {
    let r = validate(&[(
        "a.yaml",
        "office_hours:\n  - name: A\n    time_zone: Europe/Dubln\n    hours:\n      mon-fri: [\"09:00-17:00\", \"09:10-10:00\"]\n      wed: [\"16:00-18:00\"]\n      fri-mon: [\"09:00-10:00\"]\n    exceptions:\n      - {date: 2026-02-30, closed: true}\n      - {date: 2026-12-24, closed: true, hours: [\"09:00-12:00\"]}\n      - {date: 2026-12-31}\n",
    )]);
    assert_problems(
        &r,
        &[
            "intercom/a.yaml:3:16: error: `Europe/Dubln` is not an IANA time zone",
            "intercom/a.yaml:5:32: error: `09:10-10:00` is not on a 15-minute boundary (Intercom counts office hours in quarters of an hour)",
            "intercom/a.yaml:6:13: error: `16:00-18:00` overlaps `09:00-17:00` (from `mon-fri`) on wed",
            "intercom/a.yaml:7:7: error: invalid day key: the range `fri-mon` runs backwards",
            "intercom/a.yaml:9:16: error: `2026-02-30` is not a calendar date",
            "intercom/a.yaml:10:49: error: a closed day has no hours",
            "intercom/a.yaml:11:9: error: an exception needs `closed: true` or `hours`",
        ],
    );
    assert_help(&r, "did you mean `Europe/Dublin`?");
}

#[test]
fn event_rules() {
    let mut keys = String::new();
    for i in 0..11 {
        keys.push_str(&format!("      k{i:02}: {{type: string}}\n"));
    }
    let r = validate(&[(
        "a.yaml",
        &format!(
            "events:\n  - name: a\n    metadata:\n      renewal: {{type: date}}\n      due_date: {{type: string}}\n      bad.key: {{type: number}}\n  - name: b\n    metadata:\n{keys}"
        ),
    )]);
    assert_problems(
        &r,
        &[
            "intercom/a.yaml:4:7: error: metadata key `renewal` has type `date` but does not end in `_date`",
            "intercom/a.yaml:5:7: error: metadata key `due_date` ends in `_date` but has type `string`",
            "intercom/a.yaml:6:7: error: metadata key `bad.key` contains `.`, which Intercom does not accept",
            "intercom/a.yaml:19:7: error: event `b` declares 11 metadata keys; Intercom keeps at most 10",
        ],
    );
}

#[test]
fn workspace_caps_on_attributes_and_events() {
    let mut attrs = String::from("data_attributes:\n  contact:\n");
    for i in 0..251 {
        attrs.push_str(&format!("    - {{name: a{i}, type: string}}\n"));
    }
    attrs.push_str("    - {name: old, type: string, archived: true}\n");
    let mut events = String::from("events:\n");
    for i in 0..121 {
        events.push_str(&format!("  - name: e{i}\n"));
    }
    let r = validate(&[("a.yaml", &attrs), ("b.yaml", &events)]);
    assert_problems(
        &r,
        &[
            "intercom/a.yaml:253:7: error: 251 custom data attributes are declared; Intercom allows at most 250 that are not archived",
            "intercom/b.yaml:122:5: error: 121 events are declared; Intercom keeps at most 120 active event names",
        ],
    );
}

#[test]
fn prune_of_a_kind_that_cannot_be_pruned() {
    let r = validate(&[("a.yaml", "prune: [tags, teams, nonsense]\n")]);
    assert_problems(
        &r,
        &[
            "intercom/a.yaml:1:15: error: `teams` cannot be pruned: teams cannot be deleted through the Intercom API",
            "intercom/a.yaml:1:22: error: prune[2]: \"nonsense\" is not allowed here",
        ],
    );
    assert_help(
        &r,
        "prunable kinds: contact_attributes, company_attributes, conversation_attributes, tags, audiences, office_hours",
    );
}

#[test]
fn a_scalar_set_in_two_files_names_both() {
    let r = validate(&[
        ("a.yaml", "workspace:\n  app_id: abc\n"),
        ("b.yaml", "workspace:\n  region: eu\n  app_id: def\n"),
    ]);
    assert_problems(
        &r,
        &["intercom/b.yaml:3:11: error: `workspace.app_id` is also set at intercom/a.yaml:2:11"],
    );
}

#[test]
fn declared_and_ignored_is_an_error() {
    let r = validate(&[(
        "a.yaml",
        "ignore:\n  tags: [\"adhoc-*\"]\ntags:\n  - name: ADHOC-1\n",
    )]);
    assert_problems(
        &r,
        &[
            "intercom/a.yaml:4:11: error: `ADHOC-1` is both declared and ignored (pattern `adhoc-*` at intercom/a.yaml:2:10)",
        ],
    );
}

#[test]
fn conversation_attribute_multiline_only_on_text() {
    let r = validate(&[(
        "a.yaml",
        "conversation_attributes:\n  - {name: n, type: integer, multiline: true}\n",
    )]);
    assert_problems(
        &r,
        &[
            "intercom/a.yaml:2:41: error: `multiline` is only allowed on attributes of type `string`",
        ],
    );
}

#[test]
fn pii_names_warn_and_deny_warnings_fails() {
    let files = [(
        "a.yaml",
        "data_attributes:\n  contact:\n    - {name: customer_ssn, type: string}\nevents:\n  - name: paid\n    metadata:\n      card_number: {type: string}\n",
    )];
    let r = validate(&files);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        problems(&r),
        [
            "intercom/a.yaml:3:14: warning: contact attribute `customer_ssn` looks like sensitive personal data (`ssn`)",
            "intercom/a.yaml:7:7: warning: metadata key `card_number` looks like sensitive personal data (`card_number`)",
        ]
    );
    assert!(
        r.stderr
            .contains("The configuration is valid: 1 file(s), 2 warning(s)."),
        "{}",
        r.stderr
    );
    let files: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_bytes())).collect();
    let denied = run_in(&files, &["validate", "--deny-warnings"]);
    assert_eq!(denied.code, 1);
    assert!(
        denied
            .stderr
            .contains("intercom/a.yaml:3:14: error: contact attribute `customer_ssn`"),
        "{}",
        denied.stderr
    );
}

#[test]
fn github_format_annotates_lines() {
    let files: [(&str, &[u8]); 1] = [("a.yaml", b"tags:\n  - nam: x\n")];
    let r = run_in(&files, &["validate", "--format", "github"]);
    assert_eq!(r.code, 1);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "::error file=intercom/a.yaml,line=2,col=5::unknown key `nam` in tags[0]%0Ahelp: did you mean `name`?",
            "::error file=intercom/a.yaml,line=2,col=5::tags[0] is missing the required key `name`%0Ahelp: add `name: …`",
        ]
    );
}

#[test]
fn hostile_inputs_give_located_errors() {
    let deep = format!("tags: {}{}\n", "[".repeat(100), "]".repeat(100));
    let bomb = support::alias_bomb();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "empty",
            b"".to_vec(),
            "intercom/a.yaml:1:1: error: the file holds no configuration",
        ),
        (
            "comments",
            b"# nothing\n".to_vec(),
            "intercom/a.yaml:1:1: error: the file holds no configuration",
        ),
        (
            "two documents",
            b"tags: []\n---\ntags: []\n".to_vec(),
            "intercom/a.yaml:2:1: error: a configuration file holds exactly one YAML document",
        ),
        (
            "invalid utf-8",
            b"tags:\n  - name: caf\xe9\n".to_vec(),
            "intercom/a.yaml:2:14: error: the file is not valid UTF-8 text",
        ),
        (
            "deep nesting",
            deep.into_bytes(),
            "intercom/a.yaml:1:70: error: nesting is deeper than the limit of 64 levels",
        ),
        (
            "a list at the top",
            b"- a\n- b\n".to_vec(),
            "intercom/a.yaml:1:1: error: a configuration file must be a mapping of sections",
        ),
        (
            "a scalar",
            b"hello\n".to_vec(),
            "intercom/a.yaml:1:1: error: a configuration file must be a mapping of sections",
        ),
        (
            "a custom tag",
            b"tags: !x []\n".to_vec(),
            "intercom/a.yaml:1:7: error: custom YAML tag `!x` is not supported",
        ),
    ];
    for (what, body, expected) in cases {
        let r = run_in(&[("a.yaml", &body)], &["validate"]);
        assert_eq!(problems(&r), [expected], "{what}: {}", r.stderr);
        assert_eq!(r.code, 1, "{what}");
    }
    let r = run_in(&[("a.yaml", bomb.as_bytes())], &["validate"]);
    assert_eq!(r.code, 1);
    let p = problems(&r);
    assert_eq!(p.len(), 1, "{}", r.stderr);
    assert!(
        p[0].starts_with("intercom/a.yaml:") && p[0].contains("alias expansion exceeded"),
        "{}",
        p[0]
    );
    // Binary garbage is refused, never a panic.
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    let r = run_in(&[("a.yaml", &garbage)], &["validate"]);
    assert_eq!(r.code, 1);
    assert_eq!(problems(&r).len(), 1, "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"));
}

#[test]
fn size_cap_has_its_own_message() {
    let big = format!("tags:\n{}", "  - name: x\n".repeat(800_000));
    let r = run_in(&[("a.yaml", big.as_bytes())], &["validate"]);
    assert_eq!(
        problems(&r),
        ["intercom/a.yaml: error: the configuration is larger than the limit of 8 MB"]
    );
    assert_eq!(r.code, 1);
}

#[test]
fn merge_keys_and_anchors_work() {
    let r = validate(&[(
        "a.yaml",
        "x-defaults: &d\n  type: integer\n  messenger_writable: false\ndata_attributes:\n  contact:\n    - <<: *d\n      name: seats\n",
    )]);
    // `x-defaults` is not a section: merge keys work, unknown keys are still errors.
    assert_problems(
        &r,
        &["intercom/a.yaml:1:1: error: unknown key `x-defaults` in the top level"],
    );
    let r = validate(&[(
        "a.yaml",
        "data_attributes:\n  contact:\n    - &seats {name: seats, type: integer}\n  company:\n    - <<: *seats\n      name: company_seats\n",
    )]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn missing_config_path_says_what_to_do() {
    let r = run_in(&[], &["validate", "-c", "nowhere"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .starts_with("nowhere: error: cannot read the configuration:"),
        "{}",
        r.stderr
    );
    assert_help(
        &r,
        "pass the configuration file or directory with -c/--config PATH (default: intercom/)",
    );
}

#[test]
fn global_flags_work_after_the_subcommand_and_usage_errors_exit_1() {
    let files: [(&str, &[u8]); 1] = [("x.yaml", b"tags: [{name: a}]\n")];
    let r = run_in(&files, &["validate", "-q", "-c", "intercom/x.yaml"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr, "");
    let r = run_in(&files, &["validate", "--no-such-flag"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("unexpected argument"), "{}", r.stderr);
}
