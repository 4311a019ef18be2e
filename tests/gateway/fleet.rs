//! The end-to-end path: devices, users, apps, library items and compliance from the mock fleet.

use std::collections::HashSet;

use serde_json::{Value, json};

use crate::common::{Env, Setup};

const DEVICES_PAGE: &str = r#"
query Page($first: Int, $after: String) {
  devices(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id name serialNumber platform isRemoved user { id email } blueprint { id name } } }
  }
}"#;

async fn all_gateway_devices(env: &Env, page_size: i64) -> (Vec<Value>, i64) {
    let mut nodes = Vec::new();
    let mut after = Value::Null;
    loop {
        let data = env
            .data(DEVICES_PAGE, json!({"first": page_size, "after": after}))
            .await;
        let connection = &data["devices"];
        nodes.extend(
            connection["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["node"].clone()),
        );
        if !connection["pageInfo"]["hasNextPage"].as_bool().unwrap() {
            return (nodes, connection["totalCount"].as_i64().unwrap());
        }
        after = connection["pageInfo"]["endCursor"].clone();
    }
}

#[tokio::test]
async fn devices_match_the_mock_fleet_name_serial_and_user_in_order() {
    let env = Env::default().await;
    let kandji = env.kandji_devices().await;
    let (nodes, total) = all_gateway_devices(&env, 100).await;

    assert_eq!(kandji.len(), 250);
    assert_eq!(total, 250);
    assert_eq!(nodes.len(), 250);
    for (ours, theirs) in nodes.iter().zip(&kandji) {
        assert_eq!(ours["id"], theirs["device_id"]);
        assert_eq!(ours["name"], theirs["device_name"]);
        assert_eq!(ours["serialNumber"], theirs["serial_number"]);
        assert_eq!(ours["blueprint"]["id"], theirs["blueprint_id"]);
        match &theirs["user"] {
            Value::Object(user) => assert_eq!(ours["user"]["email"], user["email"]),
            other => {
                assert_eq!(
                    other,
                    &json!(""),
                    "Kandji sends \"\" for an unassigned device"
                );
                assert_eq!(ours["user"], Value::Null);
            }
        }
    }
    let ids: HashSet<_> = nodes.iter().map(|n| n["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 250, "paging returned every device exactly once");
}

#[tokio::test]
async fn a_names_only_query_makes_only_device_list_calls() {
    let env = Env::default().await;
    env.reset_counts().await;
    let data = env
        .data(
            "{ devices(first: 5) { edges { node { name } } } }",
            json!({}),
        )
        .await;
    assert_eq!(data["devices"]["edges"].as_array().unwrap().len(), 5);

    let stats = env.upstream_calls().await;
    let routes: Vec<&String> = stats["by_route"].as_object().unwrap().keys().collect();
    assert_eq!(routes, vec!["GET /api/v1/devices"], "{stats:#}");
    // 250 devices: one page of 300 (the total header says that is all).
    assert_eq!(stats["by_route"]["GET /api/v1/devices"], 1, "{stats:#}");
}

#[tokio::test]
async fn apps_and_library_items_match_what_kandji_sends_for_the_device() {
    let env = Env::default().await;
    let devices = env.kandji_devices().await;
    let mac = devices
        .iter()
        .find(|d| d["platform"] == "Mac" && d["agent_installed"] == true)
        .expect("a Mac with the agent");
    let id = mac["device_id"].as_str().unwrap();

    let apps = env.kandji(&format!("devices/{id}/apps")).await;
    let items = env.kandji(&format!("devices/{id}/library-items")).await;
    let data = env
        .data(
            r#"query($id: ID!) { device(id: $id) {
                 apps(first: 300) { totalCount edges { node { id name bundleId } } }
                 libraryItems { id itemId name status }
               } }"#,
            json!({"id": id}),
        )
        .await;

    let kandji_apps = apps["apps"].as_array().unwrap();
    let our_apps = data["device"]["apps"]["edges"].as_array().unwrap();
    assert_eq!(
        data["device"]["apps"]["totalCount"].as_u64().unwrap() as usize,
        kandji_apps.len()
    );
    assert_eq!(our_apps.len(), kandji_apps.len());
    for (ours, theirs) in our_apps.iter().zip(kandji_apps) {
        assert_eq!(ours["node"]["name"], theirs["app_name"]);
        assert_eq!(ours["node"]["bundleId"], theirs["bundle_id"]);
    }
    let app_ids: HashSet<_> = our_apps
        .iter()
        .map(|a| a["node"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(app_ids.len(), our_apps.len(), "app ids are unique");

    let kandji_items = items["library_items"].as_array().unwrap();
    let our_items = data["device"]["libraryItems"].as_array().unwrap();
    assert_eq!(our_items.len(), kandji_items.len());
    for (ours, theirs) in our_items.iter().zip(kandji_items) {
        assert_eq!(ours["itemId"], theirs["item_id"]);
        assert_eq!(
            ours["status"], theirs["status"],
            "statuses are passed through as sent"
        );
        assert_eq!(
            ours["id"],
            json!(format!("{id}:item:{}", theirs["item_id"].as_str().unwrap()))
        );
    }
}

#[tokio::test]
async fn concurrent_queries_for_the_same_device_share_one_upstream_call() {
    let env = Env::default().await;
    let devices = env.kandji_devices().await;
    let id = devices.iter().find(|d| d["platform"] == "Mac").unwrap()["device_id"]
        .as_str()
        .unwrap()
        .to_string();
    env.reset_counts().await;

    let query = r#"query($id: ID!) { device(id: $id) { details { filevault { enabled } hardware { serialNumber } } } }"#;
    let answers =
        futures::future::join_all((0..8).map(|_| env.data(query, json!({"id": id})))).await;
    for answer in &answers {
        assert_eq!(answer, &answers[0]);
    }
    let stats = env.upstream_calls().await;
    assert_eq!(
        stats["by_route"]["GET /api/v1/devices/{device_id}/details"], 1,
        "{stats:#}"
    );
    assert_eq!(stats["by_route"]["GET /api/v1/devices"], 1, "{stats:#}");
}

#[tokio::test]
async fn details_normalise_string_booleans_and_dates() {
    let env = Env::default().await;
    let devices = env.kandji_devices().await;
    let mac = devices.iter().find(|d| d["platform"] == "Mac").unwrap();
    let id = mac["device_id"].as_str().unwrap();
    let details = env.kandji(&format!("devices/{id}/details")).await;
    let data = env
        .data(
            r#"query($id: ID!) { device(id: $id) { details {
                 filevault { enabled } mdm { enabled lastCheckIn } agent { installed version }
                 hardware { serialNumber } } } }"#,
            json!({"id": id}),
        )
        .await;
    let ours = &data["device"]["details"];
    assert_eq!(
        ours["filevault"]["enabled"],
        details["filevault"]["filevault_enabled"]
    );
    let mdm_enabled = details["mdm"]["mdm_enabled"].as_str().unwrap();
    assert_eq!(ours["mdm"]["enabled"], json!(mdm_enabled == "True"));
    assert_eq!(
        ours["hardware"]["serialNumber"],
        details["hardware_overview"]["serial_number"]
    );
    let last = ours["mdm"]["lastCheckIn"].as_str().unwrap();
    assert!(
        last.ends_with('Z') && last.contains('T'),
        "RFC 3339 in UTC: {last}"
    );
}

#[tokio::test]
async fn users_directory_and_user_devices_match_the_mock() {
    let env = Env::default().await;
    let devices = env.kandji_devices().await;
    let assigned = devices.iter().find(|d| d["user"].is_object()).unwrap();
    let email = assigned["user"]["email"].as_str().unwrap();
    let expected: HashSet<&str> = devices
        .iter()
        .filter(|d| d["user"].is_object() && d["user"]["id"] == assigned["user"]["id"])
        .map(|d| d["device_id"].as_str().unwrap())
        .collect();

    let data = env
        .data(
            r#"query($email: String) { user(email: $email) { id email name devices { id } }
                 users(first: 1) { totalCount } }"#,
            json!({"email": email}),
        )
        .await;
    assert_eq!(data["user"]["email"], json!(email));
    assert_eq!(data["user"]["id"], assigned["user"]["id"]);
    let ours: HashSet<&str> = data["user"]["devices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(ours, expected);
    assert!(
        data["users"]["totalCount"].as_i64().unwrap() > 25,
        "users are read past the first cursor page"
    );

    let upper = env
        .data(
            "query($e: String) { user(email: $e) { id } }",
            json!({"e": email.to_uppercase()}),
        )
        .await;
    assert_eq!(
        upper["user"],
        Value::Null,
        "emails match exactly, as Drata matches them"
    );
}

#[tokio::test]
async fn blueprints_match_the_mock() {
    let env = Env::default().await;
    let kandji = env.kandji("blueprints?limit=300").await;
    let data = env
        .data(
            "{ blueprints { id name libraryItems { id name } } }",
            json!({}),
        )
        .await;
    let ours = data["blueprints"].as_array().unwrap();
    let theirs = kandji["results"].as_array().unwrap();
    assert_eq!(ours.len(), theirs.len());
    for (o, t) in ours.iter().zip(theirs) {
        assert_eq!(o["id"], t["id"]);
        assert_eq!(o["name"], t["name"]);
        let items = env
            .kandji(&format!(
                "blueprints/{}/list-library-items?limit=300",
                t["id"].as_str().unwrap()
            ))
            .await;
        assert_eq!(
            o["libraryItems"].as_array().unwrap().len(),
            items["results"].as_array().unwrap().len()
        );
    }
}

#[tokio::test]
async fn unknown_device_is_null_and_a_bad_cursor_is_a_bad_request() {
    let env = Env::default().await;
    let data = env
        .data(
            r#"{ device(id: "3f0c9b1e-0000-4000-8000-000000000000") { name } }"#,
            json!({}),
        )
        .await;
    assert_eq!(data["device"], Value::Null);

    let answer = env
        .graphql(
            r#"{ devices(first: 5, after: "bogus") { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(answer["errors"][0]["extensions"]["code"], "BAD_REQUEST");
    assert!(
        answer["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("endCursor")
    );
    let answer = env
        .graphql(r#"{ devices(first: 5000) { totalCount } }"#, json!({}))
        .await;
    assert_eq!(answer["errors"][0]["extensions"]["code"], "BAD_REQUEST");
}

#[tokio::test]
async fn a_wrong_token_is_unauthenticated_and_never_echoed() {
    let secret = "11111111-2222-4333-8444-555555555555";
    let env = Env::start(Setup {
        token: secret.into(),
        ..Setup::default()
    })
    .await;
    let answer = env.graphql("{ devices { totalCount } }", json!({})).await;
    assert_eq!(
        answer["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{answer:#}"
    );
    assert!(!answer.to_string().contains(secret));
}

#[tokio::test]
async fn the_eu_tenant_is_served_from_the_eu_host_and_differs_from_the_us_one() {
    let eu = Env::start(Setup {
        kandji_url: "https://acme.api.eu.kandji.io/api/v1/".into(),
        ..Setup::default()
    })
    .await;
    let data = eu.data("{ tenant { region apiHost } devices(first: 3) { edges { node { name serialNumber } } } }", json!({})).await;
    assert_eq!(data["tenant"]["region"], "EU");
    assert_eq!(data["tenant"]["apiHost"], "acme.api.eu.kandji.io");
    let kandji = eu.kandji("devices?limit=3").await;
    for (ours, theirs) in data["devices"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .zip(kandji.as_array().unwrap())
    {
        assert_eq!(ours["node"]["serialNumber"], theirs["serial_number"]);
    }

    let us = Env::default().await;
    let us_data = us
        .data(
            "{ tenant { region } devices(first: 3) { edges { node { serialNumber } } } }",
            json!({}),
        )
        .await;
    assert_eq!(us_data["tenant"]["region"], "US");
    assert_ne!(us_data["devices"], data["devices"]);
}

#[tokio::test]
async fn a_user_by_email_on_a_cold_gateway_uses_kandjis_filter_not_the_whole_directory() {
    let env = Env::default().await;
    let users = env.kandji("users").await;
    let email = users["results"][3]["email"].as_str().unwrap().to_string();
    env.reset_counts().await;

    let data = env
        .data(
            "query($e: String) { user(email: $e) { email } }",
            json!({"e": email}),
        )
        .await;
    assert_eq!(data["user"]["email"], json!(email));
    let stats = env.upstream_calls().await;
    assert_eq!(
        stats["by_route"]["GET /api/v1/users"], 1,
        "one filtered page: {stats:#}"
    );

    let answer = env
        .graphql(r#"{ user(email: "  ") { id } }"#, json!({}))
        .await;
    assert_eq!(answer["errors"][0]["extensions"]["code"], "BAD_REQUEST");
}
