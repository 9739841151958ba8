//! The write half of workspace security: the allowlist's one `PUT`. Only `apply` reaches it,
//! through `kinds::write`.

use crate::intercom::Client;
use crate::kinds::write::{Written, done, misrouted};
use crate::model::change::Op;

/// Performs one planned call of this kind.
pub(in crate::kinds) async fn write(client: &Client, op: &Op) -> Written {
    match op {
        Op::SetIpAllowlist(wanted) => done(client.set_ip_allowlist(wanted)).await,
        other => Err(misrouted(other)),
    }
}
