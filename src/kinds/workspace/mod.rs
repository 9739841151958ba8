//! Workspace security, declared under `workspace:`: the IP allowlist (`GET/PUT /ip_allowlist`,
//! 2.16, scope `manage_ip_allowlist`), compared as canonical CIDR ranges and applied after
//! every other change, and the identity-verification requirement, which only `GET /me` shows
//! (no API switches it on: a manual step when it is off). Addresses:
//! `workspace["ip_allowlist"]`, `workspace["identity_verification"]`.

mod cidr;
mod write;
pub(super) use write::write;

use serde_json::json;

use super::engine::{LiveObject, PlanCtx, field};
use super::{Entry, Exported, KindSpec, Scope};
use crate::config::types::{self};
use crate::config::{Desired, Diagnostic};
use crate::intercom::Client;
use crate::model::change::{Action, Op, Phase, fingerprint};
use crate::model::{Address, IpAllowlist, Kind, Live};
use cidr::{Cidr, canonical};

/// The key of the allowlist's address.
const ALLOWLIST: &str = "ip_allowlist";
/// The key of the identity-verification requirement's address.
const IDENTITY: &str = "identity_verification";

/// Where identity verification is switched on, and why it matters.
const IDENTITY_HELP: &str = "turn it on in Intercom: Settings → Workspace → Security → \
    Enforce identity verification (Messenger), after your app sends a `user_hash` for every \
    signed-in user. Without it anyone can impersonate a user in the Messenger by giving their \
    e-mail or user id, and read that user's conversations";

/// Workspace security settings.
pub struct WorkspaceSecurity;

impl KindSpec for WorkspaceSecurity {
    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Workspace]
    }

    fn entries<'a>(&self, desired: &'a Desired, _kind: Kind) -> Vec<Entry<'a>> {
        let ws = &desired.workspace;
        let mut out = Vec::new();
        if let Some(a) = &ws.ip_allowlist {
            out.push(Entry {
                name: ALLOWLIST,
                renamed_from: None,
                origin: &a.origin,
            });
        }
        if let Some(r) = &ws.require_identity_verification {
            out.push(Entry {
                name: IDENTITY,
                renamed_from: None,
                origin: &r.origin,
            });
        }
        out
    }

    fn check(&self, desired: &Desired, out: &mut Vec<Diagnostic>) {
        let Some(a) = &desired.workspace.ip_allowlist else {
            return;
        };
        for (i, r) in a.ranges.iter().flatten().enumerate() {
            if Cidr::parse(r).is_none() {
                out.push(
                    desired
                        .error_at(
                            &a.origin,
                            &format!("/ranges/{i}"),
                            format!("`{r}` is not an IP address or CIDR range"),
                        )
                        .with_help("write an IPv4 or IPv6 address (`203.0.113.7`) or a range (`203.0.113.0/24`)"),
                );
            }
        }
        if a.enabled == Some(true) && a.ranges.as_ref().is_some_and(Vec::is_empty) {
            out.push(
                desired
                    .error_at(
                        &a.origin,
                        "/ranges",
                        "an enabled allowlist with no ranges would let nobody in",
                    )
                    .with_help(
                        "list the addresses that may reach the workspace, or set `enabled: false`",
                    ),
            );
        }
    }

    fn plan(&self, ctx: &mut PlanCtx<'_>) {
        if !ctx.filter.touches(Kind::Workspace) {
            return;
        }
        plan_allowlist(ctx);
        plan_identity(ctx);
    }

    fn objects<'a>(&self, live: &'a Live, kind: Kind) -> Vec<&'a dyn LiveObject> {
        super::engine::objects::<IpAllowlist>(live, kind)
    }

    /// Under `workspace:`, which export writes to `workspace.yaml` with the guard.
    fn export(&self, live: &Live, _kind: Kind, out: &mut Exported) -> bool {
        let allowlist = live.objects::<IpAllowlist>(Kind::Workspace).first();
        let ws = out
            .cfg
            .workspace
            .get_or_insert_with(types::Workspace::default);
        ws.ip_allowlist = allowlist.map(|a| types::IpAllowlist {
            enabled: Some(a.enabled),
            ranges: Some(a.ranges.clone()),
        });
        // `false` asserts nothing, so only a workspace that has it on exports the requirement.
        ws.require_identity_verification =
            (live.me.app.identity_verification == Some(true)).then_some(true);
        true
    }

    fn widen_scope(&self, desired: Option<&Desired>, scope: &mut Scope) {
        scope.ip_allowlist = desired.is_none_or(|d| d.workspace.ip_allowlist.is_some());
    }

    fn read(&self, client: &Client, kind: Kind, scope: &Scope) -> Option<super::read::ReadFuture> {
        // Only `GET /me` is needed when the allowlist is not declared.
        let read = scope.ip_allowlist;
        super::read::with(client, kind, move |c| async move {
            if read {
                Ok(vec![c.ip_allowlist().await?])
            } else {
                Ok(Vec::<IpAllowlist>::new())
            }
        })
    }
}

impl LiveObject for IpAllowlist {
    fn id(&self) -> Option<&str> {
        None
    }

    fn name(&self) -> &str {
        ALLOWLIST
    }

    /// An enabled allowlist that the configuration does not declare is reported as unmanaged.
    fn managed(&self) -> bool {
        self.enabled
    }

    fn named(&self, key: &str) -> bool {
        key == ALLOWLIST
    }

    fn fingerprint(&self) -> String {
        let ranges: Vec<String> = canonical(&self.ranges)
            .iter()
            .map(ToString::to_string)
            .collect();
        fingerprint(&(self.enabled, ranges))
    }
}

fn plan_allowlist(ctx: &mut PlanCtx<'_>) {
    let Some(decl) = &ctx.d.workspace.ip_allowlist else {
        return;
    };
    let Some(live) = ctx.live.objects::<IpAllowlist>(Kind::Workspace).first() else {
        return;
    };
    if ctx.ignored(Kind::Workspace, ALLOWLIST) {
        return;
    }
    let address = Address::new(Kind::Workspace, ALLOWLIST);
    let enabled = decl.enabled.unwrap_or(live.enabled);
    let (old, new) = (
        canonical(&live.ranges),
        decl.ranges
            .as_ref()
            .map_or_else(|| canonical(&live.ranges), canonical),
    );
    let mut fields = Vec::new();
    if enabled != live.enabled {
        fields.push(field(
            "enabled",
            Some(json!(live.enabled)),
            Some(json!(enabled)),
        ));
    }
    if old != new {
        let show = |c: &[Cidr]| json!(c.iter().map(ToString::to_string).collect::<Vec<_>>());
        fields.push(field("ranges", Some(show(&old)), Some(show(&new))));
    }
    if fields.is_empty() {
        return;
    }
    let narrowed = old.iter().any(|o| !new.iter().any(|n| n.contains(o)));
    if enabled && (!live.enabled || narrowed) {
        ctx.warn(
            &address,
            "the allowlist will let in only the listed addresses: intercom-iac cannot know its \
             own public address, so make sure the address this runs from is listed (it is \
             applied last, and Intercom refuses a list that would lock the caller out)"
                .into(),
        );
    }
    let ranges = match &decl.ranges {
        Some(r) => r.iter().map(|s| s.trim().to_string()).collect(),
        None => live.ranges.clone(),
    };
    ctx.change(
        address,
        Action::Update,
        None,
        None,
        fields,
        vec![Op::SetIpAllowlist(IpAllowlist { enabled, ranges })],
        live.fingerprint(),
    );
    if let Some(c) = ctx.plan.changes.last_mut() {
        c.phase = Phase::Last;
    }
}

fn plan_identity(ctx: &mut PlanCtx<'_>) {
    let Some(require) = &ctx.d.workspace.require_identity_verification else {
        return;
    };
    if !require.value || ctx.ignored(Kind::Workspace, IDENTITY) {
        return;
    }
    let address = Address::new(Kind::Workspace, IDENTITY);
    match ctx.live.me.app.identity_verification {
        Some(true) => {}
        Some(false) => ctx.manual(
            address,
            "turn on identity verification for the Messenger (the API cannot)".into(),
            Some(IDENTITY_HELP.into()),
        ),
        None => ctx.warn(
            &address,
            "`GET /me` did not report `app.identity_verification`: the requirement cannot be checked".into(),
        ),
    }
}
