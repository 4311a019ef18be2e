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

#[test]
fn every_type_and_field_has_a_description() {
    // async-graphql prints a description block before each documented type and field; count
    // the fields whose previous line is not the end of a description.
    let sdl = kandji_gateway::graphql::sdl();
    let lines: Vec<&str> = sdl.lines().collect();
    let mut undocumented = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        let is_definition = trimmed.starts_with("type ")
            || trimmed.starts_with("enum ")
            || trimmed.starts_with("input ")
            || (line.starts_with('\t')
                && !line.starts_with("\t\t")
                && trimmed.contains(':')
                && !trimmed.starts_with("\"\"\""));
        if is_definition
            && i > 0
            && lines[i - 1].trim() != "\"\"\""
            && !lines[i - 1].trim().ends_with("\"")
        {
            undocumented.push(trimmed.to_string());
        }
    }
    assert!(undocumented.is_empty(), "undocumented: {undocumented:#?}");
}
