//! What a write asks for: one type per create or update. A plan's `Op` carries them as its
//! payload (so their JSON is the plan's JSON: field order and omissions matter), apply hands
//! them to the client unchanged, and the client turns them into Intercom's request bodies.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::change::CollectionRef;
use super::{
    AttributeModel, ConversationAttributeType, DataAttributeType, Predicate, WeeklyInterval,
};

/// Declares a request type with the derives every one has; each `Option` field is left out of
/// the JSON when `None` (and absent reads as `None`). Other attributes pass through.
macro_rules! request {
    ($(#[$meta:meta])* pub struct $name:ident { $($body:tt)* }) => {
        request!(@fields [$(#[$meta])*] $name [] $($body)*);
    };
    (@fields [$($meta:tt)*] $name:ident [$($done:tt)*]) => {
        $($meta)*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
        pub struct $name { $($done)* }
    };
    (
        @fields $meta:tt $name:ident [$($done:tt)*]
        $(#[$field_meta:meta])* pub $field:ident: Option<$t:ty>, $($rest:tt)*
    ) => {
        request!(@fields $meta $name [
            $($done)*
            $(#[$field_meta])*
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub $field: Option<$t>,
        ] $($rest)*);
    };
    (
        @fields $meta:tt $name:ident [$($done:tt)*]
        $(#[$field_meta:meta])* pub $field:ident: $t:ty, $($rest:tt)*
    ) => {
        request!(@fields $meta $name [$($done)* $(#[$field_meta])* pub $field: $t,] $($rest)*);
    };
}

request! {
    /// A contact or company attribute to create (`POST /data_attributes`).
    pub struct NewDataAttribute {
        /// Contact or company.
        pub model: AttributeModel,
        /// Name.
        pub name: String,
        /// Type (`list` is sent in Intercom's list form).
        pub data_type: DataAttributeType,
        /// Options of a list.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub options: Vec<String>,
        /// Description.
        pub description: Option<String>,
        /// Messenger writable.
        pub messenger_writable: Option<bool>,
    }
}

request! {
    /// Changes to a data attribute (`PUT /data_attributes/{id}`); `None` leaves a field alone.
    #[derive(Default)]
    pub struct DataAttributeChanges {
        /// New description.
        pub description: Option<String>,
        /// New messenger_writable.
        pub messenger_writable: Option<bool>,
        /// New complete option list.
        pub options: Option<Vec<String>>,
        /// Archive (true) or unarchive (false).
        pub archived: Option<bool>,
    }
}

request! {
    /// A conversation attribute to create (`POST /conversations/attributes`).
    pub struct NewConversationAttribute {
        /// Name.
        pub name: String,
        /// Type.
        pub data_type: ConversationAttributeType,
        /// Options of a list.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub options: Vec<String>,
        /// Description.
        pub description: Option<String>,
        /// Required.
        pub required: Option<bool>,
        /// Team ids; empty = all teams.
        pub visible_to_team_ids: Option<Vec<String>>,
        /// Multi-line text.
        pub multiline: Option<bool>,
    }
}

request! {
    /// Changes to a conversation attribute (`PUT /conversations/attributes/{id}`); `None` leaves a
    /// field alone.
    #[derive(Default)]
    pub struct ConversationAttributeChanges {
        /// New name (rename).
        pub name: Option<String>,
        /// New description.
        pub description: Option<String>,
        /// New required.
        pub required: Option<bool>,
        /// New team ids.
        pub visible_to_team_ids: Option<Vec<String>>,
        /// New multiline.
        pub multiline: Option<bool>,
    }
}

request! {
    /// A team's complete membership (Preview `PUT /teams/{id}`).
    #[derive(Default)]
    pub struct TeamMembers {
        /// Complete membership.
        pub admin_ids: Vec<String>,
        /// Secondary-priority members, when levels are managed (every other member is then made
        /// primary); `None` leaves levels alone.
        pub secondary_admin_ids: Option<Vec<String>>,
    }
}

request! {
    /// An audience to create (`POST /audiences`).
    pub struct NewAudience {
        /// Name.
        pub name: String,
        /// Predicates.
        pub predicates: Option<Vec<Predicate>>,
        /// Role predicates.
        pub role_predicates: Option<Vec<Predicate>>,
    }
}

request! {
    /// Changes to an audience (`PUT /audiences/{id}`, partial); `None` leaves a field alone.
    #[derive(Default)]
    pub struct AudienceChanges {
        /// New name.
        pub name: Option<String>,
        /// New predicates.
        pub predicates: Option<Vec<Predicate>>,
        /// New role predicates.
        pub role_predicates: Option<Vec<Predicate>>,
    }
}

request! {
    /// An office-hours schedule to create (`POST /office_hours_schedules`).
    pub struct NewOfficeHoursSchedule {
        /// Name.
        pub name: String,
        /// IANA time zone.
        pub time_zone: String,
        /// Weekly intervals.
        pub intervals: Vec<WeeklyInterval>,
    }
}

request! {
    /// Changes to a schedule (`PUT /office_hours_schedules/{id}`, partial); `None` leaves a field
    /// alone.
    #[derive(Default)]
    pub struct OfficeHoursScheduleChanges {
        /// New name.
        pub name: Option<String>,
        /// New time zone.
        pub time_zone: Option<String>,
        /// New intervals.
        pub intervals: Option<Vec<WeeklyInterval>>,
    }
}

request! {
    /// An office-hours exception to create (`POST …/office_hours_exceptions`).
    pub struct NewOfficeHoursException {
        /// `YYYY-MM-DD`.
        pub date: String,
        /// Closed all day.
        pub closed: bool,
        /// Name.
        pub name: Option<String>,
        /// Open intervals (minutes from midnight) when not closed.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub intervals: Vec<WeeklyInterval>,
        /// Repeats yearly.
        pub recurring: Option<bool>,
    }
}

request! {
    /// An exception's new state (`PUT …/office_hours_exceptions/{id}`): whether it is closed and,
    /// when it is not, its intervals are always sent; `None` leaves the name or recurrence alone.
    #[derive(Default)]
    pub struct OfficeHoursExceptionChanges {
        /// Closed all day.
        pub closed: bool,
        /// Name.
        pub name: Option<String>,
        /// Open intervals when not closed.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub intervals: Vec<WeeklyInterval>,
        /// Repeats yearly.
        pub recurring: Option<bool>,
    }
}

request! {
    /// A Help Center collection to create (`POST /help_center/collections`).
    pub struct NewHelpCenterCollection {
        /// Name.
        pub name: String,
        /// Description.
        pub description: Option<String>,
        /// The parent collection (`None`: top level); the caller resolves it to an id.
        pub parent: Option<CollectionRef>,
        /// The help center (top level only; `None`: the default one).
        pub help_center_id: Option<String>,
        /// Its name and description in other locales than the default one.
        #[serde(default, skip_serializing_if = "crate::model::Translations::is_empty")]
        pub translated_content: crate::model::Translations<crate::model::GroupContent>,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::IpAllowlist;
    use crate::model::change::{Op, ScheduleRef};

    /// Every operation with every field set, and with none of its optional fields set.
    fn every_op() -> Vec<Op> {
        use crate::model::{
            AttributeModel, ConversationAttributeType, DataAttributeType, Predicate, WeeklyInterval,
        };
        let s = |v: &str| v.to_string();
        let interval = WeeklyInterval {
            start_minute: 540,
            end_minute: 1020,
        };
        let predicate = Predicate {
            attribute: s("company.plan"),
            value_type: s("string"),
            comparison: s("eq"),
            value: s("pro"),
        };
        vec![
            Op::SetIpAllowlist(IpAllowlist {
                enabled: true,
                ranges: vec![s("10.0.0.0/8")],
            }),
            Op::CreateDataAttribute(NewDataAttribute {
                model: AttributeModel::Company,
                name: s("tier"),
                data_type: DataAttributeType::List,
                options: vec![s("a"), s("b")],
                description: Some(s("Tier")),
                messenger_writable: Some(true),
            }),
            Op::CreateDataAttribute(NewDataAttribute {
                model: AttributeModel::Contact,
                name: s("score"),
                data_type: DataAttributeType::Integer,
                options: vec![],
                description: None,
                messenger_writable: None,
            }),
            Op::UpdateDataAttribute {
                id: s("1"),
                changes: DataAttributeChanges {
                    description: Some(s("d")),
                    messenger_writable: Some(false),
                    options: Some(vec![s("a")]),
                    archived: Some(true),
                },
            },
            Op::UpdateDataAttribute {
                id: s("1"),
                changes: DataAttributeChanges::default(),
            },
            Op::CreateConversationAttribute(NewConversationAttribute {
                name: s("Severity"),
                data_type: ConversationAttributeType::List,
                options: vec![s("Low")],
                description: Some(s("How bad")),
                required: Some(true),
                visible_to_team_ids: Some(vec![s("5")]),
                multiline: Some(false),
            }),
            Op::CreateConversationAttribute(NewConversationAttribute {
                name: s("Note"),
                data_type: ConversationAttributeType::String,
                options: vec![],
                description: None,
                required: None,
                visible_to_team_ids: None,
                multiline: None,
            }),
            Op::UpdateConversationAttribute {
                id: s("2"),
                changes: ConversationAttributeChanges {
                    name: Some(s("Impact")),
                    description: Some(s("d")),
                    required: Some(false),
                    visible_to_team_ids: Some(vec![]),
                    multiline: Some(true),
                },
            },
            Op::UpdateConversationAttribute {
                id: s("2"),
                changes: ConversationAttributeChanges::default(),
            },
            Op::SetTeamMembers {
                id: s("3"),
                members: TeamMembers {
                    admin_ids: vec![s("1"), s("2")],
                    secondary_admin_ids: Some(vec![s("2")]),
                },
            },
            Op::SetTeamMembers {
                id: s("3"),
                members: TeamMembers::default(),
            },
            Op::CreateAudience(NewAudience {
                name: s("Pro"),
                predicates: Some(vec![predicate.clone()]),
                role_predicates: Some(vec![]),
            }),
            Op::CreateAudience(NewAudience {
                name: s("All"),
                predicates: None,
                role_predicates: None,
            }),
            Op::UpdateAudience {
                id: s("4"),
                changes: AudienceChanges {
                    name: Some(s("Pro+")),
                    predicates: Some(vec![predicate]),
                    role_predicates: None,
                },
            },
            Op::CreateOfficeHours(NewOfficeHoursSchedule {
                name: s("EU"),
                time_zone: s("Europe/Dublin"),
                intervals: vec![interval],
            }),
            Op::UpdateOfficeHours {
                id: s("5"),
                changes: OfficeHoursScheduleChanges {
                    name: Some(s("EU2")),
                    time_zone: Some(s("UTC")),
                    intervals: Some(vec![interval]),
                },
            },
            Op::CreateOfficeHoursException {
                schedule: ScheduleRef::Created,
                exception: NewOfficeHoursException {
                    date: s("2026-12-25"),
                    closed: false,
                    name: Some(s("Xmas")),
                    intervals: vec![interval],
                    recurring: Some(true),
                },
            },
            Op::CreateOfficeHoursException {
                schedule: ScheduleRef::Id(s("5")),
                exception: NewOfficeHoursException {
                    date: s("2026-12-26"),
                    closed: true,
                    name: None,
                    intervals: vec![],
                    recurring: None,
                },
            },
            Op::UpdateOfficeHoursException {
                schedule_id: s("5"),
                id: s("6"),
                changes: OfficeHoursExceptionChanges {
                    closed: false,
                    name: Some(s("Xmas")),
                    intervals: vec![interval],
                    recurring: Some(false),
                },
            },
            Op::UpdateOfficeHoursException {
                schedule_id: s("5"),
                id: s("6"),
                changes: OfficeHoursExceptionChanges::default(),
            },
            Op::CreateHelpCenterCollection(NewHelpCenterCollection {
                name: s("Billing"),
                description: Some(s("Money")),
                parent: Some(CollectionRef::Created(0)),
                help_center_id: Some(s("7")),
                translated_content: [(
                    s("fr"),
                    crate::model::GroupContent {
                        name: s("Facturation"),
                        description: Some(s("Argent")),
                    },
                )]
                .into(),
            }),
            Op::UpdateHelpCenterCollectionTranslations {
                id: s("8"),
                translated_content: [(
                    s("de"),
                    crate::model::GroupContent {
                        name: s("Rechnungen"),
                        description: None,
                    },
                )]
                .into(),
            },
            Op::CreateHelpCenterCollection(NewHelpCenterCollection {
                name: s("Top"),
                description: None,
                parent: None,
                help_center_id: None,
                translated_content: Default::default(),
            }),
        ]
    }

    #[test]
    fn every_operation_reads_back_from_its_json_as_written() {
        for op in every_op() {
            let json = serde_json::to_string(&op).unwrap();
            let back: Op = serde_json::from_str(&json).unwrap();
            assert_eq!(back, op, "{json}");
        }
    }
}
