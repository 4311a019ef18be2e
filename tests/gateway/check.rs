//! `kandji-gateway check`: one probe per permission, a table with the fix for each denial, and
//! a verdict that is usable only when the four required permissions are granted.

use kandji_gateway::check::{self, ProbeResult};
use kandji_gateway::kandji::{ApiToken, ApiUrl, ClientSettings, KandjiClient, Permission};
use reqwest::Method;
use serde_json::json;

use crate::common::{Env, TOKEN};

fn client(env: &Env, token: &str) -> KandjiClient {
    let api = ApiUrl::parse("https://demo.api.kandji.io/api/v1/").unwrap();
    let origin = url::Url::parse(&format!("http://{}", env.mock)).unwrap();
    let settings = ClientSettings {
        per_second: 0,
        per_hour: 0,
        ..ClientSettings::default()
    };
    KandjiClient::new(api, ApiToken::new(token).unwrap(), Some(origin), settings).unwrap()
}

#[tokio::test]
async fn a_full_token_is_usable_and_every_permission_granted() {
    let env = Env::default().await;
    let client = client(&env, TOKEN);
    let report = check::run(&client).await;
    assert!(report.usable());
    assert_eq!(report.lines.len(), 8);
    assert!(
        report
            .lines
            .iter()
            .all(|l| l.result == ProbeResult::Granted),
        "{report:#?}"
    );
    let text = report.render(&client);
    assert!(text.contains("region US"));
    assert!(text.starts_with("Kandji API URL: https://demo.api.kandji.io/api/v1/"));
    assert!(text.contains("OK: the token has every permission"));
    assert!(!text.contains(TOKEN));
}

#[tokio::test]
async fn a_token_without_the_application_list_is_not_usable_and_names_the_fix() {
    let env = Env::default().await;
    let limited = "eeeeeeee-0000-4000-8000-00000000000e";
    let permissions = [
        "device_list",
        "device_details",
        "device_library_items",
        "blueprints",
    ];
    env.admin(
        Method::POST,
        "tokens",
        Some(json!({"token": limited, "permissions": permissions})),
    )
    .await;
    let client = client(&env, limited);
    let report = check::run(&client).await;
    assert!(!report.usable());

    let result = |p: Permission| {
        report
            .lines
            .iter()
            .find(|l| l.permission == p)
            .unwrap()
            .result
            .clone()
    };
    assert_eq!(result(Permission::DeviceList), ProbeResult::Granted);
    assert_eq!(result(Permission::DeviceDetails), ProbeResult::Granted);
    assert_eq!(
        result(Permission::ApplicationList),
        ProbeResult::Denied("grant \"Application list\" to the token".into())
    );
    assert!(matches!(result(Permission::Prism), ProbeResult::Denied(_)));
    let text = report.render(&client);
    assert!(
        text.contains("DENIED: grant \"Application list\" to the token"),
        "{text}"
    );
    assert!(
        text.contains("NOT USABLE: grant the permissions marked DENIED"),
        "{text}"
    );
}

#[tokio::test]
async fn optional_permissions_missing_still_leave_the_token_usable() {
    let env = Env::default().await;
    let drata = "ffffffff-0000-4000-8000-00000000000f";
    let permissions = [
        "device_list",
        "device_details",
        "application_list",
        "device_library_items",
    ];
    env.admin(
        Method::POST,
        "tokens",
        Some(json!({"token": drata, "permissions": permissions})),
    )
    .await;
    let report = check::run(&client(&env, drata)).await;
    assert!(report.usable(), "{report:#?}");
}

#[tokio::test]
async fn a_wrong_token_is_denied_everywhere_and_an_unreachable_host_says_so() {
    let env = Env::default().await;
    let report = check::run(&client(&env, "12345678-0000-4000-8000-000000000000")).await;
    assert!(!report.usable());
    assert!(
        matches!(&report.lines[0].result, ProbeResult::Denied(why) if why.contains("rejected the API token"))
    );

    // Nothing listens on port 9 of loopback: the verdict points at the connection, not permissions.
    let api = ApiUrl::parse("https://acme.api.kandji.io/api/v1/").unwrap();
    let settings = ClientSettings {
        retry_deadline: std::time::Duration::from_millis(300),
        ..ClientSettings::default()
    };
    let origin = url::Url::parse("http://127.0.0.1:9").unwrap();
    let client =
        KandjiClient::new(api, ApiToken::new(TOKEN).unwrap(), Some(origin), settings).unwrap();
    let report = check::run(&client).await;
    let text = report.render(&client);
    assert!(text.contains("could not connect"), "{text}");
    assert!(text.contains("Kandji could not be reached"), "{text}");
    assert!(
        text.contains("https://acme.api.eu.kandji.io/api/v1/"),
        "the EU form is suggested: {text}"
    );
}
