//! Validation of the tenant API URL that operators give the gateway.
//!
//! Kandji customers paste the wrong thing into the URL field often enough that
//! a bare "invalid URL" wastes their time: the web console host, a legacy
//! `clients.*` host, a URL without `https://` or `/api/v1/`, even the token.
//! [`ApiUrl::parse`] accepts only the API hosts Kandji's own CLI accepts and
//! says, for each mistake it knows, what is wrong and which URL to use instead.
//! Messages repeat nothing typed but a rebuilt tenant host, so a token or
//! password in the wrong place cannot leak into a log line. [`Permission`]
//! lists the token permissions that `kandji-gateway check` probes.

use std::fmt;

use url::{Host, Url};

/// Which Kandji region hosts a tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Region {
    /// United States: `<sub>.api.kandji.io` or `<sub>.api.iru.com`.
    Us,
    /// Europe: `<sub>.api.eu.kandji.io`.
    Eu,
}

const US_API: &str = ".api.kandji.io";
const EU_API: &str = ".api.eu.kandji.io";
const IRU_API: &str = ".api.iru.com";

/// Builds the error for a URL whose corrected form is the argument.
type Rejection = fn(String) -> ApiUrlError;

const CONSOLE: Option<Rejection> = Some(ApiUrlError::ConsoleHost);
const LEGACY: Option<Rejection> = Some(ApiUrlError::LegacyHost);
const EU_IRU: Option<Rejection> = Some(ApiUrlError::EuIruHost);

/// Host suffixes, most specific first: what is wrong with each (nothing for
/// the three API hosts) and the API suffix the same tenant should use.
const HOSTS: [(&str, Option<Rejection>, &str); 10] = [
    (US_API, None, US_API),
    (EU_API, None, EU_API),
    (IRU_API, None, IRU_API),
    (".api.eu.iru.com", EU_IRU, EU_API),
    (".clients.us-1.kandji.io", LEGACY, US_API),
    (".clients.eu.kandji.io", LEGACY, EU_API),
    (".eu.kandji.io", CONSOLE, EU_API),
    (".eu.iru.com", CONSOLE, EU_API),
    (".kandji.io", CONSOLE, US_API),
    (".iru.com", CONSOLE, IRU_API),
];

/// A validated tenant API URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiUrl {
    base: Url,
    host: String,
    subdomain: String,
    region: Region,
}

impl ApiUrl {
    /// Validates a tenant API URL such as `https://acme.api.kandji.io/api/v1/`.
    ///
    /// Surrounding whitespace, letter case in the host, a default port and a
    /// missing trailing slash are fixed silently; anything else is an error.
    pub fn parse(input: &str) -> Result<ApiUrl, ApiUrlError> {
        let input = input.trim();
        if input.is_empty() {
            return Err(ApiUrlError::Empty);
        }

        // A token pasted alone, after "Bearer", or next to the URL.
        let mut words = input
            .split_whitespace()
            .map(|word| word.trim_matches(['"', '\'']));
        if words.any(is_uuid) {
            return Err(ApiUrlError::LooksLikeToken);
        }
        if input.contains(char::is_whitespace) {
            return Err(ApiUrlError::NotAUrl);
        }

        // Parse as https whatever the scheme, so the host can still be judged.
        let (scheme, rest) = split_scheme(input);
        let url = Url::parse(&format!("https://{rest}")).map_err(|_| ApiUrlError::NotAUrl)?;
        let query = url.query().unwrap_or_default();
        let fragment = url.fragment().unwrap_or_default();
        if contains_uuid(query) || contains_uuid(fragment) {
            return Err(ApiUrlError::LooksLikeToken);
        }

        // The first problem found names the error; the suggestion fixes them all.
        let (subdomain, host_problem, api_suffix) = classify_host(&url)?;
        let path_missing = matches!(url.path(), "/" | "/api" | "/api/");
        let path_ok = matches!(url.path(), "/api/v1" | "/api/v1/");
        let problems: [Option<Rejection>; 7] = [
            host_problem,
            (!url.username().is_empty() || url.password().is_some())
                .then_some(ApiUrlError::Credentials),
            scheme,
            url.port().is_some().then_some(ApiUrlError::Port),
            path_missing.then_some(ApiUrlError::MissingPath),
            (!path_missing && !path_ok).then_some(ApiUrlError::WrongPath),
            (!query.is_empty() || !fragment.is_empty()).then_some(ApiUrlError::QueryOrFragment),
        ];
        let fixed = ApiUrl::from_parts(subdomain, api_suffix)?;
        match problems.into_iter().flatten().next() {
            Some(rejection) => Err(rejection(fixed.to_string())),
            None => Ok(fixed),
        }
    }

    /// The region whose API host this URL names.
    pub fn region(&self) -> Region {
        self.region
    }

    /// The lowercase API host, e.g. `acme.api.eu.kandji.io`.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The tenant's subdomain, e.g. `acme`.
    pub fn subdomain(&self) -> &str {
        &self.subdomain
    }

    /// The base every endpoint hangs off: `https://<host>/api/v1/`.
    pub fn base(&self) -> &Url {
        &self.base
    }

    /// An endpoint under the base, e.g. `devices/x/details` or `devices?limit=1`.
    /// A leading slash is ignored, and a path that looks like a full URL still
    /// stays on this tenant's host.
    pub fn endpoint(&self, path: &str) -> Url {
        let relative = format!("./{}", path.trim_start_matches('/'));
        self.base
            .join(&relative)
            .expect("a relative path always joins onto an https base")
    }

    /// The same tenant on the EU API host, for `check`'s hint when a US host
    /// does not know the tenant; `None` when this URL is already in the EU.
    pub fn eu_variant(&self) -> Option<ApiUrl> {
        match self.region {
            Region::Us => ApiUrl::from_parts(&self.subdomain, EU_API).ok(),
            Region::Eu => None,
        }
    }

    fn from_parts(subdomain: &str, api_suffix: &str) -> Result<ApiUrl, ApiUrlError> {
        let host = format!("{subdomain}{api_suffix}");
        let base =
            Url::parse(&format!("https://{host}/api/v1/")).map_err(|_| ApiUrlError::NotAUrl)?;
        let region = match api_suffix {
            EU_API => Region::Eu,
            _ => Region::Us,
        };
        let subdomain = subdomain.to_owned();
        Ok(ApiUrl {
            base,
            host,
            subdomain,
            region,
        })
    }
}

impl fmt::Display for ApiUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.base.as_str())
    }
}

/// Why a URL was rejected: what is wrong and, where it can be inferred, the
/// URL to use instead (also given by [`ApiUrlError::suggestion`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiUrlError {
    /// Nothing but whitespace was given.
    #[error("The Kandji API URL is empty; set it to https://<subdomain>.api.kandji.io/api/v1/.")]
    Empty,
    /// The input looks like an API token; it is never repeated back.
    #[error("The Kandji API URL looks like an API token, which belongs in KANDJI_API_TOKEN.")]
    LooksLikeToken,
    /// The input cannot be read as a URL.
    #[error("The Kandji API URL is not a URL like https://<subdomain>.api.kandji.io/api/v1/.")]
    NotAUrl,
    /// A user name or password in the URL; neither is repeated back.
    #[error("The Kandji API URL must not contain a user name or password. Use {0} instead.")]
    Credentials(String),
    /// Only a tenant subdomain; holds the US and the EU form.
    #[error("The Kandji API URL is only a subdomain. Use {0} instead, or {1} in the EU.")]
    BareSubdomain(String, String),
    /// The tenant subdomain is not a single valid DNS label.
    #[error(
        "The Kandji API URL's tenant subdomain is not a DNS label (1 to 63 letters, digits or \
         inner hyphens)."
    )]
    InvalidSubdomain,
    /// The web console host instead of the API host.
    #[error("The Kandji API URL names the web console, not the API host. Use {0} instead.")]
    ConsoleHost(String),
    /// A `clients.*` host from before 2023.
    #[error("The Kandji API URL uses a legacy clients.* host. Use {0} instead.")]
    LegacyHost(String),
    /// `<sub>.api.eu.iru.com`: Kandji's own CLI rejects it, though one
    /// third-party guide claims it works.
    #[error("The Kandji API URL uses api.eu.iru.com, not a known API host. Use {0} instead.")]
    EuIruHost(String),
    /// Not a tenant's API host, not even a known mistake; nothing to suggest.
    #[error(
        "The Kandji API URL's host is not a tenant API host: <subdomain>.api.kandji.io (US), \
         <subdomain>.api.eu.kandji.io (EU) or <subdomain>.api.iru.com (US)."
    )]
    UnknownHost,
    /// No scheme, or one other than http or https.
    #[error("The Kandji API URL does not start with https://. Use {0} instead.")]
    MissingHttps(String),
    /// `http://`, which would send the token unencrypted.
    #[error("The Kandji API URL uses http, which would expose the token. Use {0} instead.")]
    InsecureHttp(String),
    /// A port other than https's default.
    #[error("The Kandji API URL names a port, but Kandji uses the default. Use {0} instead.")]
    Port(String),
    /// No path, or `/api` without the version.
    #[error("The Kandji API URL lacks the /api/v1/ path. Use {0} instead.")]
    MissingPath(String),
    /// A path other than `/api/v1/`, such as an endpoint or another version.
    #[error("The Kandji API URL's path must be exactly /api/v1/. Use {0} instead.")]
    WrongPath(String),
    /// A query string or fragment, which the gateway does not use.
    #[error("The Kandji API URL has a query string or fragment. Use {0} instead.")]
    QueryOrFragment(String),
}

impl ApiUrlError {
    /// The corrected URL, when it can be inferred from the input.
    pub fn suggestion(&self) -> Option<&str> {
        match self {
            Self::Credentials(url)
            | Self::BareSubdomain(url, _)
            | Self::ConsoleHost(url)
            | Self::LegacyHost(url)
            | Self::EuIruHost(url)
            | Self::MissingHttps(url)
            | Self::InsecureHttp(url)
            | Self::Port(url)
            | Self::MissingPath(url)
            | Self::WrongPath(url)
            | Self::QueryOrFragment(url) => Some(url),
            Self::Empty
            | Self::LooksLikeToken
            | Self::NotAUrl
            | Self::InvalidSubdomain
            | Self::UnknownHost => None,
        }
    }
}

/// Splits off the scheme, with what is wrong with it, from the rest of the URL.
fn split_scheme(input: &str) -> (Option<Rejection>, &str) {
    match input.split_once("://") {
        Some((name, rest)) if name.eq_ignore_ascii_case("https") => (None, rest),
        Some((name, rest)) if name.eq_ignore_ascii_case("http") => {
            (Some(ApiUrlError::InsecureHttp), rest)
        }
        Some((name, rest)) if name.bytes().all(|b| b.is_ascii_alphanumeric()) => {
            (Some(ApiUrlError::MissingHttps), rest)
        }
        _ => (Some(ApiUrlError::MissingHttps), input),
    }
}

/// Splits a host into tenant subdomain, what is wrong with it, and the API
/// suffix to use; a host with no correction is an error here.
fn classify_host(url: &Url) -> Result<(&str, Option<Rejection>, &'static str), ApiUrlError> {
    let host = match url.host() {
        Some(Host::Domain(domain)) => domain.strip_suffix('.').unwrap_or(domain),
        Some(Host::Ipv4(_) | Host::Ipv6(_)) => return Err(ApiUrlError::UnknownHost),
        None => return Err(ApiUrlError::NotAUrl),
    };
    if !host.contains('.') {
        // Only a subdomain, such as `acme`.
        check_subdomain(host)?;
        let us = ApiUrl::from_parts(host, US_API)?.to_string();
        let eu = ApiUrl::from_parts(host, EU_API)?.to_string();
        return Err(ApiUrlError::BareSubdomain(us, eu));
    }
    for (suffix, problem, api_suffix) in HOSTS {
        // `api.kandji.io` alone names no tenant.
        if host == &suffix[1..] {
            return Err(ApiUrlError::UnknownHost);
        }
        if let Some(subdomain) = host.strip_suffix(suffix) {
            check_subdomain(subdomain)?;
            return Ok((subdomain, problem, api_suffix));
        }
    }
    Err(ApiUrlError::UnknownHost)
}

/// Checks that a tenant subdomain is one DNS label and not a pasted token.
fn check_subdomain(label: &str) -> Result<(), ApiUrlError> {
    if is_uuid(label) {
        return Err(ApiUrlError::LooksLikeToken);
    }
    let dns_char = |b: u8| b.is_ascii_alphanumeric() || b == b'-';
    let valid = (1..=63).contains(&label.len())
        && label.bytes().all(dns_char)
        && !label.starts_with('-')
        && !label.ends_with('-');
    if valid {
        Ok(())
    } else {
        Err(ApiUrlError::InvalidSubdomain)
    }
}

/// Whether `text` has the 8-4-4-4-12 hex shape of a Kandji API token.
fn is_uuid(text: &str) -> bool {
    let groups: Vec<usize> = text.split('-').map(str::len).collect();
    groups == [8, 4, 4, 4, 12] && text.bytes().all(|b| b == b'-' || b.is_ascii_hexdigit())
}

fn contains_uuid(text: &str) -> bool {
    (text.as_bytes().windows(36)).any(|window| std::str::from_utf8(window).is_ok_and(is_uuid))
}

/// The permissions Kandji's API token settings name, as the gateway needs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Lists devices: the fleet inventory.
    DeviceList,
    /// Reads one device's details: encryption, OS version, MDM state.
    DeviceDetails,
    /// Reads the apps installed on one device.
    ApplicationList,
    /// Reads the library items on one device and their status.
    DeviceLibraryItems,
    /// Lists directory-integration users.
    Users,
    /// Lists blueprints.
    Blueprints,
    /// Reads a library item's status across the fleet.
    LibraryItems,
    /// Reads the fleet-wide Prism ("Visibility") reports.
    Prism,
}

impl Permission {
    /// Every permission, in the order `check` reports them; the required first.
    pub const ALL: [Permission; 8] = [
        Permission::DeviceList,
        Permission::DeviceDetails,
        Permission::ApplicationList,
        Permission::DeviceLibraryItems,
        Permission::Users,
        Permission::Blueprints,
        Permission::LibraryItems,
        Permission::Prism,
    ];

    /// The snake-case name, e.g. `device_list`.
    pub fn api_name(&self) -> &'static str {
        match self {
            Self::DeviceList => "device_list",
            Self::DeviceDetails => "device_details",
            Self::ApplicationList => "application_list",
            Self::DeviceLibraryItems => "device_library_items",
            Self::Users => "users",
            Self::Blueprints => "blueprints",
            Self::LibraryItems => "library_items",
            Self::Prism => "prism",
        }
    }

    /// The name Kandji's API token settings page shows, e.g. "Device list".
    pub fn settings_label(&self) -> &'static str {
        match self {
            Self::DeviceList => "Device list",
            Self::DeviceDetails => "Device details",
            Self::ApplicationList => "Application list",
            Self::DeviceLibraryItems => "Device library items",
            Self::Users => "Users",
            Self::Blueprints => "Blueprints",
            Self::LibraryItems => "Library items",
            Self::Prism => "Visibility (Prism)",
        }
    }

    /// Whether the gateway needs it: the four permissions Drata asks for.
    pub fn required(&self) -> bool {
        Permission::ALL[..4].contains(self)
    }

    /// The endpoint `check` probes, relative to the base. Per-device probes hold
    /// a `{device_id}` placeholder and the library item probe a
    /// `{library_item_id}` one, to fill in before [`ApiUrl::endpoint`].
    pub fn probe_path(&self) -> &'static str {
        match self {
            Self::DeviceList => "devices?limit=1",
            Self::DeviceDetails => "devices/{device_id}/details",
            Self::ApplicationList => "devices/{device_id}/apps",
            Self::DeviceLibraryItems => "devices/{device_id}/library-items",
            Self::Users => "users",
            Self::Blueprints => "blueprints?limit=1",
            Self::LibraryItems => "library/library-items/{library_item_id}/status?limit=1",
            Self::Prism => "prism/device_information?limit=1",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ApiUrlError as E;

    const US: &str = "https://acme.api.kandji.io/api/v1/";
    const EU: &str = "https://acme.api.eu.kandji.io/api/v1/";
    const IRU: &str = "https://acme.api.iru.com/api/v1/";
    const TOKEN: &str = "3f6c2a9e-8b1d-4e7a-9c52-0d4b8e1f7a36";

    /// Asserts the exact error, and that its message names the problem and the fix.
    fn rejects(input: &str, expected: ApiUrlError, problem: &str) {
        let error = ApiUrl::parse(input).unwrap_err();
        assert_eq!(error, expected, "input {input:?}");
        let message = error.to_string();
        assert!(message.contains(problem), "{message:?} lacks {problem:?}");
        let fix = error.suggestion().map(|url| format!("Use {url} instead"));
        assert!(message.contains(&fix.unwrap_or_default()), "{message:?}");
    }

    #[test]
    fn the_three_api_hosts_are_accepted_with_their_region() {
        for (input, region) in [(US, Region::Us), (EU, Region::Eu), (IRU, Region::Us)] {
            let url = ApiUrl::parse(input).unwrap();
            assert_eq!((url.subdomain(), url.region()), ("acme", region));
            assert_eq!(format!("https://{}/api/v1/", url.host()), input);
            assert_eq!(url.base().as_str(), input);
            assert_eq!(url.to_string(), input);
        }
    }

    #[test]
    fn whitespace_case_default_port_and_trailing_slash_are_fixed_silently() {
        for input in [
            "  https://acme.api.kandji.io/api/v1\n",
            "HTTPS://ACME.Api.Kandji.IO/api/v1/",
            "https://acme.api.kandji.io:443/api/v1/",
            "https://acme.api.kandji.io./api/v1",
        ] {
            assert_eq!(ApiUrl::parse(input).unwrap().to_string(), US, "{input:?}");
        }
    }

    #[test]
    fn endpoints_join_under_the_base_and_never_leave_the_host() {
        let url = ApiUrl::parse(US).unwrap();
        let details = url.endpoint("devices/x/details");
        assert_eq!(details.as_str(), format!("{US}devices/x/details"));
        let list = url.endpoint("/devices?limit=1");
        assert_eq!(list.as_str(), format!("{US}devices?limit=1"));
        for hostile in ["//evil.example/x", "http://evil.example/x"] {
            assert!(url.endpoint(hostile).as_str().starts_with(US), "{hostile}");
        }
    }

    #[test]
    fn the_eu_variant_moves_us_tenants_only() {
        let eu = |input: &str| ApiUrl::parse(input).unwrap().eu_variant();
        assert_eq!(eu(US).unwrap().to_string(), EU);
        assert_eq!(eu(IRU).unwrap().to_string(), EU);
        assert_eq!(eu(EU), None);
    }

    #[test]
    fn empty_and_non_url_input_is_rejected_without_a_suggestion() {
        rejects(" \t ", E::Empty, "is empty");
        for input in ["not a url", "https://", "https://[::1/api/v1/"] {
            rejects(input, E::NotAUrl, "is not a URL");
        }
    }

    #[test]
    fn scheme_mistakes_suggest_the_https_form() {
        let no_https = "does not start with https://";
        for input in [
            "acme.api.kandji.io/api/v1/",
            "ftp://acme.api.kandji.io/api/v1/",
        ] {
            rejects(input, E::MissingHttps(US.into()), no_https);
        }
        let http = "http://acme.api.kandji.io/api/v1/";
        rejects(http, E::InsecureHttp(US.into()), "uses http");
    }

    #[test]
    fn a_missing_path_suggests_the_base() {
        for input in [
            "https://acme.api.kandji.io",
            "https://acme.api.kandji.io/api",
        ] {
            rejects(input, E::MissingPath(US.into()), "lacks the /api/v1/ path");
        }
    }

    #[test]
    fn an_endpoint_or_other_path_suggests_the_base() {
        for path in ["api/v1/devices", "api/v2/", "app/v1/devices", "API/V1/"] {
            let input = format!("https://acme.api.kandji.io/{path}");
            rejects(&input, E::WrongPath(US.into()), "must be exactly /api/v1/");
        }
    }

    #[test]
    fn queries_fragments_and_ports_are_dropped_from_the_suggestion() {
        let query = format!("{US}?source=x");
        rejects(&query, E::QueryOrFragment(US.into()), "query string");
        let fragment = format!("{EU}#top");
        rejects(&fragment, E::QueryOrFragment(EU.into()), "fragment");
        let port = "https://acme.api.kandji.io:8443/api/v1/";
        rejects(port, E::Port(US.into()), "names a port");
    }

    #[test]
    fn credentials_are_rejected_and_never_echoed() {
        let input = "https://admin:hunter2@acme.api.kandji.io/api/v1/";
        rejects(input, E::Credentials(US.into()), "user name or password");
        let message = ApiUrl::parse(input).unwrap_err().to_string();
        assert!(!message.contains("hunter2") && !message.contains("admin"));
    }

    #[test]
    fn web_console_hosts_suggest_the_api_host() {
        // The suggestion also repairs the scheme and path mistakes made alongside.
        for (input, fixed) in [
            ("https://acme.kandji.io/", US),
            ("acme.eu.kandji.io", EU),
            ("http://acme.iru.com/devices", IRU),
        ] {
            rejects(input, E::ConsoleHost(fixed.into()), "web console");
        }
    }

    #[test]
    fn legacy_hosts_suggest_the_api_host_of_their_region() {
        for (input, fixed) in [
            ("https://acme.clients.us-1.kandji.io/api/v1/", US),
            ("https://acme.clients.eu.kandji.io/api", EU),
        ] {
            rejects(input, E::LegacyHost(fixed.into()), "legacy clients.* host");
        }
    }

    #[test]
    fn an_eu_iru_host_suggests_the_eu_kandji_host() {
        let input = "https://acme.api.eu.iru.com/api/v1/";
        rejects(input, E::EuIruHost(EU.into()), "not a known API host");
    }

    #[test]
    fn a_bare_subdomain_suggests_the_us_host_and_names_the_eu_one() {
        let both = E::BareSubdomain(US.into(), EU.into());
        rejects("acme", both.clone(), EU);
        rejects("https://Acme/", both, "only a subdomain");
    }

    #[test]
    fn unknown_hosts_list_the_accepted_forms_without_a_suggestion() {
        let forms = "<subdomain>.api.kandji.io (US), <subdomain>.api.eu.kandji.io (EU) or \
                     <subdomain>.api.iru.com (US)";
        for input in [
            "https://example.com/api/v1/",
            "https://127.0.0.1/api/v1/",
            "api.kandji.io",
        ] {
            rejects(input, E::UnknownHost, forms);
        }
    }

    #[test]
    fn a_subdomain_must_be_one_dns_label() {
        let long = format!("https://{}.api.kandji.io/api/v1/", "a".repeat(64));
        for input in [
            "https://acme_corp.api.kandji.io/api/v1/",
            "https://-acme.api.kandji.io/api/v1/",
            "https://eng.acme.api.kandji.io/api/v1/",
            &long,
        ] {
            rejects(input, E::InvalidSubdomain, "not a DNS label");
        }
    }

    #[test]
    fn a_pasted_token_is_named_and_never_echoed() {
        for input in [
            TOKEN.to_owned(),
            format!("Bearer {TOKEN}"),
            format!("'{}'", TOKEN.to_uppercase()),
            format!("{US} {TOKEN}"),
            format!("{US}?token={TOKEN}"),
            format!("https://{TOKEN}.api.kandji.io/api/v1/"),
        ] {
            rejects(&input, E::LooksLikeToken, "looks like an API token");
            let error = ApiUrl::parse(&input).unwrap_err();
            let shown = format!("{error} {error:?}").to_lowercase();
            assert!(!shown.contains(TOKEN), "{input:?} leaked");
        }
    }

    #[test]
    fn permissions_carry_kandji_names_and_probe_under_the_base() {
        let required = Permission::ALL.map(|p| p.required());
        assert_eq!(
            required,
            [true, true, true, true, false, false, false, false]
        );
        let names = Permission::ALL.map(|p| p.api_name());
        assert_eq!(names[3], "device_library_items");
        let labels = Permission::ALL.map(|p| p.settings_label());
        assert_eq!(labels[7], "Visibility (Prism)");

        let url = ApiUrl::parse(US).unwrap();
        let details = Permission::DeviceDetails
            .probe_path()
            .replace("{device_id}", "d1");
        assert_eq!(
            url.endpoint(&details).as_str(),
            format!("{US}devices/d1/details")
        );
        for permission in Permission::ALL {
            let probe = url.endpoint(permission.probe_path());
            assert!(probe.as_str().starts_with(US), "{permission:?}");
        }
    }
}
