//! `GET`/`PUT /ip_allowlist` (2.14–2.16): the workspace's allowlist, replaced by a `PUT`.
//! Intercom refuses a list that would lock the caller out (422 `parameter_invalid` "Your IP
//! (…) is not on the allowlist. Saving would lock you out of this workspace.", the 2.16
//! description's example); the sandbox applies that rule to the request's source address.
//! The allowlist is not enforced on other requests.

use std::net::IpAddr;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use serde_json::{Value, json};

use super::conn::Connection;
use super::routes::{ApiError, ApiResult, AppState, json_object, ok};
use super::store::IpAllowlist;

fn allowlist_json(a: &IpAllowlist) -> Value {
    json!({"type": "ip_allowlist", "enabled": a.enabled, "ip_allowlist": a.ranges})
}

/// `GET /ip_allowlist`.
pub(crate) async fn ip_allowlist(State(shared): State<AppState>) -> ApiResult {
    shared.with_state(|ws| ok(allowlist_json(&ws.ip_allowlist)))
}

/// `PUT /ip_allowlist {enabled?, ip_allowlist?}`: absent fields keep their values.
pub(crate) async fn set_ip_allowlist(
    State(shared): State<AppState>,
    ConnectInfo(conn): ConnectInfo<Connection>,
    body: Bytes,
) -> ApiResult {
    let body = json_object(&body)?;
    let enabled = match body.get("enabled") {
        None => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(_) => return Err(ApiError::invalid("enabled must be a boolean")),
    };
    let ranges = match body.get("ip_allowlist") {
        None => None,
        Some(Value::Array(items)) => {
            let mut out = Vec::new();
            for item in items {
                let Some(s) = item.as_str().filter(|s| parse_range(s).is_some()) else {
                    return Err(ApiError::unprocessable(
                        "parameter_invalid",
                        format!("{item} is not a valid IP address or CIDR range"),
                    ));
                };
                out.push(s.to_string());
            }
            Some(out)
        }
        Some(_) => {
            return Err(ApiError::invalid(
                "ip_allowlist must be an array of strings",
            ));
        }
    };
    shared.with_state(|ws| {
        let next = IpAllowlist {
            enabled: enabled.unwrap_or(ws.ip_allowlist.enabled),
            ranges: ranges.unwrap_or_else(|| ws.ip_allowlist.ranges.clone()),
        };
        if next.enabled
            && let Some(peer) = conn.peer.map(|p| p.ip())
            && !next
                .ranges
                .iter()
                .filter_map(|r| parse_range(r))
                .any(|(net, prefix)| within(peer, net, prefix))
        {
            return Err(ApiError::unprocessable(
                "parameter_invalid",
                format!(
                    "Your IP ({peer}) is not on the allowlist. Saving would lock you out of this workspace."
                ),
            ));
        }
        ws.ip_allowlist = next;
        ok(allowlist_json(&ws.ip_allowlist))
    })
}

/// `addr` or `addr/prefix`.
fn parse_range(raw: &str) -> Option<(IpAddr, u32)> {
    let (addr, prefix) = match raw.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (raw, None),
    };
    let addr: IpAddr = addr.parse().ok()?;
    let max = if addr.is_ipv4() { 32 } else { 128 };
    let prefix = match prefix {
        Some(p) => p.parse().ok().filter(|p| *p <= max)?,
        None => max,
    };
    Some((addr, prefix))
}

/// Whether `ip` lies in `net/prefix` (an IPv4 caller seen as `::ffff:a.b.c.d` counts as IPv4).
fn within(ip: IpAddr, net: IpAddr, prefix: u32) -> bool {
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    };
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let m = u32::MAX.checked_shl(32 - prefix).unwrap_or(0);
            u32::from(a) & m == u32::from(n) & m
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let m = u128::MAX.checked_shl(128 - prefix).unwrap_or(0);
            u128::from(a) & m == u128::from(n) & m
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_caller_is_within_its_ranges_only() {
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        let (n, p) = parse_range("127.0.0.0/8").unwrap();
        assert!(within(ip, n, p));
        let (n, p) = parse_range("10.0.0.1").unwrap();
        assert!(!within(ip, n, p));
        let mapped: IpAddr = "::ffff:127.0.0.1".parse().unwrap();
        let (n, p) = parse_range("127.0.0.1").unwrap();
        assert!(within(mapped, n, p));
        assert_eq!(parse_range("10.0.0.1/33"), None);
    }
}
