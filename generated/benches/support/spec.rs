//! Bench inputs made at start-up from the examples in `spec/msgraph-sync.yaml`, so nothing large is
//! committed: a synchronization schema of any size, the created job and a page of jobs.
//!
//! YAML is read into `serde_yaml::Value`, whose mappings keep their order whatever features
//! `serde_json` is built with, so every build (with or without `serde_json/preserve_order`) makes
//! byte-identical JSON.

use serde_yaml::{Mapping, Value};

/// The curated spec at `path`, parsed.
pub fn load(path: &str) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_yaml::from_str(&text).expect("the spec is valid YAML")
}

const JOBS: &str = "/servicePrincipals/{servicePrincipal-id}/synchronization/jobs";
const SCHEMA: &str =
    "/servicePrincipals/{servicePrincipal-id}/synchronization/jobs/{synchronizationJob-id}/schema";

/// The value of a named example; `at` is the path from the operation to its `content`
/// (`["responses", "200"]` or `["requestBody"]`).
fn example<'a>(spec: &'a Value, path: &str, method: &str, at: &[&str], name: &str) -> &'a Value {
    let mut node = &spec["paths"][path][method];
    for key in at {
        node = &node[*key];
    }
    let value = &node["content"]["application/json"]["examples"][name]["value"];
    assert!(!value.is_null(), "no example {name} at {method} {path}");
    value
}

fn to_json(value: &Value) -> String {
    serde_json::to_string(value).expect("spec examples are JSON-compatible")
}

/// The job the service answers a create with: the spec's `boxOutDeltaJob`, which is the body of the
/// seeded "Create synchronizationJob" page.
pub fn job(spec: &Value) -> String {
    to_json(example(
        spec,
        JOBS,
        "post",
        &["responses", "200"],
        "boxOutDeltaJob",
    ))
}

/// A page of `n` jobs (`{"@odata.context": .., "value": [..]}`), alternating the spec's two list
/// examples (a paused job and a running cloud-sync job), each with its own id.
pub fn job_page(spec: &Value, n: usize) -> String {
    let ok = ["responses", "200"];
    let templates = [
        &example(spec, JOBS, "get", &ok, "pausedJob")["value"][0],
        &example(spec, JOBS, "get", &ok, "runningCloudSyncJob")["value"][0],
    ];
    let items = (0..n)
        .map(|i| {
            let mut job = templates[i % templates.len()].clone();
            job["id"] = Value::String(format!("job{i}.bench.{i:08x}"));
            job
        })
        .collect();
    let mut page = Mapping::new();
    page.insert(
        "@odata.context".into(),
        "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals('sp')/synchronization/jobs"
            .into(),
    );
    page.insert("value".into(), Value::Sequence(items));
    to_json(&Value::Mapping(page))
}

/// A synchronization schema of about `target` bytes of compact JSON, grown from the spec's
/// `directoryExtensionSchema` example: both of its directories get objects shaped like its `User`,
/// whose attributes cycle through the example's two and the `addTargetAttribute` example's one, and its
/// rule gets one object mapping per object whose attribute mappings cycle through the example's
/// expression mapping and the `addAttributeMapping` example's attribute mapping. Names carry the
/// object and attribute numbers, so no two are alike.
pub fn schema(spec: &Value, target: usize) -> String {
    // The size grows almost linearly with the number of attributes: fit it from two points.
    let (a, b) = (schema_with(spec, 8).len(), schema_with(spec, 16).len());
    let per_unit = (b - a) / 8;
    let units = (target.saturating_sub(a) / per_unit + 8).max(1);
    schema_with(spec, units)
}

/// A schema with about `units` attributes per directory (and as many attribute mappings).
fn schema_with(spec: &Value, units: usize) -> String {
    let base = example(
        spec,
        SCHEMA,
        "get",
        &["responses", "200"],
        "directoryExtensionSchema",
    );
    let put = ["requestBody"];
    let object = &base["directories"][0]["objects"][0];
    let extension = &example(spec, SCHEMA, "put", &put, "addTargetAttribute")["directories"][0]["objects"]
        [0]["attributes"][0];
    let attributes = [
        &object["attributes"][0],
        &object["attributes"][1],
        extension,
    ];
    let rule = &base["synchronizationRules"][0];
    let mapping = &rule["objectMappings"][0];
    let attribute_mappings = [
        &mapping["attributeMappings"][0],
        &example(spec, SCHEMA, "put", &put, "addAttributeMapping")["synchronizationRules"][0],
    ];

    // Real schemas hold a few objects of a few hundred attributes each.
    let objects = 1 + units / 200;
    let per_object = units.div_ceil(objects);
    let object_name = |o: usize| Value::String(format!("User{o}"));

    let mut schema = base.clone();
    let directories = schema["directories"]
        .as_sequence_mut()
        .expect("directories");
    for directory in directories.iter_mut() {
        let made = (0..objects)
            .map(|o| {
                let mut made = object.clone();
                made["name"] = object_name(o);
                made["attributes"] = (0..per_object)
                    .map(|i| {
                        let mut attribute = attributes[i % attributes.len()].clone();
                        let name = attribute["name"].as_str().expect("attribute name");
                        attribute["name"] = Value::String(format!("{name}{o}_{i}"));
                        attribute
                    })
                    .collect::<Vec<_>>()
                    .into();
                made
            })
            .collect::<Vec<_>>();
        directory["objects"] = made.into();
    }
    let mut made_rule = rule.clone();
    made_rule["objectMappings"] = (0..objects)
        .map(|o| {
            let mut made = mapping.clone();
            made["sourceObjectName"] = object_name(o);
            made["targetObjectName"] = object_name(o);
            made["attributeMappings"] = (0..per_object)
                .map(|i| {
                    let mut m = attribute_mappings[i % attribute_mappings.len()].clone();
                    let target = m["targetAttributeName"].as_str().expect("target name");
                    m["targetAttributeName"] = Value::String(format!("{target}{o}_{i}"));
                    m
                })
                .collect::<Vec<_>>()
                .into();
            made
        })
        .collect::<Vec<_>>()
        .into();
    schema["synchronizationRules"] = vec![made_rule].into();
    to_json(&schema)
}
