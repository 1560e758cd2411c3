//! Two usual spellings of the same OpenAPI construct mean the same: the valid base of the corpus, rewritten
//! with a request body and a success response moved to `components` and referenced, and path parameters
//! written inline at operation level instead of referenced at path-item level, generates the same code.

use std::path::Path;

use msgraph_sync_codegen::{EmitOptions, generate, load};
use serde_yaml::{Mapping, Value};

const JOB: &str =
    "/servicePrincipals/{servicePrincipal-id}/synchronization/jobs/{synchronizationJob-id}";

fn base() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/broken-specs/00-valid.yaml"),
    )
    .expect("the valid base is readable")
}

/// The generated files without their header (which carries the spec's content hash).
fn files(name: &str, text: &str) -> Vec<(String, String)> {
    let spec = load::load_str(name, text).unwrap_or_else(|e| panic!("{name} loads:\n{e}"));
    generate(&spec, &EmitOptions::default())
        .unwrap_or_else(|e| panic!("{name} generates:\n{e}"))
        .files
        .into_iter()
        .map(|(file, text)| {
            let body = text
                .split_once("\n\n")
                .map_or(text.as_str(), |(_, body)| body);
            (file, body.to_string())
        })
        .collect()
}

fn at<'v>(value: &'v mut Value, path: &[&str]) -> &'v mut Value {
    path.iter().fold(value, |node, key| {
        node.get_mut(*key)
            .unwrap_or_else(|| panic!("no `{key}` in {path:?}"))
    })
}

fn reference(target: &str) -> Value {
    let mut map = Mapping::new();
    map.insert("$ref".into(), target.into());
    Value::Mapping(map)
}

fn respelled_doc() -> Value {
    let mut doc: Value = serde_yaml::from_str(&base()).expect("YAML");
    // The restart body becomes `#/components/requestBodies/restart`.
    let restart = format!("{JOB}/restart");
    let body = std::mem::replace(
        at(&mut doc, &["paths", &restart, "post", "requestBody"]),
        reference("#/components/requestBodies/restart"),
    );
    let mut bodies = Mapping::new();
    bodies.insert("restart".into(), body);
    at(&mut doc, &["components"])
        .as_mapping_mut()
        .expect("components")
        .insert("requestBodies".into(), Value::Mapping(bodies));
    // The job GET's 200 becomes `#/components/responses/job`.
    let response = std::mem::replace(
        at(&mut doc, &["paths", JOB, "get", "responses", "200"]),
        reference("#/components/responses/job"),
    );
    at(&mut doc, &["components", "responses"])
        .as_mapping_mut()
        .expect("responses")
        .insert("job".into(), response);
    // The job path item's parameters are written inline in each of its operations.
    let item = at(&mut doc, &["paths", JOB])
        .as_mapping_mut()
        .expect("path item");
    item.remove("parameters");
    let inline: Vec<Value> = ["servicePrincipal-id", "synchronizationJob-id"]
        .iter()
        .map(|name| {
            serde_yaml::from_str(&format!(
                "{{name: {name}, in: path, required: true, description: Id., schema: {{type: string}}}}"
            ))
            .expect("parameter")
        })
        .collect();
    for (_, op) in item.iter_mut() {
        let op = op.as_mapping_mut().expect("operation");
        let mut params = inline.clone();
        if let Some(Value::Sequence(own)) = op.get("parameters") {
            params.extend(own.iter().cloned());
        }
        op.insert("parameters".into(), Value::Sequence(params));
    }
    doc
}

fn respelled() -> String {
    serde_yaml::to_string(&respelled_doc()).expect("YAML")
}

#[test]
fn referenced_bodies_responses_and_inline_parameters_generate_the_same_code() {
    let text = respelled();
    assert!(text.contains("requestBodies") && text.contains("#/components/responses/job"));
    let original = files("00-valid.yaml", &base());
    let respelled = files("respelled.yaml", &text);
    assert_eq!(original.len(), respelled.len());
    for ((name, a), (_, b)) in original.iter().zip(&respelled) {
        assert!(a == b, "{name} differs between the two spellings");
    }
}

#[test]
fn a_broken_referenced_body_is_reported_at_the_component() {
    let mut doc = respelled_doc();
    let content = at(
        &mut doc,
        &["components", "requestBodies", "restart", "content"],
    )
    .as_mapping_mut()
    .expect("content");
    let media = content.remove("application/json").expect("a JSON body");
    content.insert("text/plain".into(), media);
    let text = serde_yaml::to_string(&doc).expect("YAML");
    let spec = load::load_str("respelled.yaml", &text).expect("loads");
    let errors = msgraph_sync_codegen::validate::validate(&spec).expect_err("invalid");
    assert!(
        errors.0.iter().any(|e| e
            .pointer
            .starts_with("#/components/requestBodies/restart/content")
            && e.message.contains("text/plain")
            && e.line.is_some()),
        "{errors}"
    );
}
