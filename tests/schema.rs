//! `schema.graphql` is the frontend contract: it must be exactly what the gateway serves.

#[test]
fn schema_graphql_matches_the_served_schema() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql");
    let served = kandji_gateway::graphql::sdl();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(path, &served).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == served,
        "schema.graphql is stale: run `cargo run -- schema > schema.graphql` (or \
         `UPDATE_SCHEMA=1 cargo test --test schema`) and commit the result"
    );
}

#[tokio::test]
async fn every_type_field_and_enum_value_has_a_description() {
    let schema = kandji_gateway::graphql::schema_builder().finish();
    let query = "{ __schema { types { name kind description
        fields { name description args { name description } }
        inputFields { name description } enumValues { name description } } } }";
    let response = schema
        .execute(query)
        .await
        .into_result()
        .expect("introspection works");
    let json = response.data.into_json().unwrap();
    let mut undocumented = Vec::new();
    let described = |v: &serde_json::Value| {
        v["description"]
            .as_str()
            .is_some_and(|d| !d.trim().is_empty())
    };
    for ty in json["__schema"]["types"].as_array().unwrap() {
        let name = ty["name"].as_str().unwrap();
        if name.starts_with("__") || ["String", "Boolean", "Int", "Float", "ID"].contains(&name) {
            continue;
        }
        if !described(ty) {
            undocumented.push(name.to_string());
        }
        for list in ["fields", "inputFields", "enumValues"] {
            for field in ty[list].as_array().into_iter().flatten() {
                if !described(field) {
                    undocumented.push(format!("{name}.{}", field["name"].as_str().unwrap()));
                }
                for arg in field["args"].as_array().into_iter().flatten() {
                    if !described(arg) {
                        undocumented.push(format!(
                            "{name}.{}({})",
                            field["name"].as_str().unwrap(),
                            arg["name"].as_str().unwrap()
                        ));
                    }
                }
            }
        }
    }
    assert!(
        undocumented.is_empty(),
        "add descriptions to: {undocumented:#?}"
    );
}
