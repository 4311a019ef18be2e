//! `/__mock/scenarios` lists are non-empty and true to what the API says.

use axum::http::Method;
use serde_json::Value;

use crate::support::{EU, Mock, US};

const PASSWORD_MANAGER_BUNDLES: &[&str] = &[
    "com.1password.1password",
    "com.agilebits.onepassword7",
    "com.bitwarden.desktop",
    "com.lastpass.lastpassmacdesktop",
    "com.dashlane.dashlanephonefinal",
    "com.keepersecurity.passwordmanager",
    "org.keepassx.keepassxc",
    "com.nordsec.nordpass",
    "in.sinew.Enpass-Desktop",
    "me.proton.pass.electron",
];

const LISTS: &[&str] = &[
    "compliant",
    "filevault_profile_success_disk_unencrypted",
    "item_not_assigned",
    "item_failed",
    "item_pending",
    "software_update_available",
    "item_excluded",
    "no_password_manager",
    "password_manager_name_only",
    "no_agent",
    "stale_check_in",
    "unassigned",
    "missing",
    "removed",
    "mobile",
];

#[tokio::test]
async fn every_us_list_names_at_least_one_device_and_the_demo_tenant_is_the_default() {
    let mock = Mock::new();
    for name in LISTS {
        assert!(!mock.scenario(US, name).await.is_empty(), "{name} is empty");
    }
    let demo = mock
        .admin(Method::GET, "/__mock/scenarios", None)
        .await
        .json();
    assert_eq!(demo["tenant"], "demo");
    assert_eq!(demo["region"], "US");
    assert_eq!(mock.scenario(US, "removed").await.len(), 2);
}

#[tokio::test]
async fn eu_tenants_have_no_compliant_mac_because_of_the_screen_saver_quirk() {
    let mock = Mock::new();
    assert!(mock.scenario(EU, "compliant").await.is_empty());
    assert!(
        !mock
            .scenario(EU, "compliant_except_screen_lock")
            .await
            .is_empty()
    );
    for name in LISTS.iter().filter(|n| **n != "compliant") {
        assert!(
            !mock.scenario(EU, name).await.is_empty(),
            "EU {name} is empty"
        );
    }
}

async fn items(mock: &Mock, id: &str) -> Vec<Value> {
    mock.json(US, &format!("/api/v1/devices/{id}/library-items"))
        .await["library_items"]
        .as_array()
        .unwrap()
        .clone()
}

fn named<'a>(items: &'a [Value], keyword: &str) -> Vec<&'a Value> {
    items
        .iter()
        .filter(|i| i["name"].as_str().unwrap().to_lowercase().contains(keyword))
        .collect()
}

#[tokio::test]
async fn compliant_macs_pass_every_compliance_item_and_have_a_password_manager() {
    let mock = Mock::new();
    for id in mock.scenario(US, "compliant").await.iter().take(10) {
        let items = items(&mock, id).await;
        for keyword in [
            "filevault",
            "firewall",
            "passcode",
            "screen saver",
            "managed os",
        ] {
            let matching = named(&items, keyword);
            assert!(!matching.is_empty(), "{id}: no {keyword} item");
            assert!(
                matching
                    .iter()
                    .all(|i| i["status"] == "success" || i["status"] == "PASS"),
                "{id}: {keyword}"
            );
        }
        let details = mock
            .json(US, &format!("/api/v1/devices/{id}/details"))
            .await;
        assert_eq!(details["filevault"]["filevault_enabled"], true);
        assert_eq!(details["kandji_agent"]["agent_installed"], "True");
        let apps = mock.json(US, &format!("/api/v1/devices/{id}/apps")).await;
        assert!(
            apps["apps"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| PASSWORD_MANAGER_BUNDLES.contains(&a["bundle_id"].as_str().unwrap()))
        );
    }
}

#[tokio::test]
async fn each_problem_list_shows_its_problem_through_the_api() {
    let mock = Mock::new();
    let first = |name: &'static str| {
        let mock = mock.clone();
        async move { mock.scenario(US, name).await.remove(0) }
    };

    let id = first("filevault_profile_success_disk_unencrypted").await;
    let filevault = items(&mock, &id)
        .await
        .into_iter()
        .find(|i| i["name"] == "FileVault")
        .unwrap();
    assert_eq!(filevault["status"], "success");
    assert!(
        filevault["control_log"]
            .as_str()
            .unwrap()
            .contains("Not Encrypted")
    );
    assert_eq!(
        mock.json(US, &format!("/api/v1/devices/{id}/details"))
            .await["filevault"]["filevault_enabled"],
        false
    );

    let id = first("item_not_assigned").await;
    assert!(named(&items(&mock, &id).await, "firewall").is_empty());

    let id = first("software_update_available").await;
    assert_eq!(
        named(&items(&mock, &id).await, "managed os")[0]["status"],
        "AVAILABLE"
    );

    let id = first("item_failed").await;
    assert!(
        items(&mock, &id)
            .await
            .iter()
            .any(|i| i["status"] == "failed" || i["status"] == "ERROR")
    );

    let id = first("no_agent").await;
    assert_eq!(
        mock.json(US, &format!("/api/v1/devices/{id}")).await["agent_installed"],
        false
    );

    let id = first("password_manager_name_only").await;
    let apps = mock.json(US, &format!("/api/v1/devices/{id}/apps")).await;
    assert!(
        !apps["apps"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| PASSWORD_MANAGER_BUNDLES.contains(&a["bundle_id"].as_str().unwrap()))
    );

    for (list, field, value) in [
        ("unassigned", "user", Value::from("")),
        ("missing", "is_missing", true.into()),
        ("removed", "is_removed", true.into()),
    ] {
        let id = first(list).await;
        assert_eq!(
            mock.json(US, &format!("/api/v1/devices/{id}")).await[field],
            value,
            "{list}"
        );
    }
    let id = first("mobile").await;
    assert_ne!(
        mock.json(US, &format!("/api/v1/devices/{id}")).await["platform"],
        "Mac"
    );
}
