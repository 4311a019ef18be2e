//! Compliance verdicts for named devices of the mock fleet, one situation each, through
//! GraphQL. The mock lists which devices are in which situation (`/__mock/scenarios`); the
//! verdicts come from the gateway's rules, not from the mock.

use std::collections::HashSet;

use serde_json::{Value, json};

use crate::common::{Env, Setup};

const DEVICE_COMPLIANCE: &str = r#"
query($id: ID!) { device(id: $id) {
  name platform unassigned user { email }
  compliance {
    status stale failingControls
    checks {
      control status itemExists itemAssigned devicePassing reason
      libraryItem { id itemId name status }
      matchedItem { id name }
      installedApp { name bundleId }
      evidence { field value }
    }
  }
} }"#;

async fn compliance(env: &Env, id: &str) -> Value {
    let data = env.data(DEVICE_COMPLIANCE, json!({"id": id})).await;
    data["device"].clone()
}

fn check<'a>(device: &'a Value, control: &str) -> &'a Value {
    device["compliance"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["control"] == control)
        .unwrap_or_else(|| panic!("no {control} check in {device:#}"))
}

/// The first device of `scenario` that is in none of `excluded` (situations overlap).
async fn device_in(env: &Env, scenario: &str, excluded: &[&str]) -> String {
    let mut skip = HashSet::new();
    for other in excluded {
        skip.extend(env.scenario(other).await);
    }
    env.scenario(scenario)
        .await
        .into_iter()
        .find(|id| !skip.contains(id))
        .unwrap_or_else(|| panic!("no device only in {scenario}"))
}

const UNCLEAN: [&str; 3] = ["stale_check_in", "removed", "no_agent"];

#[tokio::test]
async fn a_compliant_mac_passes_every_control_with_evidence() {
    let env = Env::default().await;
    let id = device_in(&env, "compliant", &[]).await;
    let device = compliance(&env, &id).await;
    assert_eq!(device["compliance"]["status"], "COMPLIANT", "{device:#}");
    let checks = device["compliance"]["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 6);
    for check in checks {
        assert_eq!(check["status"], "PASS", "{check:#}");
        assert!(!check["reason"].as_str().unwrap().is_empty());
        assert!(!check["evidence"].as_array().unwrap().is_empty());
    }
    let filevault = check(&device, "DISK_ENCRYPTION");
    assert_eq!(filevault["itemExists"], true);
    assert_eq!(filevault["itemAssigned"], true);
    assert_eq!(filevault["devicePassing"], true);
    assert!(
        filevault["libraryItem"]["name"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("filevault")
    );
    let manager = check(&device, "PASSWORD_MANAGER");
    assert_eq!(
        manager["itemExists"], false,
        "PASSWORD_MANAGER has no library item"
    );
    assert_eq!(manager["itemAssigned"], false);
    assert!(manager["installedApp"]["bundleId"].is_string());
}

#[tokio::test]
async fn a_filevault_profile_reporting_success_on_an_unencrypted_disk_fails() {
    let env = Env::default().await;
    let id = device_in(&env, "filevault_profile_success_disk_unencrypted", &UNCLEAN).await;
    let device = compliance(&env, &id).await;
    let filevault = check(&device, "DISK_ENCRYPTION");
    assert_eq!(filevault["status"], "FAIL", "{filevault:#}");
    assert_eq!(filevault["libraryItem"]["status"], "success");
    assert_eq!(filevault["itemAssigned"], true);
    assert!(
        filevault["reason"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("not encrypted"),
        "{filevault:#}"
    );
    let flag = filevault["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["field"].as_str().unwrap().contains("filevault_enabled"));
    assert_eq!(
        flag.expect("the FileVault flag is evidence")["value"],
        "false"
    );
    assert_eq!(device["compliance"]["status"], "NON_COMPLIANT");
    assert!(
        device["compliance"]["failingControls"]
            .as_array()
            .unwrap()
            .contains(&json!("DISK_ENCRYPTION"))
    );
}

#[tokio::test]
async fn an_item_that_exists_but_is_not_assigned_fails_saying_so() {
    let env = Env::default().await;
    let id = device_in(&env, "item_not_assigned", &UNCLEAN).await;
    let device = compliance(&env, &id).await;
    let unassigned: Vec<&Value> = device["compliance"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["itemExists"] == true && c["itemAssigned"] == false)
        .collect();
    assert!(!unassigned.is_empty(), "{device:#}");
    for check in unassigned {
        assert_eq!(check["status"], "FAIL");
        assert!(
            check["reason"].as_str().unwrap().contains("not assigned"),
            "{check:#}"
        );
        assert!(
            check["matchedItem"]["name"].is_string(),
            "the tenant's matching item is named: {check:#}"
        );
        assert_eq!(check["libraryItem"], Value::Null);
    }
}

#[tokio::test]
async fn failed_pending_available_and_excluded_items_get_their_statuses() {
    let env = Env::default().await;
    let statuses_of = |device: &Value, wanted: &[&str]| -> Vec<Value> {
        device["compliance"]["checks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| wanted.iter().any(|w| c["libraryItem"]["status"] == *w))
            .cloned()
            .collect()
    };

    let failed = compliance(&env, &device_in(&env, "item_failed", &UNCLEAN).await).await;
    let checks = statuses_of(&failed, &["ERROR", "failed"]);
    assert!(!checks.is_empty(), "{failed:#}");
    assert!(
        checks
            .iter()
            .all(|c| c["status"] == "FAIL" && c["devicePassing"] == false)
    );

    let pending = compliance(&env, &device_in(&env, "item_pending", &UNCLEAN).await).await;
    let checks = statuses_of(
        &pending,
        &["pending", "PENDING", "INSTALLING", "DOWNLOADING", "CACHED"],
    );
    assert!(!checks.is_empty(), "{pending:#}");
    assert!(
        checks
            .iter()
            .all(|c| c["status"] == "UNKNOWN" && c["devicePassing"].is_null())
    );
    assert_ne!(pending["compliance"]["status"], "COMPLIANT");

    let available = compliance(
        &env,
        &device_in(&env, "software_update_available", &UNCLEAN).await,
    )
    .await;
    let update = check(&available, "SOFTWARE_UPDATE");
    assert_eq!(update["libraryItem"]["status"], "AVAILABLE");
    assert_eq!(
        update["status"], "FAIL",
        "an item only offered in Self Service is not enforced"
    );

    let excluded = compliance(&env, &device_in(&env, "item_excluded", &UNCLEAN).await).await;
    let checks = statuses_of(&excluded, &["EXCLUDED", "INCOMPATIBLE"]);
    assert!(!checks.is_empty(), "{excluded:#}");
    assert!(checks.iter().all(|c| c["status"] == "NOT_APPLICABLE"));
}

#[tokio::test]
async fn password_managers_are_found_by_bundle_id_or_name_and_unknown_without_the_agent() {
    let env = Env::default().await;
    let missing = compliance(
        &env,
        &device_in(&env, "no_password_manager", &UNCLEAN).await,
    )
    .await;
    let check_missing = check(&missing, "PASSWORD_MANAGER");
    assert_eq!(check_missing["status"], "FAIL", "{check_missing:#}");
    assert_eq!(check_missing["installedApp"], Value::Null);

    let by_name = compliance(
        &env,
        &device_in(&env, "password_manager_name_only", &UNCLEAN).await,
    )
    .await;
    let check_name = check(&by_name, "PASSWORD_MANAGER");
    assert_eq!(check_name["status"], "PASS", "{check_name:#}");
    assert!(check_name["installedApp"]["name"].is_string());

    // Without the agent Kandji's app list comes from MDM and misses most apps: unknown, not fail.
    let id = device_in(&env, "no_agent", &["stale_check_in", "removed"]).await;
    let device = compliance(&env, &id).await;
    let check_no_agent = check(&device, "PASSWORD_MANAGER");
    assert_eq!(check_no_agent["status"], "UNKNOWN", "{device:#}");
    assert!(
        check_no_agent["reason"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("agent"),
        "{check_no_agent:#}"
    );
}

#[tokio::test]
async fn stale_macs_are_unknown_but_keep_their_evidence() {
    let env = Env::default().await;
    let id = device_in(&env, "stale_check_in", &["removed"]).await;
    let device = compliance(&env, &id).await;
    assert_eq!(device["compliance"]["stale"], true);
    for check in device["compliance"]["checks"].as_array().unwrap() {
        assert_eq!(check["status"], "UNKNOWN", "{check:#}");
        assert!(
            check["reason"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains("check-in"),
            "{check:#}"
        );
        assert!(!check["evidence"].as_array().unwrap().is_empty());
    }
}

#[tokio::test]
async fn phones_tablets_and_tvs_are_not_supported_and_unassigned_devices_are_flagged() {
    let env = Env::default().await;
    let mobile = compliance(&env, &device_in(&env, "mobile", &[]).await).await;
    assert_ne!(mobile["platform"], "MAC");
    assert_eq!(mobile["compliance"]["status"], "NOT_SUPPORTED");
    assert_eq!(mobile["compliance"]["checks"], json!([]));

    let unassigned = compliance(&env, &device_in(&env, "unassigned", &[]).await).await;
    assert_eq!(unassigned["unassigned"], true);
    assert_eq!(unassigned["user"], Value::Null);
}

#[tokio::test]
async fn the_fleet_summary_counts_match_the_per_device_verdicts() {
    let env = Env::default().await;
    let data = env
        .data(
            r#"{ complianceSummary { total compliant nonCompliant unknown notSupported
                   byControl { control pass fail unknown notApplicable } }
                 devices(first: 300) { edges { node { id isRemoved compliance { status } } } } }"#,
            json!({}),
        )
        .await;
    let summary = &data["complianceSummary"];
    let devices = data["devices"]["edges"].as_array().unwrap();
    let counted: Vec<&Value> = devices
        .iter()
        .map(|e| &e["node"])
        .filter(|d| d["isRemoved"] != true)
        .collect();
    let count = |status: &str| {
        counted
            .iter()
            .filter(|d| d["compliance"]["status"] == status)
            .count() as u64
    };

    let removed = env.scenario("removed").await.len() as u64;
    assert!(removed > 0);
    assert_eq!(
        summary["total"].as_u64().unwrap(),
        250 - removed,
        "removed devices are left out"
    );
    assert_eq!(summary["compliant"].as_u64().unwrap(), count("COMPLIANT"));
    assert_eq!(
        summary["nonCompliant"].as_u64().unwrap(),
        count("NON_COMPLIANT")
    );
    assert_eq!(summary["unknown"].as_u64().unwrap(), count("UNKNOWN"));
    assert_eq!(
        summary["notSupported"].as_u64().unwrap(),
        count("NOT_SUPPORTED")
    );

    // The mock's own list of fully compliant Macs agrees with the gateway's rules. The mock
    // is stricter in ways that are not failures: a password manager found by name only, a
    // device marked missing, an unassigned device, an excluded (not applicable) item.
    let compliant: HashSet<String> = env.scenario("compliant").await.into_iter().collect();
    let ours: HashSet<String> = counted
        .iter()
        .filter(|d| d["compliance"]["status"] == "COMPLIANT")
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    assert!(
        ours.is_superset(&compliant),
        "missing: {:?}",
        compliant.difference(&ours).collect::<Vec<_>>()
    );
    let mut lenient = HashSet::new();
    for scenario in [
        "password_manager_name_only",
        "missing",
        "unassigned",
        "item_excluded",
    ] {
        lenient.extend(env.scenario(scenario).await);
    }
    let extra: Vec<_> = ours
        .difference(&compliant)
        .filter(|id| !lenient.contains(*id))
        .collect();
    assert!(
        extra.is_empty(),
        "compliant for the gateway only: {extra:?}"
    );

    let by_control = summary["byControl"].as_array().unwrap();
    assert_eq!(by_control.len(), 6);
    let macs = summary["total"].as_u64().unwrap() - summary["notSupported"].as_u64().unwrap();
    for control in by_control {
        let sum: u64 = ["pass", "fail", "unknown", "notApplicable"]
            .iter()
            .map(|k| control[k].as_u64().unwrap())
            .sum();
        assert_eq!(
            sum, macs,
            "every counted Mac has one result per control: {control:#}"
        );
    }
}

#[tokio::test]
async fn devices_filter_by_compliance_status_and_failing_control() {
    let env = Env::default().await;
    let data = env
        .data(
            r#"{ failing: devices(first: 300, filter: { failingControl: DISK_ENCRYPTION }) {
                   totalCount edges { node { id compliance { checks { control status } } } } }
                 compliant: devices(first: 300, filter: { complianceStatus: COMPLIANT, platform: MAC }) { totalCount } }"#,
            json!({}),
        )
        .await;
    let failing: HashSet<String> = data["failing"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["id"].as_str().unwrap().to_string())
        .collect();
    for edge in data["failing"]["edges"].as_array().unwrap() {
        let checks = edge["node"]["compliance"]["checks"].as_array().unwrap();
        assert!(
            checks
                .iter()
                .any(|c| c["control"] == "DISK_ENCRYPTION" && c["status"] == "FAIL")
        );
    }
    let stale: HashSet<String> = env.scenario("stale_check_in").await.into_iter().collect();
    for id in env
        .scenario("filevault_profile_success_disk_unencrypted")
        .await
    {
        if !stale.contains(&id) {
            assert!(failing.contains(&id), "{id} should fail DISK_ENCRYPTION");
        }
    }
    assert!(
        data["compliant"]["totalCount"].as_u64().unwrap() as usize
            >= env.scenario("compliant").await.len()
    );
}

#[tokio::test]
async fn eu_macs_fail_screen_lock_because_the_tenant_has_no_screen_saver_item() {
    let env = Env::start(Setup {
        kandji_url: "https://acme.api.eu.kandji.io/api/v1/".into(),
        ..Setup::default()
    })
    .await;
    let id = device_in(&env, "compliant_except_screen_lock", &[]).await;
    let device = compliance(&env, &id).await;
    let screen = check(&device, "SCREEN_LOCK");
    assert_eq!(screen["status"], "FAIL", "{screen:#}");
    assert_eq!(screen["itemExists"], false);
    assert!(
        screen["reason"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("screen"),
        "{screen:#}"
    );
    assert_eq!(
        device["compliance"]["failingControls"],
        json!(["SCREEN_LOCK"])
    );
}

#[tokio::test]
async fn a_roster_flags_users_matched_case_mismatched_and_missing() {
    let dir = std::env::temp_dir().join(format!("kandji-gateway-roster-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let probe = Env::default().await;
    let users = probe.kandji("users").await;
    let users = users["results"].as_array().unwrap();
    let exact = users[0]["email"].as_str().unwrap().to_string();
    let shouted = users[1]["email"].as_str().unwrap().to_uppercase();
    let absent = users[2]["email"].as_str().unwrap().to_string();
    std::fs::write(
        dir.join("roster.csv"),
        format!("name,email\nA,{exact}\nB,{shouted}\n"),
    )
    .unwrap();
    std::fs::write(
        dir.join("gateway.toml"),
        "[people]\nroster = \"roster.csv\"\n",
    )
    .unwrap();

    let mut setup = Setup::default();
    setup.gateway_args.extend([
        "--config".to_string(),
        dir.join("gateway.toml").display().to_string(),
    ]);
    let env = Env::start(setup).await;
    let query = "query($e: String) { user(email: $e) { email idpMatch } }";
    let classify = |email: String| {
        let env = &env;
        async move { env.data(query, json!({"e": email})).await["user"]["idpMatch"].clone() }
    };
    assert_eq!(classify(exact).await, "MATCHED");
    assert_eq!(
        classify(users[1]["email"].as_str().unwrap().to_string()).await,
        "CASE_MISMATCH"
    );
    assert_eq!(classify(absent).await, "MISSING");

    let without = probe
        .data(
            "{ users(first: 1) { edges { node { idpMatch } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        without["users"]["edges"][0]["node"]["idpMatch"],
        Value::Null,
        "no roster, no verdict"
    );
}
