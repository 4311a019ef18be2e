//! GraphQL over HTTP as frontends see it: GET and POST, `Accept` and status codes, batches,
//! automatic persisted queries, the query limits with their codes, the body size limit, the
//! execution deadline, compression and `Cache-Control`.

use reqwest::header::{ACCEPT, ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE};
use serde_json::{Value, json};

use kandji_gateway::http::cost::{SchemaShape, measure};

use crate::common::{Env, Setup};

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json; charset=utf-8";
const JSON: &str = "application/json; charset=utf-8";

/// `{ tenant { region } }` and its SHA-256 (from `printf %s '…' | sha256sum`).
const REGION_QUERY: &str = "{ tenant { region } }";
const REGION_HASH: &str = "66e4d2db178a41502996e8f5bdadc6ef45cda25f922b25163dd0fd7dc0c3509e";

/// The schema query GraphiQL 4.1.2 sends (graphql-js 16.15 with every option): nine nested
/// `ofType`, depth 15.
const INTROSPECTION: &str = "query IntrospectionQuery { __schema { description
  queryType { name kind } mutationType { name kind } subscriptionType { name kind }
  types { ...FullType }
  directives { name description isRepeatable locations args(includeDeprecated: true) { ...InputValue } } } }
fragment FullType on __Type { kind name description specifiedByURL isOneOf
  fields(includeDeprecated: true) { name description args(includeDeprecated: true) { ...InputValue }
    type { ...TypeRef } isDeprecated deprecationReason }
  inputFields(includeDeprecated: true) { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef } }
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue isDeprecated deprecationReason }
fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name
  ofType { kind name } } } } } } } } } }";

/// An answer's status, `Content-Type`, `Cache-Control` and JSON body.
struct Answer(u16, String, String, Value);

async fn answer_of(request: reqwest::RequestBuilder) -> Answer {
    let response = request.send().await.unwrap();
    let header = |name| match response.headers().get(name) {
        Some(value) => value.to_str().unwrap().to_string(),
        None => String::new(),
    };
    let (content_type, cache_control) = (header(CONTENT_TYPE), header(CACHE_CONTROL));
    let status = response.status().as_u16();
    Answer(
        status,
        content_type,
        cache_control,
        response.json().await.unwrap(),
    )
}

/// POSTs `body` with `accept`.
async fn post(env: &Env, body: Value, accept: &str) -> (u16, String, String, Value) {
    let request = env.http().post(env.gateway_url("/graphql"));
    let Answer(status, content_type, cache, json) =
        answer_of(request.header(ACCEPT, accept).json(&body)).await;
    (status, content_type, cache, json)
}

fn code(answer: &Value) -> &str {
    let code = &answer["errors"][0]["extensions"]["code"];
    code.as_str().unwrap_or("<none>")
}

#[tokio::test]
async fn get_runs_a_query_from_the_query_string() {
    let env = Env::default().await;
    let query = [
        ("query", "query Region { tenant { region } }"),
        ("operationName", "Region"),
    ];
    let request = env.http().get(env.gateway_url("/graphql")).query(&query);
    let Answer(status, content_type, _, answer) = answer_of(request).await;
    assert_eq!((status, content_type.as_str()), (200, GRAPHQL_RESPONSE));
    assert_eq!(answer, json!({"data": {"tenant": {"region": "US"}}}));
}

#[tokio::test]
async fn get_without_a_query_is_400_for_programs_and_graphiql_for_browsers() {
    let env = Env::default().await;
    let Answer(status, _, _, answer) = answer_of(env.http().get(env.gateway_url("/graphql"))).await;
    assert_eq!((status, code(&answer)), (400, "BAD_REQUEST"));

    let browser = env.http().get(env.gateway_url("/graphql"));
    let browser = browser.header(ACCEPT, "text/html").send().await.unwrap();
    assert_eq!(browser.status(), 200);
    let page = browser.text().await.unwrap();
    assert!(page.contains("<title>Kandji gateway: GraphiQL</title>"));
}

#[tokio::test]
async fn accept_sets_the_media_type_and_the_status_of_a_validation_error() {
    let env = Env::default().await;
    let invalid = json!({"query": "{ tenant { nosuchfield } }"});

    let (status, content_type, cache, answer) =
        post(&env, invalid.clone(), "application/json").await;
    assert_eq!((status, content_type.as_str()), (200, JSON));
    assert_eq!(code(&answer), "GRAPHQL_VALIDATION_FAILED");
    assert!(
        answer.get("data").is_none(),
        "a request error has no data: {answer}"
    );
    assert_eq!(cache, "no-store");

    let preferred = "application/graphql-response+json, application/json;q=0.9";
    let (status, content_type, _, answer) = post(&env, invalid, preferred).await;
    assert_eq!((status, content_type.as_str()), (400, GRAPHQL_RESPONSE));
    assert_eq!(code(&answer), "GRAPHQL_VALIDATION_FAILED");

    let refused = env
        .http()
        .post(env.gateway_url("/graphql"))
        .header(ACCEPT, "text/csv");
    let refused = refused
        .json(&json!({"query": REGION_QUERY}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 406);
}

#[tokio::test]
async fn a_batch_is_answered_with_an_array_in_request_order() {
    let env = Env::default().await;
    let batch = json!([
        {"query": "{ tenant { apiHost } }"},
        {"query": "{ nosuchfield }"},
        {"query": REGION_QUERY},
    ]);
    let (status, _, cache, answer) = post(&env, batch, "*/*").await;
    assert_eq!(status, 200);
    assert_eq!(
        answer[0],
        json!({"data": {"tenant": {"apiHost": "demo.api.kandji.io"}}})
    );
    assert_eq!(code(&answer[1]), "GRAPHQL_VALIDATION_FAILED");
    assert_eq!(answer[2], json!({"data": {"tenant": {"region": "US"}}}));
    assert_eq!(cache, "no-store", "one entry failed");

    let eleven: Vec<Value> = (0..11).map(|_| json!({"query": REGION_QUERY})).collect();
    let (status, _, _, answer) = post(&env, json!(eleven), "*/*").await;
    assert_eq!((status, code(&answer)), (400, "BATCH_TOO_LARGE"));
}

#[tokio::test]
async fn a_persisted_query_misses_then_registers_then_runs_by_hash_alone() {
    let env = Env::default().await;
    let extensions = json!({"persistedQuery": {"version": 1, "sha256Hash": REGION_HASH}});

    // Apollo clients look for this message and code, and keep APQ on after a 200.
    let (status, _, cache, miss) = post(&env, json!({"extensions": extensions}), "*/*").await;
    assert_eq!((status, cache.as_str()), (200, "no-store"));
    assert_eq!(miss["errors"][0]["message"], "PersistedQueryNotFound");
    assert_eq!(code(&miss), "PERSISTED_QUERY_NOT_FOUND");

    let register = json!({"query": REGION_QUERY, "extensions": extensions});
    let (status, _, _, registered) = post(&env, register, "*/*").await;
    assert_eq!(
        (status, &registered),
        (200, &json!({"data": {"tenant": {"region": "US"}}}))
    );

    let hit = env.http().get(env.gateway_url("/graphql"));
    let hit = hit
        .query(&[("extensions", extensions.to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(hit.status(), 200);
    assert_eq!(hit.json::<Value>().await.unwrap(), registered);

    let wrong = json!({"query": "{ tenant { apiHost } }", "extensions": extensions});
    let (status, _, _, answer) = post(&env, wrong, "*/*").await;
    assert_eq!((status, code(&answer)), (400, "BAD_REQUEST"));
}

#[tokio::test]
async fn with_persisted_queries_off_a_hash_is_answered_not_supported() {
    let mut setup = Setup::default();
    setup
        .gateway_args
        .extend(["--apq-cache-size".into(), "0".into()]);
    let env = Env::start(setup).await;
    let extensions = json!({"persistedQuery": {"version": 1, "sha256Hash": REGION_HASH}});
    let (status, _, _, answer) = post(&env, json!({"extensions": extensions}), "*/*").await;
    assert_eq!(
        (status, code(&answer)),
        (200, "PERSISTED_QUERY_NOT_SUPPORTED")
    );
    assert_eq!(answer["errors"][0]["message"], "PersistedQueryNotSupported");
}

#[tokio::test]
async fn graphiqls_schema_query_passes_the_default_limits() {
    let document = async_graphql::parser::parse_query(INTROSPECTION).unwrap();
    let schema = SchemaShape::from_sdl(&kandji_gateway::graphql::sdl());
    let shape = measure(&document, &Default::default(), &schema);
    assert_eq!((shape.depth, shape.complexity), (15, 230), "as README says");

    let env = Env::default().await;
    let (status, _, _, answer) = post(&env, json!({"query": INTROSPECTION}), "*/*").await;
    assert_eq!(status, 200, "{answer:#}");
    assert!(answer.get("errors").is_none(), "{answer:#}");
    let types = answer["data"]["__schema"]["types"].as_array().unwrap();
    assert!(types.iter().any(|t| t["name"] == "Device"));
}

#[tokio::test]
async fn each_query_limit_refuses_with_its_own_code() {
    let env = Env::default().await;
    let mut deep = "{ __type(name: \"Device\") { ".to_string() + &"ofType { ".repeat(15) + "name";
    deep += &" }".repeat(17);
    let (status, _, _, answer) = post(&env, json!({"query": deep}), "*/*").await;
    assert_eq!((status, code(&answer)), (400, "QUERY_TOO_DEEP"), "{answer}");
    assert_eq!(answer["errors"][0]["extensions"]["measured"], 17);

    let costly = "{ devices(first: 300) { edges { node { apps(first: 300) { edges { node { name } } } } } } }";
    let (status, _, _, answer) = post(&env, json!({"query": costly}), "*/*").await;
    assert_eq!((status, code(&answer)), (400, "QUERY_TOO_COMPLEX"));
    assert_eq!(answer["errors"][0]["extensions"]["measured"], 270_901);
    assert_eq!(answer["errors"][0]["extensions"]["limit"], 20_000);

    let aliases: Vec<String> = (0..31).map(|i| format!("a{i}: __typename")).collect();
    let aliased = format!("{{ {} }}", aliases.join(" "));
    let (status, _, _, answer) = post(&env, json!({"query": aliased}), "*/*").await;
    assert_eq!((status, code(&answer)), (400, "TOO_MANY_ALIASES"));

    let (_, _, _, answer) = post(
        &env,
        json!({"query": "{ devices(first: 301) { totalCount } }"}),
        "*/*",
    )
    .await;
    assert_eq!(code(&answer), "BAD_REQUEST", "a page over --max-page-size");
}

#[tokio::test]
async fn a_body_over_the_limit_is_413_payload_too_large() {
    let mut setup = Setup::default();
    setup
        .gateway_args
        .extend(["--max-body-bytes".into(), "1000".into()]);
    let env = Env::start(setup).await;
    let padded = format!("{{ tenant {{ region }} }} #{}", "x".repeat(1000));
    let (status, _, _, answer) = post(&env, json!({"query": padded}), "*/*").await;
    assert_eq!((status, code(&answer)), (413, "PAYLOAD_TOO_LARGE"));
}

#[tokio::test]
async fn a_request_past_the_deadline_is_answered_deadline_exceeded() {
    let mut setup = Setup::default();
    setup.mock.faults.latency_ms = 2_000;
    setup
        .gateway_args
        .extend(["--request-deadline-ms".into(), "300".into()]);
    let env = Env::start(setup).await;
    let query = json!({"query": "{ devices(first: 1) { totalCount } }"});
    let (status, _, cache, answer) = post(&env, query.clone(), "*/*").await;
    assert_eq!(
        (status, code(&answer), cache.as_str()),
        (504, "DEADLINE_EXCEEDED", "no-store")
    );
    assert!(answer.get("data").is_none());
    let (status, _, _, answer) = post(&env, query, "application/json").await;
    assert_eq!((status, code(&answer)), (200, "DEADLINE_EXCEEDED"));
}

#[tokio::test]
async fn answers_are_gzipped_for_clients_that_accept_it() {
    let env = Env::default().await;
    let gzip = |request: reqwest::RequestBuilder| request.header(ACCEPT_ENCODING, "gzip").send();
    let page = gzip(env.http().get(env.gateway_url("/"))).await.unwrap();
    assert_eq!(page.headers()[CONTENT_ENCODING], "gzip", "GraphiQL's page");
    let query = env.http().post(env.gateway_url("/graphql"));
    let response = gzip(query.json(&json!({"query": INTROSPECTION})))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()[CONTENT_ENCODING], "gzip");
    let bytes = response.bytes().await.unwrap();
    assert_eq!(&bytes[..2], [0x1f, 0x8b], "the gzip magic number");
}

#[tokio::test]
async fn successful_answers_are_privately_cacheable_and_failed_ones_are_not() {
    let env = Env::default().await;
    let (status, _, cache, _) = post(&env, json!({"query": REGION_QUERY}), "*/*").await;
    assert_eq!((status, cache.as_str()), (200, "private, max-age=15"));
    let failed = json!({"query": "{ devices(first: 5000) { totalCount } }"});
    let (status, _, cache, answer) = post(&env, failed, "*/*").await;
    assert_eq!(
        (status, code(&answer), cache.as_str()),
        (200, "BAD_REQUEST", "no-store")
    );
}
