//! Every published Kandji sample in `shared/kandji-samples/` against the
//! mock's answer for the same endpoint: the same keys with the same JSON
//! types at every level.
//!
//! Allowed differences, each a documented fact about the real API:
//! - `null` on either side matches any type (nullable fields);
//! - an empty object or array on either side matches (empty sections are
//!   `{}`, lists vary by platform);
//! - `user` / `assigned_user` are an object or `""`, and a user `id` was an
//!   integer in 2022-2023 recordings;
//! - keys added to the API since the 2022-2023 recordings
//!   (`supplemental_*`, `tags`) and `password_has_been_set`, which 2023
//!   recordings spell `password_escrowed`;
//! - blueprint `params` is a map keyed by parameter id, so only its type is
//!   compared.

use std::path::PathBuf;

use serde_json::Value;

use crate::support::{Mock, US};

const NEWER_KEYS: &[&str] = &[
    "supplemental_build_version",
    "supplemental_os_version_extra",
    "tags",
    "password_has_been_set",
];
const RENAMED_KEYS: &[&str] = &["password_escrowed"];

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn compare(sample: &Value, mock: &Value, path: &str, problems: &mut Vec<String>) {
    let last = path.rsplit('.').next().unwrap_or_default();
    match (sample, mock) {
        (Value::Null, _) | (_, Value::Null) => {}
        (Value::Object(s), Value::Object(m))
            if s.is_empty() || m.is_empty() || last == "params" => {}
        (Value::Array(s), Value::Array(m)) if s.is_empty() || m.is_empty() => {}
        (Value::Object(s), Value::Object(m)) => {
            for (key, value) in s {
                match m.get(key) {
                    Some(other) => compare(value, other, &format!("{path}.{key}"), problems),
                    None if RENAMED_KEYS.contains(&key.as_str()) => {}
                    None => problems.push(format!("{path}.{key}: missing from the mock")),
                }
            }
            for key in m
                .keys()
                .filter(|k| !s.contains_key(*k) && !NEWER_KEYS.contains(&k.as_str()))
            {
                problems.push(format!("{path}.{key}: not in the sample"));
            }
        }
        (Value::Array(s), Value::Array(m)) => {
            for (index, item) in m.iter().enumerate() {
                compare(&s[0], item, &format!("{path}[{index}]"), problems);
            }
        }
        (Value::String(_), Value::Object(_)) | (Value::Object(_), Value::String(_))
            if last == "user" || last == "assigned_user" => {}
        (Value::Number(_), Value::String(_)) if last == "id" && path.contains("user") => {}
        _ if kind(sample) != kind(mock) => problems.push(format!(
            "{path}: sample {} but mock {}",
            kind(sample),
            kind(mock)
        )),
        _ => {}
    }
}

fn sample(name: &str) -> Value {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/kandji-samples");
    let text = std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

async fn first(mock: &Mock, platform: &str) -> String {
    mock.json(US, &format!("/api/v1/devices?platform={platform}&limit=1"))
        .await[0]["device_id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// An iPad whose app list is not empty, for the iPad apps sample.
async fn ipad_with_apps(mock: &Mock) -> String {
    for ipad in mock
        .json(US, "/api/v1/devices?platform=iPad")
        .await
        .as_array()
        .unwrap()
    {
        let id = ipad["device_id"].as_str().unwrap();
        if !mock.json(US, &format!("/api/v1/devices/{id}/apps")).await["apps"]
            .as_array()
            .unwrap()
            .is_empty()
        {
            return id.to_owned();
        }
    }
    panic!("no iPad with apps");
}

#[tokio::test]
async fn every_sample_has_the_same_keys_and_types_as_the_mocks_answer() {
    // The samples live in the project's shared folder beside the repository, where CI lays it.
    let samples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/kandji-samples");
    if !samples.is_dir() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{} is missing",
            samples.display()
        );
        eprintln!("skipped: no {} beside this checkout", samples.display());
        return;
    }
    let mock = Mock::new();
    let mac = first(&mock, "Mac").await;
    let ipad = first(&mock, "iPad").await;
    let ipad_apps = ipad_with_apps(&mock).await;
    let cases: Vec<(&str, String)> = vec![
        (
            "devices_list.json",
            "/api/v1/devices?platform=Mac&limit=5".into(),
        ),
        (
            "devices_list_iphone_unassigned.json",
            "/api/v1/devices?platform=iPhone".into(),
        ),
        (
            "devices_list_recorded.json",
            "/api/v1/devices?limit=100".into(),
        ),
        (
            "device_details.json",
            format!("/api/v1/devices/{mac}/details"),
        ),
        (
            "device_details_ipad.json",
            format!("/api/v1/devices/{ipad}/details"),
        ),
        ("device_apps.json", format!("/api/v1/devices/{mac}/apps")),
        (
            "device_apps_ipad.json",
            format!("/api/v1/devices/{ipad_apps}/apps"),
        ),
        (
            "device_library_items.json",
            format!("/api/v1/devices/{mac}/library-items"),
        ),
        (
            "device_parameters.json",
            format!("/api/v1/devices/{mac}/parameters"),
        ),
        (
            "device_status.json",
            format!("/api/v1/devices/{mac}/status"),
        ),
        ("users_list.json", "/api/v1/users".into()),
        ("blueprints.json", "/api/v1/blueprints".into()),
        (
            "blueprints_offset_past_end.json",
            "/api/v1/blueprints?offset=100&limit=100".into(),
        ),
        (
            "prism_device_information.json",
            "/api/v1/prism/device_information".into(),
        ),
        (
            "prism_application_firewall.json",
            "/api/v1/prism/application_firewall".into(),
        ),
    ];

    // Every sample file is covered: a new one must get an endpoint here.
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/kandji-samples");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".json"))
        .collect();
    files.sort();
    let mut covered: Vec<String> = cases.iter().map(|(f, _)| (*f).to_owned()).collect();
    covered.sort();
    assert_eq!(files, covered);

    let mut problems = Vec::new();
    for (file, path) in cases {
        let answer = mock.json(US, &path).await;
        compare(&sample(file), &answer, file, &mut problems);
    }
    assert!(
        problems.is_empty(),
        "shape differences:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_comparison_reports_missing_keys_and_type_changes() {
    let mut problems = Vec::new();
    let sample = serde_json::json!({"a": 1, "b": {"c": "x"}, "list": [{"d": true}]});
    let mock = serde_json::json!({"a": "1", "b": {}, "list": [{"d": true, "e": 2}], "tags": []});
    compare(&sample, &mock, "t", &mut problems);
    assert_eq!(
        problems,
        [
            "t.a: sample number but mock string",
            "t.list[0].e: not in the sample"
        ]
    );
}
