//! `kandji-gateway check`: proves a Kandji connection before anyone depends on it. It
//! validates the URL, calls each endpoint the gateway needs once, and prints which token
//! permissions are granted, denied or failing, with the fix for each.

use std::fmt::Write;

use crate::kandji::{Endpoint, KandjiClient, KandjiError, Permission, Region};

/// The outcome of probing one permission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProbeResult {
    /// The endpoint answered.
    Granted,
    /// Kandji refused for lack of the permission (or the token).
    Denied(String),
    /// Something else went wrong; the text says what.
    Error(String),
    /// Could not be probed (no device or item to probe with).
    Skipped(String),
}

/// One line of the report.
#[derive(Debug, Clone)]
pub struct ProbeLine {
    /// The permission probed.
    pub permission: Permission,
    /// The endpoint called.
    pub endpoint: Endpoint,
    /// What happened.
    pub result: ProbeResult,
}

/// The whole report.
#[derive(Debug, Clone)]
pub struct CheckReport {
    /// One line per permission, required ones first.
    pub lines: Vec<ProbeLine>,
    /// A hint printed under the table (e.g. the EU host).
    pub hints: Vec<String>,
}

impl CheckReport {
    /// Whether everything the gateway needs is granted.
    pub fn usable(&self) -> bool {
        self.lines
            .iter()
            .all(|l| !l.permission.required() || l.result == ProbeResult::Granted)
    }

    /// The report as a table a person reads.
    pub fn render(&self, client: &KandjiClient) -> String {
        let mut out = String::new();
        let api = client.api();
        let region = match api.region() {
            Region::Us => "US",
            Region::Eu => "EU",
        };
        let _ = writeln!(out, "Kandji API URL: {api} (region {region})\n");
        let _ = writeln!(
            out,
            "{:<22} {:<9} {:<58} RESULT",
            "PERMISSION", "NEEDED", "ENDPOINT"
        );
        for line in &self.lines {
            let needed = if line.permission.required() {
                "required"
            } else {
                "optional"
            };
            let result = match &line.result {
                ProbeResult::Granted => "granted".to_string(),
                ProbeResult::Denied(fix) => format!("DENIED: {fix}"),
                ProbeResult::Error(why) => format!("ERROR: {why}"),
                ProbeResult::Skipped(why) => format!("skipped: {why}"),
            };
            let _ = writeln!(
                out,
                "{:<22} {:<9} {:<58} {result}",
                line.permission.settings_label(),
                needed,
                line.endpoint.template()
            );
        }
        for hint in &self.hints {
            let _ = writeln!(out, "\n{hint}");
        }
        let required_denied = self
            .lines
            .iter()
            .any(|l| l.permission.required() && matches!(l.result, ProbeResult::Denied(_)));
        let token_rejected = self.lines.iter().any(|l| {
            matches!(&l.result, ProbeResult::Denied(why) if why.contains("rejected the API token"))
        });
        let verdict = if token_rejected {
            "\nNOT USABLE: Kandji rejected the API token: it is wrong, revoked or expired (tokens are \
             deleted with the admin who created them). Create a token in Kandji under Settings > \
             Access > API Token, set KANDJI_API_TOKEN, then run `kandji-gateway check` again."
        } else if self.usable() {
            "\nOK: the token has every permission the gateway needs."
        } else if required_denied {
            "\nNOT USABLE: grant the permissions marked DENIED (required) in Kandji under \
             Settings > Access > API Token, then run `kandji-gateway check` again."
        } else {
            "\nNOT USABLE: Kandji could not be reached or answered with errors (see ERROR above). \
             Check the URL, the network path to Kandji (or that mock-kandji runs at \
             KANDJI_CONNECT_TO), then run `kandji-gateway check` again."
        };
        out.push_str(verdict);
        out.push('\n');
        out
    }
}

fn classify(result: Result<serde_json::Value, KandjiError>) -> ProbeResult {
    match result {
        Ok(_) => ProbeResult::Granted,
        Err(KandjiError::Forbidden { endpoint, .. }) => ProbeResult::Denied(format!(
            "grant \"{}\" to the token",
            endpoint.permission().settings_label()
        )),
        Err(KandjiError::Unauthenticated { status, .. }) => {
            ProbeResult::Denied(format!("Kandji rejected the API token (HTTP {status})"))
        }
        Err(e) => ProbeResult::Error(e.to_string()),
    }
}

/// Calls each endpoint once and reports.
pub async fn run(client: &KandjiClient) -> CheckReport {
    let mut lines = Vec::new();
    let mut hints = Vec::new();

    // The device list first: it proves the URL and the token, and yields a device to probe.
    let list = client
        .get::<serde_json::Value>(Endpoint::DeviceList, "devices", &[("limit", "1".into())])
        .await;
    let device_id = list
        .as_ref()
        .ok()
        .and_then(|v| v.get(0)?.get("device_id")?.as_str().map(str::to_string));
    if let Err(error) = &list
        && matches!(
            error,
            KandjiError::NotFound { .. } | KandjiError::Unavailable { .. }
        )
        && let Some(eu) = client.api().eu_variant()
    {
        hints.push(format!(
            "The tenant did not answer on the US host. If it is hosted in the EU, use \
             KANDJI_API_URL={eu}"
        ));
    }
    let unreachable = matches!(
        &list,
        Err(KandjiError::Unavailable { .. }
            | KandjiError::Timeout { .. }
            | KandjiError::RateLimited { .. })
    );
    lines.push(ProbeLine {
        permission: Permission::DeviceList,
        endpoint: Endpoint::DeviceList,
        result: classify(list),
    });

    // When Kandji does not answer at all, probing the rest would only wait the same way.
    if unreachable {
        let rest = [
            (Permission::DeviceDetails, Endpoint::DeviceDetails),
            (Permission::ApplicationList, Endpoint::DeviceApps),
            (Permission::DeviceLibraryItems, Endpoint::DeviceLibraryItems),
            (Permission::Users, Endpoint::Users),
            (Permission::Blueprints, Endpoint::Blueprints),
            (Permission::LibraryItems, Endpoint::LibraryItemStatus),
            (Permission::Prism, Endpoint::Prism),
        ];
        for (permission, endpoint) in rest {
            let result = ProbeResult::Skipped("Kandji did not answer the device list".into());
            lines.push(ProbeLine {
                permission,
                endpoint,
                result,
            });
        }
        return CheckReport { lines, hints };
    }

    let per_device = [
        (
            Permission::DeviceDetails,
            Endpoint::DeviceDetails,
            "details",
        ),
        (Permission::ApplicationList, Endpoint::DeviceApps, "apps"),
        (
            Permission::DeviceLibraryItems,
            Endpoint::DeviceLibraryItems,
            "library-items",
        ),
    ];
    for (permission, endpoint, suffix) in per_device {
        let result = match &device_id {
            Some(id) => classify(
                client
                    .get(endpoint, &format!("devices/{id}/{suffix}"), &[])
                    .await,
            ),
            None => ProbeResult::Skipped(
                "no device to probe with (the device list failed or is empty)".into(),
            ),
        };
        lines.push(ProbeLine {
            permission,
            endpoint,
            result,
        });
    }

    let users = client.get(Endpoint::Users, "users", &[]).await;
    lines.push(ProbeLine {
        permission: Permission::Users,
        endpoint: Endpoint::Users,
        result: classify(users),
    });

    let blueprints = client
        .get::<serde_json::Value>(Endpoint::Blueprints, "blueprints", &[("limit", "1".into())])
        .await;
    let blueprint_id = blueprints.as_ref().ok().and_then(|v| {
        v.get("results")?
            .get(0)?
            .get("id")?
            .as_str()
            .map(str::to_string)
    });
    lines.push(ProbeLine {
        permission: Permission::Blueprints,
        endpoint: Endpoint::Blueprints,
        result: classify(blueprints),
    });

    // A library item id comes from a blueprint's item list.
    let item_id = match &blueprint_id {
        Some(id) => client
            .blueprint_library_items(id)
            .await
            .ok()
            .and_then(|items| items.into_iter().next().map(|i| i.id)),
        None => None,
    };
    let result = match item_id {
        Some(id) => {
            let path = format!("library/library-items/{id}/status");
            classify(
                client
                    .get(Endpoint::LibraryItemStatus, &path, &[("limit", "1".into())])
                    .await,
            )
        }
        None => ProbeResult::Skipped("no library item to probe with (needs Blueprints)".into()),
    };
    lines.push(ProbeLine {
        permission: Permission::LibraryItems,
        endpoint: Endpoint::LibraryItemStatus,
        result,
    });

    let prism = client
        .get(
            Endpoint::Prism,
            "prism/device_information",
            &[("limit", "1".into())],
        )
        .await;
    lines.push(ProbeLine {
        permission: Permission::Prism,
        endpoint: Endpoint::Prism,
        result: classify(prism),
    });

    CheckReport { lines, hints }
}
