//! Segments: read-only in Intercom, so a declared segment must exist (a manual step when it
//! does not) and nothing is ever written.

use super::Scope;
use super::checks::{self, Entry};
use super::engine::PlanCtx;
use super::engine::entries;
use super::export::{duplicated, sort_ci};
use super::read::{self, ReadFuture};
use super::{Ignored, KindSpec};
use super::{Section, list_schema};
use crate::config::Diagnostic;
use crate::config::types::{self, ConfigFile};
use crate::config::{Desired, did_you_mean};
use crate::config::{Located, SectionError};
use crate::intercom::{self, Client};
use crate::model::{Address, Kind, Live, Segment};

/// Segments.
pub struct Segments;

impl KindSpec for Segments {
    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Segments]
    }

    fn section(&self) -> Option<Section> {
        Some(Section {
            key: "segments",
            description: "Segments. Read-only in Intercom: a declared segment must exist (its rules cannot be\nread or written through the API).",
            schema: list_schema::<types::Segment>,
            unit_depth: 2,
        })
    }

    fn read_section(
        &self,
        desired: &mut Desired,
        file: usize,
        value: serde_json::Value,
    ) -> Result<(), SectionError> {
        desired.read_list::<types::Segment>(Kind::Segments, file, "/segments", value)
    }

    fn entries<'a>(&self, desired: &'a Desired, _kind: Kind) -> Vec<Entry<'a>> {
        entries(declared(desired), |d| &d.name, |_| None)
    }

    fn check(&self, desired: &Desired, out: &mut Vec<Diagnostic>) {
        let entries = self.entries(desired, Kind::Segments);
        checks::named(desired, out, Kind::Segments, &entries, false);
    }

    fn plan(&self, ctx: &mut PlanCtx<'_>) {
        plan_kind(ctx);
    }

    fn live_names<'a>(&self, live: &'a Live, _kind: Kind) -> Vec<&'a str> {
        live_segments(live)
            .iter()
            .map(|s| s.name.as_str())
            .collect()
    }

    fn export(
        &self,
        live: &Live,
        kind: Kind,
        cfg: &mut ConfigFile,
        ignored: &mut Vec<Ignored>,
    ) -> bool {
        let dups = duplicated(live_segments(live).iter().map(|s| s.name.as_str()), false);
        let mut list = Vec::new();
        for s in live_segments(live) {
            if dups.contains(&s.name) {
                if !ignored.iter().any(|i| i.kind == kind && i.name == s.name) {
                    ignored.push(Ignored {
                        kind,
                        name: s.name.clone(),
                        why: "several segments have this name, so a name cannot identify one"
                            .into(),
                    });
                }
            } else {
                list.push(types::Segment {
                    name: s.name.clone(),
                });
            }
        }
        sort_ci(&mut list, |s| &s.name);
        cfg.sections.insert(
            "segments".into(),
            serde_json::to_value(list).unwrap_or_default(),
        );
        true
    }

    fn read(&self, client: &Client, kind: Kind, _scope: &Scope) -> Option<ReadFuture> {
        let client = client.clone();
        Some(read::list(kind, async move {
            intercom::read::segments(&client).await
        }))
    }

    fn export_file(&self) -> (&'static str, String) {
        ("segments.yaml", "segments".into())
    }
}

fn plan_kind(ctx: &mut PlanCtx<'_>) {
    let kind = Kind::Segments;
    if !ctx.filter.touches(kind) {
        return;
    }
    let live = ctx.live;
    for decl in declared(ctx.d) {
        let address = Address::new(kind, decl.name.clone());
        if !ctx.filter.includes(&address) || live_segments(live).iter().any(|s| s.name == decl.name)
        {
            continue;
        }
        let help = match did_you_mean(
            &decl.name,
            live_segments(live).iter().map(|s| s.name.as_str()),
        ) {
            Some(s) => format!(
                "did you mean `{s}`? Segments are read-only in the API: create it in Intercom (Contacts → Segments)"
            ),
            None => {
                "segments are read-only in the API: create it in Intercom (Contacts → Segments)"
                    .into()
            }
        };
        ctx.manual(
            address,
            format!("create the segment `{}`", decl.name),
            Some(help),
        );
    }
}

// ---------------------------------------------------------------------------------------------

/// The live segments.
fn live_segments(live: &Live) -> &[Segment] {
    live.objects(Kind::Segments)
}

/// The declared segments.
fn declared(desired: &Desired) -> &[Located<types::Segment>] {
    desired.declarations(Kind::Segments)
}
