//! IP addresses and CIDR ranges as the allowlist compares them: `10.0.0.1` is `10.0.0.1/32`,
//! host bits below the prefix are cleared (`10.0.0.7/24` is `10.0.0.0/24`).

use std::fmt;
use std::net::IpAddr;

/// One canonical range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// Parses `addr` or `addr/prefix`; `None` when it is neither.
    pub fn parse(raw: &str) -> Option<Cidr> {
        let raw = raw.trim();
        let (addr, prefix) = match raw.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (raw, None),
        };
        let addr: IpAddr = addr.parse().ok()?;
        let bits = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => p.parse().ok()?,
            Some(_) => return None,
            None => bits,
        };
        if prefix > bits {
            return None;
        }
        Some(Cidr {
            network: mask(addr, prefix),
            prefix,
        })
    }

    /// Whether every address of `other` is in this range.
    pub fn contains(&self, other: &Cidr) -> bool {
        self.network.is_ipv4() == other.network.is_ipv4()
            && other.prefix >= self.prefix
            && mask(other.network, self.prefix) == self.network
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

fn mask(addr: IpAddr, prefix: u8) -> IpAddr {
    match addr {
        IpAddr::V4(a) => {
            let m = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V4((u32::from(a) & m).into())
        }
        IpAddr::V6(a) => {
            let m = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V6((u128::from(a) & m).into())
        }
    }
}

/// The canonical ranges of a list, sorted and without duplicates; what does not parse is kept
/// out (checks report it).
pub fn canonical<'a>(ranges: impl IntoIterator<Item = &'a String>) -> Vec<Cidr> {
    let mut out: Vec<Cidr> = ranges.into_iter().filter_map(|r| Cidr::parse(r)).collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> Cidr {
        Cidr::parse(s).unwrap()
    }

    #[test]
    fn addresses_and_ranges_are_canonical() {
        assert_eq!(c("10.0.0.1"), c("10.0.0.1/32"));
        assert_eq!(c("10.0.0.7/24").to_string(), "10.0.0.0/24");
        assert_eq!(c("2001:db8::1").to_string(), "2001:db8::1/128");
        assert_eq!(c("0.0.0.0/0").to_string(), "0.0.0.0/0");
        for bad in [
            "10.0.0.1/33",
            "10.0.0",
            "x",
            "10.0.0.1/",
            "10.0.0.1/+4",
            "::1/129",
        ] {
            assert_eq!(Cidr::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn containment_follows_the_prefix() {
        assert!(c("10.0.0.0/8").contains(&c("10.1.2.3")));
        assert!(!c("10.1.2.3").contains(&c("10.0.0.0/8")));
        assert!(!c("10.0.0.0/8").contains(&c("11.0.0.1")));
        assert!(!c("0.0.0.0/0").contains(&c("::1")));
    }
}
