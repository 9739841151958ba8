//! Intercom's admin activity log as the tool reads it: one entry (never the admin's IP
//! address, which the client drops at its edge), the audit categories, the one table mapping
//! every event type of the 2.16 description to its category, and which event types concern
//! which kind (what `drift` shows as recent activity).

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use super::Kind;

/// One entry of the activity log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActivityEntry {
    /// Intercom's id of the entry.
    pub id: String,
    /// The event type (`app_team_membership_modification`), as Intercom sent it.
    pub activity_type: String,
    /// The e-mail of the admin who did it (empty when Intercom sent none).
    pub admin_email: String,
    /// When, in Unix seconds.
    pub created_at: i64,
    /// Intercom's sentence describing it.
    pub description: String,
}

/// What an event means for security, for grouping an audit and for `--fail-on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Exports and imports of the workspace's data.
    DataAccess,
    /// Roles, permissions, provisioning, sign-in and 2FA, impersonation.
    AccessControl,
    /// Identity verification, Messenger API secrets, trusted and malicious domains.
    MessengerSecurity,
    /// Webhooks, app packages, OAuth and custom authentication tokens.
    Integrations,
    /// Deleting or redacting data, and deletion schedules.
    DataDeletion,
    /// Workspace configuration: teams, office hours, macros, the Messenger, help center…
    WorkspaceSettings,
    /// One teammate's own routine activity: signing in and out, away mode, avatar, limits.
    TeammateActivity,
    /// Event types the tool's table does not know (listed, never dropped).
    Other,
}

impl Category {
    /// Every category, in the order a report lists them.
    pub const ALL: [Category; 8] = [
        Category::DataAccess,
        Category::AccessControl,
        Category::MessengerSecurity,
        Category::Integrations,
        Category::DataDeletion,
        Category::WorkspaceSettings,
        Category::TeammateActivity,
        Category::Other,
    ];

    /// The name `--fail-on` and the JSON report use (`data-access`).
    pub fn name(self) -> &'static str {
        match self {
            Category::DataAccess => "data-access",
            Category::AccessControl => "access-control",
            Category::MessengerSecurity => "messenger-security",
            Category::Integrations => "integrations",
            Category::DataDeletion => "data-deletion",
            Category::WorkspaceSettings => "workspace-settings",
            Category::TeammateActivity => "teammate-activity",
            Category::Other => "other",
        }
    }

    /// A heading for people.
    pub fn title(self) -> &'static str {
        match self {
            Category::DataAccess => "Data access (exports, imports)",
            Category::AccessControl => {
                "Access control (roles, permissions, provisioning, sign-in, 2FA, impersonation)"
            }
            Category::MessengerSecurity => {
                "Messenger security (identity verification, API secrets, trusted domains)"
            }
            Category::Integrations => "Integrations (webhooks, app packages, OAuth tokens)",
            Category::DataDeletion => "Data deletion",
            Category::WorkspaceSettings => "Workspace settings",
            Category::TeammateActivity => "Teammate activity",
            Category::Other => "Other (event types this version of intercom-iac does not know)",
        }
    }

    /// The accepted names, for help texts.
    pub fn names() -> String {
        Category::ALL.map(Category::name).join(", ")
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Category {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Category::ALL.into_iter().find(|c| c.name() == s).ok_or(())
    }
}

/// Every event type of the 2.16 description's `activity_log.activity_type` enum, with its
/// category.
const TABLE: &[(&str, Category)] = {
    use Category::*;
    &[
        ("app_data_export", DataAccess),
        ("bulk_export", DataAccess),
        ("conversation_pdf_export", DataAccess),
        ("macro_usage_export", DataAccess),
        ("csv_import_creation", DataAccess),
        ("csv_import_completion", DataAccess),
        ("admin_deletion", AccessControl),
        ("admin_deprovisioned", AccessControl),
        ("admin_provisioned", AccessControl),
        ("admin_impersonation_start", AccessControl),
        ("admin_impersonation_end", AccessControl),
        ("admin_impersonation_consent_approved", AccessControl),
        ("admin_impersonation_consent_revoked", AccessControl),
        ("admin_invite_change", AccessControl),
        ("admin_invite_creation", AccessControl),
        ("admin_invite_deletion", AccessControl),
        ("admin_login_failure", AccessControl),
        ("admin_password_reset_request", AccessControl),
        ("admin_password_reset_success", AccessControl),
        ("admin_permission_change", AccessControl),
        ("admin_two_factor_auth_change", AccessControl),
        ("admin_unauthorized_sign_in_method", AccessControl),
        ("app_admin_join", AccessControl),
        ("app_authentication_method_change", AccessControl),
        ("app_google_sso_domain_change", AccessControl),
        ("role_change", AccessControl),
        ("role_creation", AccessControl),
        ("role_deletion", AccessControl),
        ("seat_change", AccessControl),
        ("seat_revoke", AccessControl),
        ("inbox_access_change", AccessControl),
        ("security_settings_change", AccessControl),
        ("app_identity_verification_change", MessengerSecurity),
        ("messenger_api_secret_creation", MessengerSecurity),
        ("messenger_api_secret_deletion", MessengerSecurity),
        ("trusted_domains_setting_change", MessengerSecurity),
        ("malicious_domains_setting_change", MessengerSecurity),
        ("strip_inbound_email_links_change", MessengerSecurity),
        ("app_webhook_creation", Integrations),
        ("app_webhook_deletion", Integrations),
        ("app_package_installation", Integrations),
        ("app_package_uninstallation", Integrations),
        ("app_package_token_regeneration", Integrations),
        ("oauth_token_revocation", Integrations),
        ("custom_authentication_token_creation", Integrations),
        ("app_data_deletion", DataDeletion),
        ("bulk_delete", DataDeletion),
        ("conversation_part_deletion", DataDeletion),
        ("message_deletion", DataDeletion),
        ("conversation_deletion_schedule_creation", DataDeletion),
        ("conversation_deletion_schedule_deletion", DataDeletion),
        ("conversation_deletion_schedule_state_change", DataDeletion),
        ("conversation_deletion_schedule_update", DataDeletion),
        ("content_redaction_rule_creation", DataDeletion),
        ("content_redaction_rule_deletion", DataDeletion),
        ("content_redaction_rule_update", DataDeletion),
        ("workspace_deletion_request", DataDeletion),
        ("admin_login_success", TeammateActivity),
        ("admin_logout", TeammateActivity),
        ("admin_away_mode_change", TeammateActivity),
        ("admin_avatar_change", TeammateActivity),
        ("admin_occupancy_setting_change", TeammateActivity),
        ("admin_occupancy_state_change", TeammateActivity),
        (
            "admin_conversation_assignment_limit_change",
            TeammateActivity,
        ),
        ("admin_ticket_assignment_limit_change", TeammateActivity),
        ("app_name_change", WorkspaceSettings),
        ("app_outbound_address_change", WorkspaceSettings),
        ("app_team_creation", WorkspaceSettings),
        ("app_team_deletion", WorkspaceSettings),
        ("app_team_membership_modification", WorkspaceSettings),
        ("app_timezone_change", WorkspaceSettings),
        ("articles_in_messenger_enabled_change", WorkspaceSettings),
        ("automatic_away_mode_setting_change", WorkspaceSettings),
        ("campaign_deletion", WorkspaceSettings),
        ("campaign_state_change", WorkspaceSettings),
        ("conversation_topic_change", WorkspaceSettings),
        ("conversation_topic_creation", WorkspaceSettings),
        ("conversation_topic_deletion", WorkspaceSettings),
        ("help_center_settings_change", WorkspaceSettings),
        ("inbound_conversations_change", WorkspaceSettings),
        ("macro_creation", WorkspaceSettings),
        ("macro_deletion", WorkspaceSettings),
        ("macro_update", WorkspaceSettings),
        ("message_state_change", WorkspaceSettings),
        ("messenger_look_and_feel_change", WorkspaceSettings),
        ("messenger_search_required_change", WorkspaceSettings),
        ("messenger_spaces_change", WorkspaceSettings),
        ("office_hours_change", WorkspaceSettings),
        ("ruleset_activation_title_preview", WorkspaceSettings),
        ("ruleset_creation", WorkspaceSettings),
        ("ruleset_deletion", WorkspaceSettings),
        ("search_browse_enabled_change", WorkspaceSettings),
        ("search_browse_required_change", WorkspaceSettings),
        ("series_creation", WorkspaceSettings),
        ("series_deletion", WorkspaceSettings),
        ("series_settings_update", WorkspaceSettings),
        ("series_status_change", WorkspaceSettings),
        ("series_update", WorkspaceSettings),
        ("temporary_expectation_change", WorkspaceSettings),
        ("team_assignment_limit_change", WorkspaceSettings),
        (
            "unassign_unsnoozed_at_capacity_setting_change",
            WorkspaceSettings,
        ),
        (
            "unassign_unsnoozed_when_away_setting_change",
            WorkspaceSettings,
        ),
        ("upfront_email_collection_change", WorkspaceSettings),
        (
            "allowed_attachment_filetypes_setting_change",
            WorkspaceSettings,
        ),
        ("attach_uploads_inline_setting_change", WorkspaceSettings),
        ("teammate_gifs_setting_change", WorkspaceSettings),
        ("user_camera_attachments_setting_change", WorkspaceSettings),
        (
            "user_conversation_attachments_setting_change",
            WorkspaceSettings,
        ),
        ("user_file_attachments_setting_change", WorkspaceSettings),
        ("user_gifs_setting_change", WorkspaceSettings),
        ("user_media_attachments_setting_change", WorkspaceSettings),
        ("user_voice_notes_setting_change", WorkspaceSettings),
        ("welcome_message_change", WorkspaceSettings),
        ("hide_csat_from_agents_setting_change", WorkspaceSettings),
    ]
};

/// Every event type the description lists (`GET /admins/activity_log_event_types`).
pub fn event_types() -> impl Iterator<Item = &'static str> {
    TABLE.iter().map(|(t, _)| *t)
}

/// The category of an event type; `Other` for one the table does not know.
pub fn category(event_type: &str) -> Category {
    TABLE
        .iter()
        .find(|(t, _)| *t == event_type)
        .map_or(Category::Other, |(_, c)| *c)
}

/// The event types of the log that concern a kind's objects (empty: the log does not cover
/// the kind). Intercom's entries do not reliably name the object, so drift shows them as the
/// kind's recent activity rather than guessing which object changed.
pub fn kind_event_types(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Teams => &[
            "app_team_membership_modification",
            "app_team_creation",
            "app_team_deletion",
            "team_assignment_limit_change",
        ],
        Kind::OfficeHours => &["office_hours_change"],
        Kind::Workspace => &[
            "app_identity_verification_change",
            "security_settings_change",
        ],
        Kind::Macros => &["macro_creation", "macro_update", "macro_deletion"],
        Kind::HelpCenterCollections => &["help_center_settings_change"],
        _ => &[],
    }
}

/// An event type as a noun for people (`team-membership change`).
pub fn event_label(event_type: &str) -> String {
    let known = match event_type {
        "app_team_membership_modification" => "team-membership change",
        "app_team_creation" => "team creation",
        "app_team_deletion" => "team deletion",
        "team_assignment_limit_change" => "team assignment-limit change",
        "office_hours_change" => "office-hours change",
        "app_identity_verification_change" => "identity-verification change",
        "security_settings_change" => "security-settings change",
        "macro_creation" => "macro creation",
        "macro_update" => "macro update",
        "macro_deletion" => "macro deletion",
        "help_center_settings_change" => "help-center-settings change",
        other => return other.replace('_', " "),
    };
    known.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The event types of the vendored 2.16 description's `activity_log.activity_type` enum.
    fn described_event_types() -> Vec<String> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/intercom-2.16.yaml");
        let text = std::fs::read_to_string(path).unwrap();
        let start = text.find("\n    activity_log:\n").unwrap();
        let rest = &text[start..];
        let enum_at = rest.find("activity_type:").unwrap();
        let rest = &rest[enum_at..];
        let list = &rest[rest.find("enum:\n").unwrap() + "enum:\n".len()..];
        list.lines()
            .map_while(|l| l.trim().strip_prefix("- "))
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn the_table_covers_the_described_enum_exactly() {
        let described = described_event_types();
        assert!(described.len() > 100, "{described:?}");
        for t in &described {
            assert!(
                TABLE.iter().any(|(known, _)| known == t),
                "{t} is not in the table"
            );
        }
        for (t, _) in TABLE {
            assert!(described.iter().any(|d| d == t), "{t} is not described");
        }
        assert_eq!(
            TABLE.len(),
            described.len(),
            "an event type is listed twice"
        );
    }

    #[test]
    fn categories_of_the_issue() {
        assert_eq!(category("app_data_export"), Category::DataAccess);
        assert_eq!(
            category("app_identity_verification_change"),
            Category::MessengerSecurity
        );
        assert_eq!(category("oauth_token_revocation"), Category::Integrations);
        assert_eq!(category("admin_login_failure"), Category::AccessControl);
        assert_eq!(category("bulk_delete"), Category::DataDeletion);
        assert_eq!(category("made_up_event"), Category::Other);
        for c in Category::ALL {
            assert_eq!(c.name().parse::<Category>(), Ok(c));
        }
    }

    #[test]
    fn covered_kinds_name_described_types() {
        let described = described_event_types();
        for kind in Kind::ALL {
            for t in kind_event_types(kind) {
                assert!(described.iter().any(|d| d == t), "{t}");
            }
        }
        assert_eq!(
            event_label("app_team_membership_modification"),
            "team-membership change"
        );
        assert_eq!(event_label("made_up_event"), "made up event");
    }
}
