//! The write half of workspace security: the allowlist's one `PUT`. Only `apply` reaches it,
//! through `kinds::write`.

use crate::apply::WriteError;
use crate::intercom::Client;
use crate::kinds::write::misrouted;
use crate::model::IpAllowlist;
use crate::model::change::Op;

/// Performs one planned call of this kind.
pub(in crate::kinds) async fn write(
    client: &Client,
    op: &Op,
) -> Result<Option<String>, WriteError> {
    match op {
        Op::SetIpAllowlist { enabled, ranges } => {
            client
                .set_ip_allowlist(&IpAllowlist {
                    enabled: *enabled,
                    ranges: ranges.clone(),
                })
                .await?;
            Ok(None)
        }
        other => Err(misrouted(other)),
    }
}
