//! Where requests go: an Intercom region or an explicit endpoint (the sandbox, a proxy), and the
//! rule that a token is never sent over plain HTTP to anything but this machine.

use std::fmt;
use std::net::IpAddr;

use reqwest::Url;

use crate::model::Region;

/// A region's API base URL.
pub fn region_base_url(region: Region) -> &'static str {
    match region {
        Region::Us => "https://api.intercom.io",
        Region::Eu => "https://api.eu.intercom.io",
        Region::Au => "https://api.au.intercom.io",
    }
}

/// Where the client sends requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// One of Intercom's regional API hosts.
    Region(Region),
    /// An explicit base URL (the sandbox, a recording proxy, a test double).
    Endpoint(Url),
}

/// Why a target cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    /// Plain HTTP to a host other than this machine would expose the token on the network.
    #[error(
        "refusing to send the access token over plain http to `{host}` ({url})\n  \
         help: use an https:// endpoint, or http:// only for 127.0.0.1, ::1 or localhost"
    )]
    InsecureEndpoint {
        /// The endpoint URL.
        url: String,
        /// Its host.
        host: String,
    },
    /// Only `http` and `https` URLs with a host can be used.
    #[error(
        "`{url}` is not a usable endpoint\n  help: give an http(s) base URL such as https://api.intercom.io"
    )]
    Unusable {
        /// The endpoint URL.
        url: String,
    },
}

impl Target {
    /// The checked base URL: https anywhere, http only to a loopback host. Checked before any
    /// connection is opened.
    pub fn base_url(&self) -> Result<Url, TargetError> {
        let url = match self {
            Target::Region(region) => {
                Url::parse(region_base_url(*region)).map_err(|_| TargetError::Unusable {
                    url: region_base_url(*region).to_string(),
                })?
            }
            Target::Endpoint(url) => url.clone(),
        };
        let unusable = || TargetError::Unusable {
            url: url.to_string(),
        };
        let host = url.host_str().ok_or_else(unusable)?.to_string();
        if !url.username().is_empty() || url.password().is_some() {
            return Err(unusable());
        }
        match url.scheme() {
            "https" => Ok(url),
            "http" if is_loopback(&url) => Ok(url),
            "http" => Err(TargetError::InsecureEndpoint {
                url: url.to_string(),
                host,
            }),
            _ => Err(unusable()),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Region(r) => write!(f, "{} ({})", region_base_url(*r), r),
            Target::Endpoint(url) => write!(f, "{url}"),
        }
    }
}

/// Whether the URL's host is this machine: 127.0.0.0/8, ::1 (also IPv4-mapped) or `localhost`.
fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    // IPv6 hosts come bracketed (`[::1]`).
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<IpAddr>() {
        Ok(ip) => ip.to_canonical().is_loopback(),
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    }
}

/// Whether two URLs share scheme, host and port, so a token sent to one may go to the other
/// (used before following a `pages.next` URL).
pub(crate) fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str().map(str::to_ascii_lowercase) == b.host_str().map(str::to_ascii_lowercase)
        && a.port_or_known_default() == b.port_or_known_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(s: &str) -> Target {
        Target::Endpoint(Url::parse(s).unwrap())
    }

    #[test]
    fn regions_map_to_their_hosts() {
        assert_eq!(
            Target::Region(Region::Us).base_url().unwrap().as_str(),
            "https://api.intercom.io/"
        );
        assert_eq!(
            Target::Region(Region::Eu).base_url().unwrap().host_str(),
            Some("api.eu.intercom.io")
        );
        assert_eq!(
            Target::Region(Region::Au).base_url().unwrap().host_str(),
            Some("api.au.intercom.io")
        );
    }

    #[test]
    fn plain_http_is_allowed_only_to_loopback() {
        for ok in [
            "http://127.0.0.1:8080",
            "http://127.8.9.10/",
            "http://[::1]:9000/",
            "http://localhost:1234",
            "http://LOCALHOST/",
            "http://[::ffff:127.0.0.1]/",
            "https://example.com",
        ] {
            assert!(endpoint(ok).base_url().is_ok(), "{ok}");
        }
        for bad in [
            "http://example.com",
            "http://10.0.0.1:8080",
            "http://localhost.evil.com",
            "http://[::2]/",
            "http://0.0.0.0/",
        ] {
            let err = endpoint(bad).base_url().unwrap_err();
            assert!(
                matches!(err, TargetError::InsecureEndpoint { .. }),
                "{bad}: {err}"
            );
            assert!(err.to_string().contains("plain http"), "{err}");
        }
    }

    #[test]
    fn other_schemes_and_userinfo_are_unusable() {
        for bad in ["ftp://127.0.0.1/", "https://user:pw@example.com/"] {
            assert!(matches!(
                endpoint(bad).base_url(),
                Err(TargetError::Unusable { .. })
            ));
        }
    }

    #[test]
    fn same_origin_compares_scheme_host_and_port() {
        let a = Url::parse("https://api.intercom.io/segments").unwrap();
        assert!(same_origin(
            &a,
            &Url::parse("https://API.intercom.io:443/x?y=1").unwrap()
        ));
        assert!(!same_origin(
            &a,
            &Url::parse("http://api.intercom.io/x").unwrap()
        ));
        assert!(!same_origin(
            &a,
            &Url::parse("https://evil.example/x").unwrap()
        ));
    }
}
