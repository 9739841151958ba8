//! Kinds that Intercom only lists (segments, brands): a declaration names an object that must
//! exist, a missing one is a manual step saying where to create it, and nothing is ever written
//! or pruned. A listed kind is a [`Listed`] description; [`ReadOnly`] is its whole behaviour.

use std::future::Future;
use std::marker::PhantomData;

use serde::{Deserialize, Serialize};

use super::engine::PlanCtx;
use super::export::identifiable;
use super::read::{self, ReadFuture};
use super::{Exported, KindSpec, Scope};
use crate::config::{Desired, Located, did_you_mean};
use crate::intercom::{Client, FetchError};
use crate::model::{Address, Kind, Live};

/// What makes one listed kind: its names, its help texts and how its list is read.
pub trait Listed: Send + Sync + 'static {
    /// A live object as read.
    type Live: Send + Sync + 'static;
    /// The kind.
    const KIND: Kind;
    /// Its configuration section's help.
    const SECTION: &'static str;
    /// Where in Intercom's UI such an object is created (`Contacts → Segments`).
    const CREATE_IN: &'static str;
    /// A live object's name.
    fn name(live: &Self::Live) -> &str;
    /// Reads every live object.
    fn read(client: Client) -> impl Future<Output = Result<Vec<Self::Live>, FetchError>> + Send;
}

/// One declaration of a listed kind: just its name.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, bound = "")]
pub struct Declared<L> {
    /// The name, as in Intercom.
    pub name: String,
    #[serde(skip)]
    kind: PhantomData<fn() -> L>,
}

// By hand: derived impls would ask `L` itself to be `Clone`/`PartialEq`.
impl<L> Clone for Declared<L> {
    fn clone(&self) -> Self {
        Declared {
            name: self.name.clone(),
            kind: PhantomData,
        }
    }
}

impl<L> PartialEq for Declared<L> {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl<L> super::engine::Declaration for Declared<L> {
    fn name(&self) -> &str {
        &self.name
    }
}

/// A noun with a capital first letter (`Segment`).
fn capitalized(noun: &str) -> String {
    let mut chars = noun.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

impl<L: Listed> schemars::JsonSchema for Declared<L> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        capitalized(L::KIND.noun()).into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let (noun, plural) = (L::KIND.noun(), L::KIND.plural());
        schemars::json_schema!({
            "description": format!("A {noun} that must exist ({plural} are read-only in Intercom)."),
            "type": "object",
            "properties": {
                "name": {"description": format!("{} name, as in Intercom.", capitalized(noun)), "type": "string"}
            },
            "additionalProperties": false,
            "required": ["name"],
        })
    }
}

/// The behaviour of a listed kind.
pub struct ReadOnly<L>(PhantomData<fn() -> L>);

impl<L> ReadOnly<L> {
    /// The kind described by `L`.
    pub const fn new() -> Self {
        ReadOnly(PhantomData)
    }
}

fn declared<L: Listed>(desired: &Desired) -> &[Located<Declared<L>>] {
    desired.declarations(L::KIND)
}

fn live<L: Listed>(live: &Live) -> &[L::Live] {
    live.objects(L::KIND)
}

impl<L: Listed> KindSpec for ReadOnly<L> {
    super::list_section!(L::KIND, Declared<L>, L::SECTION);

    fn plan(&self, ctx: &mut PlanCtx<'_>) {
        let kind = L::KIND;
        if !ctx.filter.touches(kind) {
            return;
        }
        let (noun, plural) = (kind.noun(), kind.plural());
        let objects = live::<L>(ctx.live);
        for decl in declared::<L>(ctx.d) {
            let address = Address::new(kind, decl.name.clone());
            if !ctx.filter.includes(&address) || objects.iter().any(|o| L::name(o) == decl.name) {
                continue;
            }
            let where_ = format!(
                "{plural} are read-only in the API: create it in Intercom ({})",
                L::CREATE_IN
            );
            let help = match did_you_mean(&decl.name, objects.iter().map(L::name)) {
                Some(s) => format!("did you mean `{s}`? {}", capitalized(&where_)),
                None => where_,
            };
            ctx.manual(
                address,
                format!("create the {noun} `{}`", decl.name),
                Some(help),
            );
        }
    }

    fn live_names<'a>(&self, live_state: &'a Live, _kind: Kind) -> Vec<&'a str> {
        live::<L>(live_state).iter().map(L::name).collect()
    }

    fn export(&self, live_state: &Live, kind: Kind, out: &mut Exported) -> bool {
        let objects = live::<L>(live_state);
        let list: Vec<Declared<L>> = identifiable(kind, objects, L::name, kind.plural(), out)
            .into_iter()
            .map(|o| Declared {
                name: L::name(o).to_string(),
                kind: PhantomData,
            })
            .collect();
        super::export::put(&mut out.cfg, kind, list)
    }

    fn read(&self, client: &Client, kind: Kind, _scope: &Scope) -> Option<ReadFuture> {
        Some(read::list(kind, L::read(client.clone())))
    }
}
