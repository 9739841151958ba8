//! The workspace's IP allowlist (2.16, scope `manage_ip_allowlist`): read and replaced whole.

use reqwest::Method;

use crate::intercom::client::{Client, Request};
use crate::intercom::error::ApiError;
use crate::intercom::fetch::FetchError;
use crate::intercom::wire;
use crate::model::IpAllowlist;

impl Client {
    /// `GET /ip_allowlist`.
    pub async fn ip_allowlist(&self) -> Result<IpAllowlist, FetchError> {
        let req = Request::new(Method::GET, "/ip_allowlist", "read the IP allowlist");
        let raw: wire::IpAllowlist = self.get_json(&req).await?;
        Ok(raw.into())
    }

    /// `PUT /ip_allowlist {enabled, ip_allowlist}`. Intercom answers 422 when the caller's own
    /// address would be locked out; the error carries its message ("Your IP (…) is not on the
    /// allowlist").
    pub async fn set_ip_allowlist(&self, wanted: &IpAllowlist) -> Result<IpAllowlist, ApiError> {
        let body = wire::IpAllowlist {
            r#type: None,
            enabled: wanted.enabled,
            ip_allowlist: wanted.ranges.clone(),
        };
        let req = Request::new(Method::PUT, "/ip_allowlist", "update the IP allowlist").json(&body);
        let reply = self.send(&req).await?;
        Ok(self.decode::<wire::IpAllowlist>(&reply)?.into())
    }
}
