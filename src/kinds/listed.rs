//! Kinds that Intercom only lists (segments, brands, macros, …): a declaration names an object
//! that must exist, a missing one is a manual step saying where to create it, and nothing is
//! ever written or pruned. A listed kind is a [`Listed`] description, written by one
//! [`listed_kind!`]; [`ReadOnly`] is its whole behaviour.

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

/// Declares a listed kind in one invocation: the alias of its behaviour (`Brands`), its
/// description type (`BrandList`) and that type's [`Listed`] impl, from its live type, its kind,
/// where in Intercom's UI one is created, the live field that names one, the
/// `intercom::read` function (and its arguments after the client) that lists them, optionally
/// `keep:` which listed ones exist (the others are left out), and its section's help.
macro_rules! listed_kind {
    (
        $(#[$doc:meta])* $alias:ident = $list:ident($live:ty, $kind:expr) in $create_in:literal,
        name: $($field:ident).+, read: $read:ident($($arg:expr),*) $(, keep: $keep:expr)?,
        section: $section:expr $(,)?
    ) => {
        $(#[$doc])*
        pub type $alias = crate::kinds::listed::ReadOnly<$list>;

        #[doc = concat!("The description of [`", stringify!($alias), "`].")]
        pub struct $list;

        impl crate::kinds::listed::Listed for $list {
            type Live = $live;
            const KIND: crate::model::Kind = $kind;
            const SECTION: &'static str = $section;
            const CREATE_IN: &'static str = $create_in;

            fn name(live: &$live) -> &str {
                &live.$($field).+
            }

            async fn read(
                client: crate::intercom::Client,
            ) -> Result<Vec<$live>, crate::intercom::FetchError> {
                let all: Vec<$live> = crate::intercom::read::$read(&client, $($arg),*).await?;
                Ok(all $(.into_iter().filter($keep).collect())?)
            }
        }
    };
}
pub(crate) use listed_kind;

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

/// What the tests of every listed kind share: a plan of a configuration against live objects,
/// and the one manual step a missing declaration gives.
#[cfg(test)]
pub(super) mod testing {
    use std::any::Any;

    use crate::config::{Desired, load_sources};
    use crate::model::change::Plan;
    use crate::model::{Filter, Kind, Live};
    use crate::plan::diff;

    /// The configuration `yaml`, the live objects of `kind` (read) and their plan.
    pub fn plan_of<T: Any + Send + Sync>(
        yaml: &str,
        kind: Kind,
        objects: Vec<T>,
    ) -> (Desired, Live, Plan) {
        let desired = load_sources(vec![("k.yaml".into(), yaml.as_bytes().to_vec())])
            .unwrap()
            .desired;
        let mut live = Live::default().with(kind, objects);
        live.fetched.insert(kind);
        let plan = diff(&desired, &live, &Filter::default(), &[]).unwrap();
        (desired, live, plan)
    }

    /// The plan changes nothing and has one manual step, for `address`, whose help starts with
    /// `did you mean `{suggestion}`?`.
    pub fn assert_one_manual_step(plan: &Plan, address: &str, suggestion: &str) {
        assert!(plan.changes.is_empty());
        assert_eq!(plan.manual_steps.len(), 1);
        assert_eq!(plan.manual_steps[0].address.to_string(), address);
        let start = format!("did you mean `{suggestion}`?");
        assert!(
            plan.manual_steps[0]
                .help
                .as_deref()
                .is_some_and(|h| h.starts_with(&start)),
            "{:?}",
            plan.manual_steps[0].help
        );
    }
}
