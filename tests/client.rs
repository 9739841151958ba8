//! The Intercom client against the embedded sandbox: every read and write, auth and workspace
//! guards, rate limits, injected faults, and no duplicates after ambiguous failures.

mod support;

use std::collections::BTreeMap;
use std::time::Duration;

use intercom_iac::intercom::{
    ApiError, Client, ClientOptions, Event, EventUser, FetchError, check_workspace,
};
use intercom_iac::kinds::{Scope, fetch_live};
use intercom_iac::model::{
    AttributeModel, AudienceChanges, ConversationAttributeChanges, ConversationAttributeType,
    DataAttributeChanges, DataAttributeType, Kind, NewAudience, NewConversationAttribute,
    NewDataAttribute, NewOfficeHoursException, NewOfficeHoursSchedule, OfficeHoursExceptionChanges,
    OfficeHoursScheduleChanges, Predicate, TeamMembers, WeeklyInterval,
};
use intercom_iac::sandbox::{Sandbox, SandboxOptions, Seed};
use support::{LiveExt, endpoint_client, stats_async};

const TOKEN: &str = "sbx_test_token_7f3a9c";

async fn sandbox(opts: SandboxOptions) -> Sandbox {
    Sandbox::start(opts).await.expect("the sandbox starts")
}

fn options() -> ClientOptions {
    ClientOptions {
        // The sandbox's slow fault answers after 35 s; give up well before.
        timeout: Duration::from_secs(2),
        backoff_base: Duration::from_millis(20),
        backoff_max: Duration::from_millis(200),
        ..ClientOptions::default()
    }
}

fn client(sb: &Sandbox, token: &str) -> Client {
    endpoint_client(&sb.url(), token, options())
}

fn interval(start: u32, end: u32) -> WeeklyInterval {
    WeeklyInterval {
        start_minute: start,
        end_minute: end,
    }
}

#[tokio::test]
async fn reads_every_kind_with_one_call_per_kind() {
    let sb = sandbox(SandboxOptions::default()).await;
    let client = client(&sb, TOKEN);
    let me = client.me().await.unwrap();
    assert_eq!(me.app.id_code, "sbx4c0de");
    assert_eq!(me.email, "alice@example.com");
    check_workspace(&me, Some("sbx4c0de")).unwrap();

    let live = fetch_live(&client, &Scope::all()).await.unwrap();
    for kind in Kind::ALL.into_iter().filter(|k| *k != Kind::Events) {
        assert!(live.fetched.contains(&kind), "{kind} not fetched");
    }
    assert_eq!(live.admins.len(), 6);
    let plan = live
        .data_attributes()
        .into_iter()
        .find(|a| a.name == "plan_tier")
        .unwrap();
    assert_eq!(plan.model, AttributeModel::Contact);
    assert_eq!(plan.data_type, DataAttributeType::List);
    assert_eq!(plan.options, ["free", "pro", "enterprise"]);
    assert!(plan.custom && plan.id.is_some());
    assert!(live.data_attributes().into_iter().any(|a| !a.custom));
    let churn = live
        .data_attributes()
        .into_iter()
        .find(|a| a.name == "churn_score")
        .unwrap();
    assert_eq!(
        (churn.model, churn.data_type),
        (AttributeModel::Company, DataAttributeType::Float)
    );

    let reason = live
        .conversation_attributes()
        .iter()
        .find(|a| a.name == "Contact reason")
        .unwrap();
    assert_eq!(reason.data_type, ConversationAttributeType::List);
    assert_eq!(reason.options.len(), 3);
    let support = live.teams().iter().find(|t| t.name == "Support").unwrap();
    assert!(support.is_load_balanced());
    let carol = live
        .admins
        .iter()
        .find(|a| a.email == "carol@example.com")
        .unwrap();
    assert_eq!(support.secondary_admin_ids, std::slice::from_ref(&carol.id));
    assert_eq!(live.tags().len(), 3);
    assert_eq!(live.segments().len(), 3);
    assert_eq!(live.audiences()[0].name, "Enterprise accounts");
    let schedule = &live.office_hours()[0];
    assert_eq!(schedule.intervals.len(), 5);
    let exceptions = schedule.exceptions.as_ref().unwrap();
    assert_eq!(exceptions[0].date, "2026-12-25");
    assert!(exceptions[0].closed && exceptions[0].recurring);

    // `/me` once, one list per kind (two for data attributes, admins with teams, none for
    // events, three for help center collections: they, the articles they hold and the help
    // centers they may name), one exception list per schedule.
    let counts = client.request_counts();
    assert_eq!(counts.total, 1 + 18 + 1 + 3, "{counts:?}");
    assert_eq!(counts.by_method.get("GET"), Some(&23));
    assert_eq!(stats_async(&sb.url()).await["total_calls"], 23);
}

#[tokio::test]
async fn reads_only_the_kinds_in_scope() {
    let sb = sandbox(SandboxOptions::default()).await;
    let client = client(&sb, TOKEN);
    let live = fetch_live(&client, &Scope::only([Kind::Tags, Kind::OfficeHours]))
        .await
        .unwrap();
    assert_eq!(live.tags().len(), 3);
    assert_eq!(live.office_hours()[0].exceptions, None);
    assert!(live.teams().is_empty() && live.admins.is_empty());
    assert_eq!(
        live.fetched.iter().copied().collect::<Vec<_>>(),
        [Kind::Tags, Kind::OfficeHours]
    );
    assert_eq!(client.request_counts().total, 3);
}

#[tokio::test]
async fn paging_reads_every_page_of_a_large_workspace() {
    let sb = sandbox(SandboxOptions {
        seed: Seed::Large,
        ..SandboxOptions::default()
    })
    .await;
    let client = client(&sb, TOKEN);
    let live = fetch_live(&client, &Scope::only([Kind::Audiences, Kind::Tags]))
        .await
        .unwrap();
    assert!(live.audiences().len() >= 500, "{}", live.audiences().len());
    let mut names: Vec<_> = live.audiences().iter().map(|a| a.name.as_str()).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), live.audiences().len(), "a page was read twice");
    assert!(live.tags().len() >= 5000, "{}", live.tags().len());
    let audience_pages = live.audiences().len().div_ceil(50) as u64;
    assert_eq!(client.request_counts().total, 1 + 1 + audience_pages);
}

#[tokio::test]
async fn writes_every_kind_and_reads_them_back() {
    let sb = sandbox(SandboxOptions::default()).await;
    let client = client(&sb, TOKEN);
    let live = fetch_live(&client, &Scope::all()).await.unwrap();

    // Data attributes: create a list, change its options, archive it.
    let created = client
        .create_data_attribute(&NewDataAttribute {
            model: AttributeModel::Contact,
            name: "region".into(),
            data_type: DataAttributeType::List,
            options: vec!["emea".into(), "amer".into()],
            description: Some("Sales region".into()),
            messenger_writable: None,
        })
        .await
        .unwrap();
    assert_eq!(created.data_type, DataAttributeType::List);
    assert_eq!(created.options, ["emea", "amer"]);
    let updated = client
        .update_data_attribute(
            &created,
            &DataAttributeChanges {
                options: Some(vec!["emea".into(), "amer".into(), "apac".into()]),
                description: Some("Region".into()),
                messenger_writable: Some(true),
                ..DataAttributeChanges::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(updated.options.len(), 3);
    assert!(updated.messenger_writable);
    let archived = client
        .update_data_attribute(
            &updated,
            &DataAttributeChanges {
                archived: Some(true),
                ..DataAttributeChanges::default()
            },
        )
        .await
        .unwrap();
    assert!(archived.archived);
    let seats = client
        .create_data_attribute(&NewDataAttribute {
            model: AttributeModel::Company,
            name: "licences".into(),
            data_type: DataAttributeType::Integer,
            options: vec![],
            description: None,
            messenger_writable: None,
        })
        .await
        .unwrap();
    assert_eq!(seats.data_type, DataAttributeType::Integer);

    // Conversation attributes and their options.
    let support = live.teams().iter().find(|t| t.name == "Support").unwrap();
    let severity = client
        .create_conversation_attribute(&NewConversationAttribute {
            name: "Severity".into(),
            data_type: ConversationAttributeType::List,
            description: Some("How bad".into()),
            required: None,
            visible_to_team_ids: Some(vec![support.id.clone()]),
            multiline: None,
            options: vec!["Low".into(), "High".into()],
        })
        .await
        .unwrap();
    assert_eq!(severity.options.len(), 2);
    assert_eq!(
        severity.visible_to_team_ids,
        std::slice::from_ref(&support.id)
    );
    let severity = client
        .add_conversation_attribute_option(&severity, "Critical")
        .await
        .unwrap();
    let low = severity.options.iter().find(|o| o.label == "Low").unwrap();
    let severity = client
        .rename_conversation_attribute_option(&severity, low, "Minor")
        .await
        .unwrap();
    let minor = severity
        .options
        .iter()
        .find(|o| o.label == "Minor")
        .unwrap();
    let severity = client
        .archive_conversation_attribute_option(&severity, minor)
        .await
        .unwrap();
    assert!(
        severity
            .options
            .iter()
            .any(|o| o.label == "Minor" && o.archived)
    );
    let renamed = client
        .update_conversation_attribute(
            &severity,
            &ConversationAttributeChanges {
                name: Some("Impact".into()),
                required: Some(true),
                ..ConversationAttributeChanges::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(renamed.name, "Impact");
    assert!(renamed.required);
    let archived = client
        .archive_conversation_attribute(&renamed)
        .await
        .unwrap();
    assert!(archived.archived);

    // Tags: upsert, rename, delete; a tag a segment uses cannot be deleted.
    let tag = client.create_tag("Partner").await.unwrap();
    assert_eq!(client.create_tag("Partner").await.unwrap().id, tag.id);
    let tag = client.rename_tag(&tag, "Partners").await.unwrap();
    assert_eq!(tag.name, "Partners");
    client.delete_tag(&tag).await.unwrap();
    let vip = live.tags().iter().find(|t| t.name == "VIP").unwrap();
    let err = client.delete_tag(vip).await.unwrap_err();
    assert_eq!(err.code(), Some("tag_has_dependent_objects"), "{err}");
    assert!(err.to_string().contains("tag[\"VIP\"]"), "{err}");

    // Team membership (Preview).
    let frank = live
        .admins
        .iter()
        .find(|a| a.email == "frank@example.com")
        .unwrap();
    let mut members = support.admin_ids.clone();
    members.push(frank.id.clone());
    let team = client
        .update_team_members(
            support,
            &TeamMembers {
                admin_ids: members.clone(),
                secondary_admin_ids: Some(vec![frank.id.clone()]),
            },
        )
        .await
        .unwrap();
    assert_eq!(team.admin_ids.len(), members.len());
    assert!(team.secondary_admin_ids.contains(&frank.id));

    // Audiences.
    let predicate = Predicate {
        attribute: "company.name".into(),
        value_type: "string".into(),
        comparison: "contains".into(),
        value: "Acme".into(),
    };
    let audience = client
        .create_audience(&NewAudience {
            name: "Acme".into(),
            predicates: Some(vec![predicate.clone()]),
            role_predicates: Some(vec![]),
        })
        .await
        .unwrap();
    assert_eq!(audience.predicates, [predicate]);
    let audience = client
        .update_audience(
            &audience,
            &AudienceChanges {
                name: Some("Acme Inc".into()),
                ..AudienceChanges::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(audience.name, "Acme Inc");
    assert_eq!(audience.predicates.len(), 1);
    client.delete_audience(&audience).await.unwrap();

    // Office hours and exceptions.
    let schedule = client
        .create_office_hours_schedule(&NewOfficeHoursSchedule {
            name: "Weekend".into(),
            time_zone: "Europe/Dublin".into(),
            intervals: vec![interval(5 * 1440 + 600, 5 * 1440 + 960)],
        })
        .await
        .unwrap();
    assert_eq!(schedule.intervals.len(), 1);
    let schedule = client
        .update_office_hours_schedule(
            &schedule,
            &OfficeHoursScheduleChanges {
                intervals: Some(vec![
                    interval(5 * 1440 + 600, 5 * 1440 + 960),
                    interval(6 * 1440 + 600, 6 * 1440 + 960),
                ]),
                ..OfficeHoursScheduleChanges::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(schedule.intervals.len(), 2);
    assert_eq!(schedule.name, "Weekend");
    let exception = client
        .create_office_hours_exception(
            &schedule,
            &NewOfficeHoursException {
                date: "2026-12-26".into(),
                name: Some("St Stephen's Day".into()),
                closed: true,
                intervals: vec![],
                recurring: Some(true),
            },
        )
        .await
        .unwrap();
    assert!(exception.closed);
    let exception = client
        .update_office_hours_exception(
            &schedule,
            &exception,
            &OfficeHoursExceptionChanges {
                closed: false,
                intervals: vec![interval(600, 780)],
                ..OfficeHoursExceptionChanges::default()
            },
        )
        .await
        .unwrap();
    assert!(!exception.closed);
    assert_eq!(exception.intervals, [interval(600, 780)]);
    client
        .delete_office_hours_exception(&schedule, &exception)
        .await
        .unwrap();
    client
        .delete_office_hours_schedule(&schedule)
        .await
        .unwrap();

    // Events.
    let event = |user| Event {
        event_name: "ordered-item".into(),
        created_at: 1_767_225_600,
        user,
        metadata: serde_json::json!({"sku": "A-1"})
            .as_object()
            .unwrap()
            .clone(),
    };
    client
        .submit_event(&event(EventUser::Email("ada@example.com".into())))
        .await
        .unwrap();
    let err = client
        .submit_event(&event(EventUser::UserId("nobody".into())))
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::UnknownUser(_)), "{err:?}");

    // Everything reads back as written.
    let after = fetch_live(&client, &Scope::all()).await.unwrap();
    let region = after
        .data_attributes()
        .into_iter()
        .find(|a| a.name == "region")
        .unwrap();
    assert!(region.archived && region.options.len() == 3);
    assert!(
        after
            .conversation_attributes()
            .iter()
            .any(|a| a.name == "Impact" && a.archived)
    );
    assert!(!after.tags().iter().any(|t| t.name.starts_with("Partner")));
    assert!(!after.audiences().iter().any(|a| a.name.starts_with("Acme")));
    assert_eq!(after.office_hours().len(), 1);
    let support = after.teams().iter().find(|t| t.name == "Support").unwrap();
    assert!(support.admin_ids.contains(&frank.id));
    assert_eq!(stats_async(&sb.url()).await["events_received"], 1);
}

#[tokio::test]
async fn a_wrong_token_is_refused_with_a_hint_and_without_the_token() {
    let sb = sandbox(SandboxOptions {
        token: Some(TOKEN.into()),
        ..SandboxOptions::default()
    })
    .await;
    let wrong = "wrong_token_d41d8cd9";
    let client = client(&sb, wrong);
    let err = client.me().await.unwrap_err();
    assert!(matches!(err, ApiError::Unauthorized(_)), "{err:?}");
    assert_eq!(err.status(), Some(401));
    let shown = err.to_string();
    assert!(shown.contains("check INTERCOM_ACCESS_TOKEN"), "{shown}");
    assert!(shown.contains("GET /me"), "{shown}");
    for text in [shown, format!("{err:?}"), format!("{client:?}")] {
        assert!(!text.contains(wrong), "{text}");
    }
    // Not retried.
    assert_eq!(client.request_counts().total, 1);
    let err = fetch_live(&client, &Scope::all()).await.unwrap_err();
    assert!(
        matches!(err, FetchError::Api(ApiError::Unauthorized(_))),
        "{err:?}"
    );
}

#[tokio::test]
async fn the_workspace_guard_names_both_workspaces() {
    let sb = sandbox(SandboxOptions::default()).await;
    let me = client(&sb, TOKEN).me().await.unwrap();
    let err = check_workspace(&me, Some("prod9876")).unwrap_err();
    let shown = err.to_string();
    assert!(
        shown.contains("sbx4c0de") && shown.contains("prod9876"),
        "{shown}"
    );
    assert!(check_workspace(&me, None).is_ok());
}

#[tokio::test]
async fn a_small_rate_limit_slows_calls_down_but_none_fail() {
    let sb = sandbox(SandboxOptions {
        rate_limit: Some(4),
        rate_window: Duration::from_secs(1),
        ..SandboxOptions::default()
    })
    .await;
    let client = endpoint_client(
        &sb.url(),
        TOKEN,
        ClientOptions {
            rate_window: Duration::from_secs(1),
            ..options()
        },
    );
    client.me().await.unwrap();
    // Fourteen concurrent reads across clones of one client share one limiter.
    let mut tasks = Vec::new();
    for _ in 0..2 {
        let c = client.clone();
        tasks.push(tokio::spawn(async move {
            fetch_live(&c, &Scope::all()).await.map(|l| l.tags().len())
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap(), 3);
    }
    let s = stats_async(&sb.url()).await;
    assert_eq!(s["total_calls"], client.request_counts().total);
    // One client's limiter never sends what the window has no room for.
    assert_eq!(s["rate_limited"], 0, "{s}");
}

#[tokio::test]
async fn two_clients_sharing_a_small_limit_wait_out_429s() {
    let sb = sandbox(SandboxOptions {
        rate_limit: Some(3),
        rate_window: Duration::from_secs(1),
        ..SandboxOptions::default()
    })
    .await;
    let opts = ClientOptions {
        rate_window: Duration::from_secs(1),
        ..options()
    };
    // Separate clients have separate limiters, so together they overshoot and meet 429s,
    // which they must wait out and retry.
    let mut tasks = Vec::new();
    let mut clients = Vec::new();
    for _ in 0..2 {
        let c = endpoint_client(&sb.url(), TOKEN, opts.clone());
        clients.push(c.clone());
        tasks.push(tokio::spawn(async move {
            let live = fetch_live(&c, &Scope::all()).await?;
            let tag = c.create_tag("Rate test").await.map_err(FetchError::Api)?;
            Ok::<_, FetchError>((live.tags().len(), tag.name))
        }));
    }
    for t in tasks {
        let (tags, created) = t.await.unwrap().unwrap();
        // Three seeded tags, plus "Rate test" if the other client created it first.
        assert!((3..=4).contains(&tags), "{tags}");
        assert_eq!(created, "Rate test");
    }
    let s = stats_async(&sb.url()).await;
    let sent: u64 = clients.iter().map(|c| c.request_counts().total).sum();
    assert_eq!(s["total_calls"], sent);
    assert!(
        s["rate_limited"].as_u64().unwrap() > 0,
        "no 429 was exercised: {s}"
    );
}

#[tokio::test]
async fn injected_faults_are_retried_until_reads_succeed() {
    let sb = sandbox(SandboxOptions {
        fault_rate: 0.25,
        fault_seed: 7,
        ..SandboxOptions::default()
    })
    .await;
    let client = client(&sb, TOKEN);
    let live = fetch_live(&client, &Scope::all()).await.unwrap();
    assert_eq!(live.tags().len(), 3);
    assert_eq!(live.teams().len(), 3);
    let s = stats_async(&sb.url()).await;
    assert!(s["faults_injected"].as_u64().unwrap() > 0, "{s}");
    assert_eq!(s["total_calls"], client.request_counts().total);
}

#[tokio::test]
async fn creates_never_duplicate_under_faults() {
    let sb = sandbox(SandboxOptions {
        fault_rate: 0.3,
        fault_seed: 42,
        seed: Seed::Empty,
        ..SandboxOptions::default()
    })
    .await;
    let client = client(&sb, TOKEN);
    let mut outcomes = BTreeMap::new();
    for i in 0..8 {
        let name = format!("attr_{i}");
        let r = client
            .create_data_attribute(&NewDataAttribute {
                model: AttributeModel::Contact,
                name: name.clone(),
                data_type: DataAttributeType::List,
                options: vec!["a".into(), "b".into()],
                description: None,
                messenger_writable: None,
            })
            .await;
        outcomes.insert(name, r.is_ok());
        let name = format!("Audience {i}");
        let r = client
            .create_audience(&NewAudience {
                name: name.clone(),
                predicates: Some(vec![]),
                role_predicates: Some(vec![]),
            })
            .await;
        outcomes.insert(name, r.is_ok());
        let name = format!("Schedule {i}");
        let r = client
            .create_office_hours_schedule(&NewOfficeHoursSchedule {
                name: name.clone(),
                time_zone: "UTC".into(),
                intervals: vec![interval(540, 1020)],
            })
            .await;
        outcomes.insert(name, r.is_ok());
        let name = format!("Conv {i}");
        let r = client
            .create_conversation_attribute(&NewConversationAttribute {
                name: name.clone(),
                data_type: ConversationAttributeType::String,
                description: None,
                required: None,
                visible_to_team_ids: None,
                multiline: Some(false),
                options: vec![],
            })
            .await;
        outcomes.insert(name, r.is_ok());
    }
    let s = stats_async(&sb.url()).await;
    assert!(s["faults_injected"].as_u64().unwrap() > 0, "{s}");

    // The kinds written above, still under faults.
    let written = [
        Kind::ContactAttributes,
        Kind::CompanyAttributes,
        Kind::Audiences,
        Kind::OfficeHours,
        Kind::ConversationAttributes,
    ];
    let live = fetch_live(&client, &Scope::only(written)).await.unwrap();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for name in live
        .data_attributes()
        .into_iter()
        .filter(|a| a.custom)
        .map(|a| &a.name)
        .chain(live.audiences().iter().map(|a| &a.name))
        .chain(live.office_hours().iter().map(|s| &s.name))
        .chain(live.conversation_attributes().iter().map(|a| &a.name))
    {
        *seen.entry(name.clone()).or_default() += 1;
    }
    for (name, ok) in &outcomes {
        let n = seen.get(name).copied().unwrap_or(0);
        assert!(n <= 1, "{name} exists {n} times");
        if *ok {
            assert_eq!(n, 1, "{name} was reported created but is missing");
        }
    }
    assert!(outcomes.values().all(|ok| *ok), "{outcomes:?}");
}
