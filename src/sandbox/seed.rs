//! The workspaces a sandbox starts from (and `POST /_sandbox/reset` returns to).
//!
//! - `default`: app `Sandbox Co` (`id_code` `sbx4c0de`, region US); six admins
//!   (alice, bob, carol, dave, erin, frank `@example.com`; the token acts as alice); teams
//!   Support (load_balanced), Sales (round_robin), Onboarding; Intercom's built-in contact and
//!   company attributes plus a few custom ones; two conversation attributes; tags `VIP`,
//!   `Beta tester`, `Churn risk`; segments `Active trials`, `Churned`, `VIP customers` (the
//!   last uses tag `VIP`, so that tag cannot be deleted); one audience; one office hours
//!   schedule with a Christmas exception; five contacts; four away status reasons; brands
//!   `Sandbox Co` (the default, id `sbx4c0de`) and `Sandbox Premium` (id `90001`); macros
//!   `Thank You Response`, `Refund Process`, `Welcome Aboard` (Onboarding only) and `Discount
//!   Offer` (Sales only, so alice never sees it), ids `70001`–`70004`; subscription types
//!   `Newsletters` (with a French translation), `Product updates` and the archived `Webinars`,
//!   ids `80001`–`80003`; help centers `sandbox-co` (id 501, the default) with collections
//!   `Getting started`, `Billing` and `Invoices` (in `Billing`), and `sandbox-premium` (id 502,
//!   the premium brand's) with collection `Premium support`; five articles: one draft, two
//!   with HTML only; ticket types `Bug Report`
//!   and `Billing Dispute` (ids `60001`, `60002`; see `ticket_types::seed`); internal articles
//!   `Escalation policy` and `Refund exceptions` (HTML only; ids `850001`, `850002`) and
//!   content snippets `Reset a password` and `Horaires du support` (`fr`; ids `860001`,
//!   `860002`): see `internal_articles::seed` and `content_snippets::seed`.
//! - `large`: the default plus enough generated objects to reach 200 custom attributes,
//!   5,000 tags, 100 teams, 300 admins, 500 audiences, 50 schedules and 1,000 contacts, and
//!   brands `Brand 01`–`Brand 03` (ids `90002`–`90004`).
//! - `empty`: the app, alice, the built-in attributes and the default brand and (empty) help
//!   center every workspace has.

use std::collections::{BTreeMap, BTreeSet};

use super::Seed;
use super::store::{
    Admin, AppInfo, Article, Audience, AwayReason, Brand, Collection, Contact,
    ConversationAttribute, ConversationOption, DEFAULT_HELP_CENTER_ID, DataAttribute, EPOCH,
    Exception, HelpCenter, Interval, IpAllowlist, Macro, Predicate, Schedule, Segment, State,
    SubscriptionType, Tag, Team, Translation,
};

/// Builds the workspace for `seed`. Deterministic: the same seed gives the same ids.
pub(crate) fn build(seed: Seed) -> State {
    let mut state = State {
        last_id: 1000,
        clock: EPOCH,
        app: AppInfo {
            id_code: "sbx4c0de".to_string(),
            name: "Sandbox Co".to_string(),
            region: "US".to_string(),
            timezone: "America/New_York".to_string(),
            created_at: EPOCH - 365 * 86_400,
            identity_verification: false,
        },
        me: 0,
        admins: BTreeMap::new(),
        teams: BTreeMap::new(),
        data_attributes: builtin_attributes(),
        conversation_attributes: BTreeMap::new(),
        tags: BTreeMap::new(),
        segments: Vec::new(),
        audiences: BTreeMap::new(),
        schedules: BTreeMap::new(),
        exceptions: BTreeMap::new(),
        contacts: Vec::new(),
        away_reasons: Vec::new(),
        brands: Vec::new(),
        macros: Vec::new(),
        subscription_types: Vec::new(),
        help_centers: Vec::new(),
        collections: BTreeMap::new(),
        articles: BTreeMap::new(),
        ip_allowlist: Default::default(),
        ticket_types: BTreeMap::new(),
        internal_articles: BTreeMap::new(),
        content_snippets: BTreeMap::new(),
        events: BTreeSet::new(),
        activity_logs: Vec::new(),
        data_exports: Vec::new(),
    };
    state.brands.push(Brand::default_for(&state.app));
    state.help_centers.push(HelpCenter::default_for(&state.app));
    state.me = add_admin(
        &mut state,
        "Alice Anders",
        "alice@example.com",
        Some("Owner"),
    );
    if seed == Seed::Empty {
        return state;
    }
    default_content(&mut state);
    // An allowlist written down but not enforced: enabling it is a reviewed change.
    state.ip_allowlist = IpAllowlist {
        enabled: false,
        ranges: vec!["203.0.113.0/24".into(), "198.51.100.7".into()],
    };
    super::ticket_types::seed(&mut state);
    super::internal_articles::seed(&mut state);
    super::content_snippets::seed(&mut state);
    if seed == Seed::Large {
        large_content(&mut state);
    }
    state
}

/// The seed's workspace with the options' `--app-id` and `--identity-verification`, if any.
pub(super) fn fresh(opts: &super::SandboxOptions) -> State {
    let mut state = build(opts.seed);
    if let Some(id) = &opts.app_id {
        state.app.id_code = id.clone();
    }
    state.app.identity_verification |= opts.identity_verification;
    state
}

fn add_admin(state: &mut State, name: &str, email: &str, role: Option<&str>) -> u64 {
    let id = state.next_id();
    state.admins.insert(
        id,
        Admin {
            id,
            name: name.to_string(),
            email: email.to_string(),
            job_title: None,
            away_mode_enabled: false,
            away_mode_reassign: false,
            away_status_reason_id: None,
            has_inbox_seat: true,
            role: role.map(str::to_string),
        },
    );
    id
}

fn add_team(state: &mut State, name: &str, method: Option<&str>, members: &[u64]) -> u64 {
    let id = state.next_id();
    let balanced = method == Some("load_balanced");
    state.teams.insert(
        id,
        Team {
            id,
            name: name.to_string(),
            admin_ids: members.to_vec(),
            secondary_admin_ids: BTreeSet::new(),
            distribution_method: method.map(str::to_string),
            assignment_limit: balanced.then_some(10),
        },
    );
    id
}

fn add_tag(state: &mut State, name: &str) -> u64 {
    let id = state.next_id();
    state.tags.insert(
        id,
        Tag {
            id,
            name: name.to_string(),
        },
    );
    id
}

fn add_custom_attribute(
    state: &mut State,
    model: &str,
    name: &str,
    data_type: &str,
    options: Option<&[&str]>,
    description: &str,
) {
    let id = state.next_id();
    let admin_id = state.me_id();
    state.data_attributes.push(DataAttribute {
        id: Some(id),
        model: model.to_string(),
        name: name.to_string(),
        full_name: format!("custom_attributes.{name}"),
        label: name.to_string(),
        description: Some(description.to_string()),
        data_type: data_type.to_string(),
        options: options.map(|o| o.iter().map(|s| s.to_string()).collect()),
        api_writable: true,
        ui_writable: false,
        messenger_writable: false,
        custom: true,
        archived: false,
        admin_id: Some(admin_id),
        created_at: Some(EPOCH),
        updated_at: Some(EPOCH),
    });
}

fn add_audience(state: &mut State, name: &str, predicates: Vec<Predicate>) {
    let id = state.next_id();
    state.audiences.insert(
        id,
        Audience {
            id,
            name: name.to_string(),
            predicates,
            role_predicates: vec![predicate("role", "role", "eq", "user")],
            created_at: EPOCH,
            updated_at: EPOCH,
        },
    );
}

fn add_schedule(state: &mut State, name: &str, tz: &str, intervals: Vec<Interval>) -> u64 {
    let id = state.next_id();
    state.schedules.insert(
        id,
        Schedule {
            id,
            name: name.to_string(),
            time_zone_name: tz.to_string(),
            time_intervals: intervals,
            created_at: EPOCH,
            updated_at: EPOCH,
        },
    );
    id
}

fn add_contact(state: &mut State, email: Option<&str>, external_id: Option<&str>, name: &str) {
    let n = state.next_id();
    let role = if external_id.is_some() {
        "user"
    } else {
        "lead"
    };
    state.contacts.push(Contact {
        id: format!(
            "{:024x}",
            0x6762_f0d0_0000_0000_0000_0000u128 + u128::from(n)
        ),
        role: role.to_string(),
        external_id: external_id.map(str::to_string),
        email: email.map(str::to_string),
        name: Some(name.to_string()),
        created_at: EPOCH - 30 * 86_400,
    });
}

/// A non-default brand. Brand ids are fixed (`PREMIUM_BRAND_ID` and up), outside the
/// sequential id counter, so adding brands moves no other object's id.
fn add_brand(state: &mut State, id: u64, name: &str, created_at: i64) {
    state.brands.push(Brand {
        id: id.to_string(),
        name: name.to_string(),
        is_default: false,
        created_at,
        updated_at: EPOCH,
        help_center_id: (id - PREMIUM_BRAND_ID + 502).to_string(),
        default_address_settings_id: (id - PREMIUM_BRAND_ID + 602).to_string(),
    });
}

/// The id of the default seed's second brand, "Sandbox Premium".
const PREMIUM_BRAND_ID: u64 = 90_001;

/// The help center of the premium brand (its `help_center_id`, see [`add_brand`]).
const PREMIUM_HELP_CENTER_ID: u64 = 502;

fn predicate(attribute: &str, kind: &str, comparison: &str, value: &str) -> Predicate {
    Predicate {
        attribute: attribute.to_string(),
        kind: kind.to_string(),
        comparison: comparison.to_string(),
        value: value.to_string(),
    }
}

/// Monday–Friday, 09:00–17:00.
fn weekdays_nine_to_five() -> Vec<Interval> {
    (0..5)
        .map(|day| Interval {
            start_minute: day * 1440 + 540,
            end_minute: day * 1440 + 1020,
        })
        .collect()
}

fn default_content(state: &mut State) {
    let alice = state.me;
    let bob = add_admin(state, "Bob Brown", "bob@example.com", Some("Support Agent"));
    let carol = add_admin(
        state,
        "Carol Chen",
        "carol@example.com",
        Some("Support Agent"),
    );
    let dave = add_admin(state, "Dave Diaz", "dave@example.com", Some("Sales Rep"));
    let erin = add_admin(state, "Erin Evans", "erin@example.com", Some("Sales Rep"));
    let frank = add_admin(state, "Frank Fischer", "frank@example.com", None);
    if let Some(bob) = state.admins.get_mut(&bob) {
        bob.job_title = Some("Support lead".to_string());
    }

    let support = add_team(
        state,
        "Support",
        Some("load_balanced"),
        &[alice, bob, carol],
    );
    if let Some(team) = state.teams.get_mut(&support) {
        team.secondary_admin_ids.insert(carol);
    }
    let sales = add_team(state, "Sales", Some("round_robin"), &[dave, erin]);
    let onboarding = add_team(state, "Onboarding", None, &[alice, frank]);

    add_custom_attribute(
        state,
        "contact",
        "plan_tier",
        "string",
        Some(&["free", "pro", "enterprise"]),
        "Billing plan tier",
    );
    add_custom_attribute(state, "contact", "seats", "integer", None, "Paid seats");
    add_custom_attribute(
        state,
        "company",
        "churn_score",
        "float",
        None,
        "Churn model score",
    );

    let priority = state.next_id();
    let options = ["Billing", "Bug", "Outage"]
        .iter()
        .map(|label| ConversationOption {
            id: state.next_uuid(),
            label: label.to_string(),
            archived: false,
        })
        .collect();
    let admin_id = state.me_id();
    state.conversation_attributes.insert(
        priority,
        ConversationAttribute {
            id: priority,
            name: "Contact reason".to_string(),
            description: "Why the customer wrote in".to_string(),
            data_type: "list".to_string(),
            required: false,
            visible_to_team_ids: Vec::new(),
            archived: false,
            created_at: EPOCH,
            updated_at: EPOCH,
            admin_id: admin_id.clone(),
            multiline: false,
            options,
            reference: None,
        },
    );
    let escalated = state.next_id();
    state.conversation_attributes.insert(
        escalated,
        ConversationAttribute {
            id: escalated,
            name: "Escalated".to_string(),
            description: String::new(),
            data_type: "boolean".to_string(),
            required: false,
            visible_to_team_ids: vec![support.to_string()],
            archived: false,
            created_at: EPOCH,
            updated_at: EPOCH,
            admin_id,
            multiline: false,
            options: Vec::new(),
            reference: None,
        },
    );

    let vip = add_tag(state, "VIP");
    add_tag(state, "Beta tester");
    add_tag(state, "Churn risk");

    for (name, person_type, count, tag) in [
        ("Active trials", "user", 3, None),
        ("Churned", "user", 1, None),
        ("VIP customers", "user", 2, Some(vip)),
    ] {
        let n = state.next_id();
        state.segments.push(Segment {
            id: format!(
                "{:024x}",
                0x6762_f25c_0000_0000_0000_0000u128 + u128::from(n)
            ),
            name: name.to_string(),
            person_type: person_type.to_string(),
            count,
            tag_id: tag,
            created_at: EPOCH,
            updated_at: EPOCH,
        });
    }

    add_audience(
        state,
        "Enterprise accounts",
        vec![predicate(
            "custom_attributes.plan_tier",
            "string",
            "eq",
            "enterprise",
        )],
    );

    let schedule = add_schedule(
        state,
        "Standard Support Hours",
        "America/New_York",
        weekdays_nine_to_five(),
    );
    let exception = state.next_id();
    state.exceptions.insert(
        exception,
        Exception {
            id: exception,
            schedule_id: schedule,
            exception_date: "2026-12-25".to_string(),
            exception_type: "closed".to_string(),
            name: Some("Christmas Day".to_string()),
            time_intervals: None,
            recurring_annually: true,
            created_at: EPOCH,
            updated_at: EPOCH,
        },
    );

    add_contact(
        state,
        Some("ada@example.com"),
        Some("user-1001"),
        "Ada Lovelace",
    );
    add_contact(
        state,
        Some("grace@example.com"),
        Some("user-1002"),
        "Grace Hopper",
    );
    add_contact(
        state,
        Some("alan@example.com"),
        Some("user-1003"),
        "Alan Turing",
    );
    add_contact(
        state,
        Some("edsger@example.com"),
        Some("user-1004"),
        "Edsger Dijkstra",
    );
    add_contact(state, Some("lead@example.com"), None, "Anonymous Lead");

    for (order, (label, emoji, deleted)) in [
        ("On a break", "\u{2615}", false),
        ("In a meeting", "\u{1f4c5}", false),
        ("Out for lunch", "\u{1f355}", true),
        ("Focus time", "\u{1f3a7}", false),
    ]
    .into_iter()
    .enumerate()
    {
        let id = state.next_id();
        state.away_reasons.push(AwayReason {
            id,
            label: label.to_string(),
            emoji: emoji.to_string(),
            order: order as i64 + 1,
            deleted,
        });
    }

    add_brand(
        state,
        PREMIUM_BRAND_ID,
        "Sandbox Premium",
        EPOCH - 90 * 86_400,
    );
    add_references(state, sales, onboarding);
    help_center_content(state);
}

/// First id of the seeded collections, and of the seeded articles: fixed, outside the
/// sequential counter, so the help center moves no other object's id.
const SEED_COLLECTION_ID: u64 = 700_001;
const SEED_ARTICLE_ID: u64 = 800_001;

/// A seeded article: its collection (offset), title, description, state, and Markdown (`Ok`)
/// or HTML only (`Err`).
type SeedArticle = (
    u64,
    &'static str,
    &'static str,
    &'static str,
    Result<&'static str, &'static str>,
);

/// The default seed's help centers: in the default one, collections `Getting started` and
/// `Billing`, the latter holding `Invoices`; in the premium brand's (`sandbox-premium`), the
/// collection `Premium support`; five articles, one a draft, two written as HTML only (no
/// `body_markdown`, as Intercom's editor leaves them).
fn help_center_content(state: &mut State) {
    let author = state.me;
    let collections = [
        (
            0,
            "Getting started",
            Some("First steps with Sandbox Co."),
            None,
        ),
        (1, "Billing", Some("Plans, payments and invoices."), None),
        (2, "Invoices", None, Some(1)),
        (
            3,
            "Premium support",
            Some("For Sandbox Premium customers."),
            None,
        ),
    ];
    // The premium brand's help center, so that a workspace with several is exercised; it
    // holds `Premium support`.
    state.help_centers.push(HelpCenter {
        id: PREMIUM_HELP_CENTER_ID,
        identifier: "sandbox-premium".to_string(),
        display_name: "Sandbox Premium Help".to_string(),
        website_turned_on: true,
        default: false,
        created_at: EPOCH - 90 * 86_400,
        updated_at: EPOCH,
        locales: vec!["en".to_string()],
    });
    for (n, name, description, parent) in collections {
        let id = SEED_COLLECTION_ID + n;
        state.collections.insert(
            id,
            Collection {
                id,
                name: name.to_string(),
                description: description.map(str::to_string),
                parent_id: parent.map(|p| SEED_COLLECTION_ID + p),
                help_center_id: if n == 3 {
                    PREMIUM_HELP_CENTER_ID
                } else {
                    DEFAULT_HELP_CENTER_ID
                },
                order: n as i64,
                created_at: EPOCH - 60 * 86_400,
                updated_at: EPOCH - 60 * 86_400,
                translations: Default::default(),
            },
        );
    }
    let articles: [SeedArticle; 5] = [
        (
            0,
            "Create your account",
            "Sign up in two minutes.",
            "published",
            Ok(
                "# Create your account\n\nOpen the sign-up page and enter your work e-mail.\n\n- Pick a password\n- Confirm your e-mail\n",
            ),
        ),
        (
            0,
            "Invite your team",
            "",
            "published",
            Err(
                "<h2>Invite your team</h2><p>Go to <strong>Settings</strong> and choose <a href=\"https://example.com/invite\">Invite</a>.</p><ul><li>Teammates get an e-mail</li><li>Links expire after 7 days</li></ul>",
            ),
        ),
        (
            1,
            "Change your plan",
            "Upgrade or downgrade at any time.",
            "published",
            Ok(
                "Plans change at the end of the billing period.\n\nOpen **Billing** and pick a plan.\n",
            ),
        ),
        (
            2,
            "Download an invoice",
            "",
            "published",
            Err(
                "<p>Every invoice is in <em>Billing → Invoices</em>.</p><p>Click one to download it as a PDF.</p>",
            ),
        ),
        (
            2,
            "Refund policy",
            "Draft: not reviewed yet.",
            "draft",
            Ok("Refunds are possible within 14 days.\n"),
        ),
    ];
    for (n, (collection, title, description, article_state, body)) in
        articles.into_iter().enumerate()
    {
        let id = SEED_ARTICLE_ID + n as u64;
        let (body, body_markdown) = match body {
            Ok(markdown) => (
                super::help_center::markdown_to_html(markdown),
                Some(markdown.to_string()),
            ),
            Err(html) => (html.to_string(), None),
        };
        state.articles.insert(
            id,
            Article {
                id,
                title: title.to_string(),
                description: Some(description.to_string()),
                body,
                body_markdown,
                author_id: author,
                state: article_state.to_string(),
                parent_id: Some(SEED_COLLECTION_ID + collection),
                created_at: EPOCH - 30 * 86_400,
                updated_at: EPOCH - 30 * 86_400,
                translations: Default::default(),
            },
        );
    }
}

/// Macros and subscription types, with fixed ids outside the sequential counter (like brands).
/// One macro is visible only to Sales, which alice (the token's admin) is not in, so the API
/// never lists it.
fn add_references(state: &mut State, sales: u64, onboarding: u64) {
    let day = 86_400;
    for (i, (name, body, teams, on, age)) in [
        (
            "Thank You Response",
            "Thank you for reaching out! We will get back to you soon.",
            vec![],
            vec!["inbox", "messenger"],
            40,
        ),
        (
            "Refund Process",
            "Hi {{user.first_name|fallback:\"there\"}}, your refund is on its way.",
            vec![],
            vec!["inbox"],
            20,
        ),
        (
            "Welcome Aboard",
            "Welcome! I'm {{teammate.name}}. How can I help?",
            vec![onboarding],
            vec!["inbox", "messenger"],
            10,
        ),
        (
            "Discount Offer",
            "Here is 10% off your next renewal.",
            vec![sales],
            vec!["inbox"],
            5,
        ),
    ]
    .into_iter()
    .enumerate()
    {
        state.macros.push(Macro {
            id: MACRO_ID + i as u64,
            name: name.to_string(),
            body_text: body.to_string(),
            visible_to: if teams.is_empty() {
                "everyone"
            } else {
                "specific_teams"
            }
            .to_string(),
            visible_to_team_ids: teams,
            available_on: on.into_iter().map(str::to_string).collect(),
            created_at: EPOCH - age * day,
            updated_at: EPOCH - age * day + 3600,
        });
    }
    for (i, (name, description, state_, consent, french)) in [
        (
            "Newsletters",
            "Monthly product news",
            "live",
            "opt_out",
            Some("Lettres d'information"),
        ),
        (
            "Product updates",
            "Release notes and new features",
            "live",
            "opt_in",
            None,
        ),
        (
            "Webinars",
            "Invitations to live sessions",
            "archived",
            "opt_out",
            None,
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let mut translations = vec![Translation {
            name: name.to_string(),
            description: description.to_string(),
            locale: "en".to_string(),
        }];
        if let Some(fr) = french {
            translations.push(Translation {
                name: fr.to_string(),
                description: description.to_string(),
                locale: "fr".to_string(),
            });
        }
        state.subscription_types.push(SubscriptionType {
            id: SUBSCRIPTION_TYPE_ID + i as u64,
            state: state_.to_string(),
            consent_type: consent.to_string(),
            translations,
            content_types: vec!["email".to_string()],
        });
    }
}

/// The first seeded macro's id.
const MACRO_ID: u64 = 70_001;

/// The first seeded subscription type's id.
const SUBSCRIPTION_TYPE_ID: u64 = 80_001;

fn large_content(state: &mut State) {
    let mut i = 0;
    while state.admins.len() < 300 {
        i += 1;
        add_admin(
            state,
            &format!("Teammate {i:03}"),
            &format!("teammate{i:03}@example.com"),
            None,
        );
    }
    let admin_ids: Vec<u64> = state.admins.keys().copied().collect();
    let mut i = 0;
    while state.teams.len() < 100 {
        i += 1;
        let method = if i % 2 == 0 {
            "load_balanced"
        } else {
            "round_robin"
        };
        let start = (i * 3) % admin_ids.len();
        let members: Vec<u64> = admin_ids
            .iter()
            .cycle()
            .skip(start)
            .take(3)
            .copied()
            .collect();
        add_team(state, &format!("Team {i:03}"), Some(method), &members);
    }
    let mut i = 0;
    while state.data_attributes.iter().filter(|a| a.custom).count() < 200 {
        i += 1;
        let model = if i % 2 == 0 { "company" } else { "contact" };
        add_custom_attribute(state, model, &format!("attr_{i:03}"), "string", None, "");
    }
    let mut i = 0;
    while state.tags.len() < 5000 {
        i += 1;
        add_tag(state, &format!("tag-{i:04}"));
    }
    let mut i = 0;
    while state.audiences.len() < 500 {
        i += 1;
        add_audience(
            state,
            &format!("Audience {i:03}"),
            vec![predicate(
                "company.name",
                "string",
                "contains",
                &format!("Acme {i}"),
            )],
        );
    }
    let mut i = 0;
    while state.schedules.len() < 50 {
        i += 1;
        add_schedule(
            state,
            &format!("Schedule {i:02}"),
            "Europe/Dublin",
            weekdays_nine_to_five(),
        );
    }
    let mut i = 0;
    while state.contacts.len() < 1000 {
        i += 1;
        add_contact(
            state,
            Some(&format!("user{i:04}@example.com")),
            Some(&format!("user-{:04}", 2000 + i)),
            &format!("User {i:04}"),
        );
    }
    for i in 1..=3 {
        add_brand(
            state,
            PREMIUM_BRAND_ID + i,
            &format!("Brand {i:02}"),
            EPOCH - 30 * 86_400,
        );
    }
}

/// One built-in attribute: (name, full_name, label, description, data_type, api_writable).
type Builtin = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    bool,
);

/// Intercom's standard contact attributes (names from the API reference and help center).
#[rustfmt::skip]
const CONTACT_BUILTINS: &[Builtin] = &[
    ("id", "id", "ID", "The Intercom defined id representing the contact", "string", false),
    ("name", "name", "Name", "A person's full name", "string", true),
    ("email", "email", "Email", "A person's email address", "string", true),
    ("phone", "phone", "Phone", "A person's phone number", "string", true),
    ("user_id", "user_id", "User ID", "A unique identifier for a person", "string", true),
    ("external_id", "external_id", "External ID", "Your identifier for the contact", "string", true),
    ("role", "role", "Role", "The role of the contact: user or lead", "string", false),
    ("signed_up_at", "signed_up_at", "Signed up", "The time a person signed up", "date", true),
    ("last_seen_at", "last_seen_at", "Last seen", "The last time a person visited your product", "date", true),
    ("created_at", "created_at", "First seen", "The time the contact was added to Intercom", "date", false),
    ("updated_at", "updated_at", "Updated at", "The last time the contact was updated", "date", false),
    ("last_contacted_at", "last_contacted_at", "Last contacted", "The last time a teammate contacted this person", "date", false),
    ("last_replied_at", "last_replied_at", "Last heard from", "The last time this person replied", "date", false),
    ("last_email_opened_at", "last_email_opened_at", "Last opened email", "The last time this person opened an email", "date", false),
    ("last_email_clicked_at", "last_email_clicked_at", "Last clicked on link in email", "The last time this person clicked a link in an email", "date", false),
    ("session_count", "session_count", "Web sessions", "The number of times a person visited your site or app", "integer", false),
    ("browser", "browser", "Browser", "The browser a person last used", "string", false),
    ("browser_language", "browser_language", "Browser language", "The language of a person's browser", "string", false),
    ("browser_version", "browser_version", "Browser version", "The version of a person's browser", "string", false),
    ("os", "os", "OS", "The operating system a person last used", "string", false),
    ("language_override", "language_override", "Language override", "The language a person chose for the Messenger", "string", true),
    ("unsubscribed_from_emails", "unsubscribed_from_emails", "Unsubscribed from emails", "Whether a person has unsubscribed from emails", "boolean", true),
    ("marked_email_as_spam", "marked_email_as_spam", "Marked email as spam", "Whether a person marked an email as spam", "boolean", false),
    ("has_hard_bounced", "has_hard_bounced", "Has hard bounced", "Whether an email to a person has hard bounced", "boolean", false),
    ("owner_id", "owner_id", "Owner", "The teammate who owns this contact", "integer", true),
    ("image_url", "avatar.image_url", "Avatar", "The URL of a person's avatar", "string", true),
    ("city_name", "location.city_name", "City", "The city a person is in", "string", false),
    ("region_name", "location.region_name", "Region", "The region a person is in", "string", false),
    ("country_name", "location.country_name", "Country", "The country a person is in", "string", false),
    ("timezone", "location.timezone", "Timezone", "The time zone a person is in", "string", false),
    ("utm_source", "utm_source", "UTM Source", "The UTM source of a person's first visit", "string", false),
    ("utm_campaign", "utm_campaign", "UTM Campaign", "The UTM campaign of a person's first visit", "string", false),
];

/// Intercom's standard company attributes (from the spec's `GET /data_attributes` example).
#[rustfmt::skip]
const COMPANY_BUILTINS: &[Builtin] = &[
    ("name", "name", "Company name", "The name of a company", "string", true),
    ("company_id", "company_id", "Company ID", "A number identifying a company", "string", false),
    ("last_request_at", "last_request_at", "Company last seen", "The last day anyone from a company visited your site or app", "date", false),
    ("remote_created_at", "remote_created_at", "Company created at", "The day a company was added to Intercom", "date", true),
    ("user_count", "user_count", "People", "The number of people in a company", "integer", false),
    ("session_count", "session_count", "Company web sessions", "All visits from anyone in a company to your product's site or app", "integer", false),
    ("name", "plan.name", "Plan", "A specific plan or level within your product that companies have signed up to", "string", false),
    ("monthly_spend", "monthly_spend", "Monthly Spend", "The monthly revenue you receive from a company", "float", true),
    ("size", "size", "Company size", "The number of people employed in this company, expressed as a single number", "integer", true),
    ("industry", "industry", "Company industry", "The category or domain this company belongs to e.g. 'ecommerce' or 'SaaS'", "string", true),
    ("website", "website", "Company website", "The web address for the company's primary marketing site", "string", true),
    ("id", "id", "ID", "The Intercom defined id representing the company", "string", false),
    ("created_at", "created_at", "Created at", "The time the company was added to Intercom", "date", false),
    ("updated_at", "updated_at", "Updated at", "The last time the company was updated", "date", false),
    ("id", "plan.id", "Plan ID", "The Intercom defined id representing the plan", "string", false),
    ("app_id", "app_id", "App ID", "The Intercom defined id representing the app", "string", false),
];

fn builtin_attributes() -> Vec<DataAttribute> {
    let one = |model: &str, b: &Builtin| DataAttribute {
        id: None,
        model: model.to_string(),
        name: b.0.to_string(),
        full_name: b.1.to_string(),
        label: b.2.to_string(),
        description: Some(b.3.to_string()),
        data_type: b.4.to_string(),
        options: None,
        api_writable: b.5,
        ui_writable: false,
        messenger_writable: true,
        custom: false,
        archived: false,
        admin_id: None,
        created_at: None,
        updated_at: None,
    };
    CONTACT_BUILTINS
        .iter()
        .map(|b| one("contact", b))
        .chain(COMPANY_BUILTINS.iter().map(|b| one("company", b)))
        .collect()
}
