//! Which tenant a request is for, read from its `Host` header as Kandji does.
//!
//! `<sub>.api.kandji.io` and `<sub>.api.iru.com` are the US tenant `<sub>`,
//! `<sub>.api.eu.kandji.io` the EU tenant `<sub>`, and a loopback host the US
//! tenant `demo`, so that a browser or curl pointed at the mock just works.

use serde::Serialize;

/// Where a tenant is hosted; fleets differ by region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Region {
    /// `*.api.kandji.io` and `*.api.iru.com`.
    #[serde(rename = "US")]
    Us,
    /// `*.api.eu.kandji.io`.
    #[serde(rename = "EU")]
    Eu,
}

impl Region {
    /// The label used in admin answers: `US` or `EU`.
    pub fn label(self) -> &'static str {
        match self {
            Region::Us => "US",
            Region::Eu => "EU",
        }
    }
}

/// Identifies one tenant: its region and subdomain.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TenantKey {
    /// Where the tenant is hosted.
    pub region: Region,
    /// The tenant's subdomain, lowercase.
    pub subdomain: String,
}

impl TenantKey {
    /// The tenant served on loopback hosts.
    pub fn demo() -> Self {
        TenantKey {
            region: Region::Us,
            subdomain: "demo".to_owned(),
        }
    }

    /// `US/demo`, for logs and stats.
    pub fn label(&self) -> String {
        format!("{}/{}", self.region.label(), self.subdomain)
    }
}

/// The host without its port, lowercase: `acme.api.kandji.io:443` gives
/// `acme.api.kandji.io`, `[::1]:7001` gives `::1`.
pub fn strip_port(host: &str) -> String {
    let host = host.trim().to_ascii_lowercase();
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split(']').next().unwrap_or_default().to_owned();
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name.to_owned(),
        _ => host,
    }
}

/// True when a `Host` header names 127.0.0.0/8, `localhost` or `[::1]`.
pub fn is_loopback(host: &str) -> bool {
    is_loopback_name(&strip_port(host))
}

fn is_loopback_name(name: &str) -> bool {
    name == "localhost" || name == "::1" || name.starts_with("127.")
}

/// The tenant a `Host` header names, or `None` for a host Kandji would not serve.
pub fn tenant_for_host(host: &str) -> Option<TenantKey> {
    let name = strip_port(host);
    if is_loopback_name(&name) {
        return Some(TenantKey::demo());
    }
    let (region, subdomain) = if let Some(sub) = name.strip_suffix(".api.eu.kandji.io") {
        (Region::Eu, sub)
    } else if let Some(sub) = name.strip_suffix(".api.kandji.io") {
        (Region::Us, sub)
    } else if let Some(sub) = name.strip_suffix(".api.iru.com") {
        (Region::Us, sub)
    } else {
        return None;
    };
    is_dns_label(subdomain).then(|| TenantKey {
        region,
        subdomain: subdomain.to_owned(),
    })
}

/// The web console host for an API host (`acme.api.kandji.io` gives
/// `acme.kandji.io`); Kandji's users `next` links point there. Loopback
/// hosts are kept as they are, port included, so the links stay usable.
pub fn web_host(host: &str) -> String {
    if is_loopback(host) {
        return host.to_owned();
    }
    host.replacen(".api.", ".", 1)
}

/// `https` for Kandji's hosts, `http` for loopback.
pub fn scheme(host: &str) -> &'static str {
    if is_loopback(host) { "http" } else { "https" }
}

fn is_dns_label(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= 63
        && !label.starts_with('-')
        && !label.ends_with('-')
        && label
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(region: Region, sub: &str) -> Option<TenantKey> {
        Some(TenantKey {
            region,
            subdomain: sub.to_owned(),
        })
    }

    #[test]
    fn kandji_and_iru_hosts_name_us_and_eu_tenants() {
        assert_eq!(
            tenant_for_host("acme.api.kandji.io"),
            key(Region::Us, "acme")
        );
        assert_eq!(
            tenant_for_host("Acme.API.iru.com:443"),
            key(Region::Us, "acme")
        );
        assert_eq!(
            tenant_for_host("acme.api.eu.kandji.io"),
            key(Region::Eu, "acme")
        );
    }

    #[test]
    fn loopback_hosts_serve_the_demo_tenant() {
        for host in ["127.0.0.1:7001", "localhost", "[::1]:80", "127.0.0.1"] {
            assert_eq!(tenant_for_host(host), Some(TenantKey::demo()), "{host}");
        }
    }

    #[test]
    fn other_hosts_are_not_tenants() {
        for host in [
            "example.com",
            "acme.kandji.io",
            "a.b.api.kandji.io",
            ".api.kandji.io",
        ] {
            assert_eq!(tenant_for_host(host), None, "{host}");
        }
        assert_eq!(tenant_for_host("acme.api.eu.iru.com"), None);
    }

    #[test]
    fn web_host_drops_the_api_label_except_on_loopback() {
        assert_eq!(web_host("acme.api.kandji.io"), "acme.kandji.io");
        assert_eq!(web_host("acme.api.eu.kandji.io"), "acme.eu.kandji.io");
        assert_eq!(web_host("127.0.0.1:7001"), "127.0.0.1:7001");
    }
}
