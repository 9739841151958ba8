//! Team membership (Preview `PUT /teams/{id}`), with the re-read and retry Intercom asks for
//! after a 409 conflict.

use reqwest::Method;

use super::ids_as_integers;
use crate::intercom::client::{Client, Request};
use crate::intercom::error::ApiError;
use crate::intercom::wire::{self};
use crate::model::{Address, Kind, Team, TeamMembers};

impl Client {
    /// `PUT /teams/{id}` under `Intercom-Version: Preview`: sets the complete membership (and,
    /// optionally, priority levels). 409 → `ApiError::Conflict` (read the team again, then
    /// retry); 403 `api_plan_restricted` → `ApiError::PlanRestricted`.
    pub async fn update_team_members(
        &self,
        team: &Team,
        members: &TeamMembers,
    ) -> Result<Team, ApiError> {
        let address = Address::new(Kind::Teams, &team.name);
        self.update_team_members_at(&team.id, &address.to_string(), members)
            .await
    }

    pub(crate) async fn update_team_members_at(
        &self,
        id: &str,
        label: &str,
        members: &TeamMembers,
    ) -> Result<Team, ApiError> {
        let mut req = Request::new(
            Method::PUT,
            format!("/teams/{id}"),
            format!("update members of {label}"),
        )
        .preview();
        let call = req.call_info();
        // Levels are a partial update: to make them exact, every member's level is named
        // whenever levels are managed (the members not secondary are primary).
        let level = match &members.secondary_admin_ids {
            None => None,
            Some(secondary) => {
                let primary: Vec<String> = members
                    .admin_ids
                    .iter()
                    .filter(|a| !secondary.contains(a))
                    .cloned()
                    .collect();
                Some(wire::PriorityLevelBody {
                    primary_admin_ids: Some(ids_as_integers(&call, &primary)?),
                    secondary_admin_ids: Some(ids_as_integers(&call, secondary)?),
                })
            }
        };
        let body = wire::UpdateTeamMembers {
            admin_ids: ids_as_integers(&call, &members.admin_ids)?,
            admin_priority_level: level,
        };
        req = req.json(&body);
        let reply = self.send(&req).await?;
        Ok(self.decode::<wire::Team>(&reply)?.into())
    }
}

/// How often a team update that Intercom answered with 409 `conflict` is tried again.
const TEAM_CONFLICT_RETRIES: u32 = 3;

impl Client {
    /// `PUT /teams/{id}`; on 409 `conflict` (declined, or partly applied) reads the team again,
    /// as Intercom asks, then sends the same complete membership again. The body is the whole
    /// desired membership, so repeating it is safe.
    pub(crate) async fn set_team_members(
        &self,
        id: &str,
        label: &str,
        members: &TeamMembers,
    ) -> Result<(), ApiError> {
        let mut attempt = 0;
        loop {
            match self.update_team_members_at(id, label, members).await {
                Err(ApiError::Conflict(_)) if attempt < TEAM_CONFLICT_RETRIES => {
                    attempt += 1;
                    tracing::debug!(
                        team = label,
                        attempt,
                        "409 conflict on a team update: reading the team again"
                    );
                    let req = Request::new(
                        Method::GET,
                        format!("/teams/{id}"),
                        format!("read {label} again after a conflict"),
                    );
                    self.send(&req).await?;
                }
                other => return other.map(drop),
            }
        }
    }
}
