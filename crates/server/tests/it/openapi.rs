//! The OpenAPI document is what clients are generated from: every write operation must
//! describe its body (a JSON one with properties and an example, an image as binary), every operation must have its own `operationId`, and responses
//! that are lists must say so.

use std::collections::BTreeMap;

use serde_json::Value;

fn document() -> Value {
    serde_json::to_value(kumuh_server::openapi()).expect("the document serializes")
}

/// Follows a `$ref` of the form `#/components/schemas/Name`.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => {
            let name = r.trim_start_matches("#/components/schemas/");
            &doc["components"]["schemas"][name]
        }
        None => schema,
    }
}

/// Every operation as `(method, path, operation)`.
fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            if ["get", "put", "post", "patch", "delete", "head", "options"]
                .contains(&method.as_str())
            {
                out.push((method.clone(), path.clone(), op));
            }
        }
    }
    out
}

#[test]
fn every_write_body_has_a_schema_with_properties_and_an_example() {
    let doc = document();
    let mut bare = Vec::new();
    let mut bodies = 0;
    for (method, path, op) in operations(&doc) {
        if !["post", "put", "patch", "delete"].contains(&method.as_str()) {
            continue;
        }
        let Some(content) = op["requestBody"]["content"].as_object() else {
            continue;
        };
        for (media, c) in content {
            bodies += 1;
            let schema = resolve(&doc, &c["schema"]);
            // A file sent as it is (a photo) has no properties: it must say it is binary.
            if media.starts_with("image/") {
                if schema["type"] != "string" || schema["format"] != "binary" {
                    bare.push(format!("{method} {path} ({media}): not a binary string"));
                }
                continue;
            }
            // A file sent whole (the imports) has no properties to list: it must say it is
            // binary, and the body's description what the file may be.
            if media == "application/octet-stream" {
                let described = op["requestBody"]["description"]
                    .as_str()
                    .is_some_and(|d| !d.is_empty());
                if schema["format"] != "binary" || !described {
                    bare.push(format!(
                        "{method} {path} ({media}): binary {}, described {described}",
                        schema["format"] == "binary"
                    ));
                }
                continue;
            }
            let has_properties = schema["properties"]
                .as_object()
                .is_some_and(|p| !p.is_empty());
            let has_example = schema.get("example").is_some()
                || schema.get("examples").is_some()
                || c.get("example").is_some()
                || c.get("examples").is_some();
            if !has_properties || !has_example {
                bare.push(format!(
                    "{method} {path} ({media}): properties {has_properties}, example {has_example}"
                ));
            }
        }
    }
    assert!(bodies >= 18, "only {bodies} request bodies documented");
    assert!(
        bare.is_empty(),
        "request bodies without a real schema: {bare:#?}"
    );
}

#[test]
fn operation_ids_are_present_and_unique() {
    let doc = document();
    let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut missing = Vec::new();
    for (method, path, op) in operations(&doc) {
        match op["operationId"].as_str() {
            Some(id) => seen
                .entry(id.to_owned())
                .or_default()
                .push(format!("{method} {path}")),
            None => missing.push(format!("{method} {path}")),
        }
    }
    assert!(missing.is_empty(), "operations without an id: {missing:?}");
    let repeated: Vec<_> = seen.iter().filter(|(_, ops)| ops.len() > 1).collect();
    assert!(repeated.is_empty(), "repeated operationIds: {repeated:#?}");
}

#[test]
fn list_answers_are_declared_as_arrays() {
    let doc = document();
    for path in [
        "/api/audit",
        "/api/siteplan-kategori",
        "/api/upk/penagihan",
        "/api/upk/kinerja/bulanan",
        "/api/kegiatan/{id}/segmen/{segmen}/foto",
    ] {
        let schema =
            &doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
        assert_eq!(schema["type"], "array", "{path}: {schema}");
    }
}
