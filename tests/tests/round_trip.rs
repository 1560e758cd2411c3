//! Nothing is lost on a round trip: every request and response example in the spec (the seeds' and the
//! inventory's payloads) deserializes into its generated type and serializes back to an equal JSON value.
//! `PUT …/schema` replaces the whole schema, so a lossy model would erase data on the service.

use msgraph_sync::*;
use msgraph_sync_tests::schemas::{WithType, with_type};
use msgraph_sync_tests::seeds;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// One example: where it is in the spec, the schema it claims, its value.
struct Example {
    place: String,
    schema: String,
    value: Value,
}

fn examples() -> Vec<Example> {
    let spec = seeds::spec();
    let mut out = Vec::new();
    let mut collect = |place: String, content: &Value| {
        for (media, body) in content.as_object().into_iter().flatten() {
            let schema = body["schema"]["$ref"].as_str().unwrap_or_default();
            let schema = schema
                .trim_start_matches("#/components/schemas/")
                .to_string();
            for (name, example) in body["examples"].as_object().into_iter().flatten() {
                out.push(Example {
                    place: format!("{place} {media} {name}"),
                    schema: schema.clone(),
                    value: example["value"].clone(),
                });
            }
        }
    };
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if let Some(content) = op.pointer("/requestBody/content") {
                collect(format!("{method} {path} request"), content);
            }
            for (status, response) in op["responses"].as_object().into_iter().flatten() {
                if let Some(content) = response.get("content") {
                    collect(format!("{method} {path} {status}"), content);
                }
            }
        }
    }
    out
}

/// Deserializes as the schema's Rust type and serializes back.
struct Through<'a>(&'a Value);

impl WithType for Through<'_> {
    type Output = Result<Value, String>;
    fn run<T: DeserializeOwned + Serialize>(self) -> Self::Output {
        let typed: T = serde_json::from_value(self.0.clone()).map_err(|e| e.to_string())?;
        serde_json::to_value(&typed).map_err(|e| e.to_string())
    }
}

fn round_trip(schema: &str, value: &Value) -> Result<Value, String> {
    with_type(schema, Through(value)).unwrap_or_else(|| {
        Err(format!(
            "no Rust type mapped for schema `{schema}`; add it to tests/src/schemas.rs"
        ))
    })
}

/// Paths (and both values) where two JSON values differ.
fn differences(a: &Value, b: &Value, path: &str, out: &mut Vec<(String, Value, Value)>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for key in x.keys().chain(y.keys().filter(|k| !x.contains_key(*k))) {
                let (va, vb) = (
                    x.get(key).unwrap_or(&Value::Null),
                    y.get(key).unwrap_or(&Value::Null),
                );
                if x.contains_key(key) != y.contains_key(key) {
                    out.push((format!("{path}/{key}"), va.clone(), vb.clone()));
                } else {
                    differences(va, vb, &format!("{path}/{key}"), out);
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                differences(va, vb, &format!("{path}/{i}"), out);
            }
        }
        _ if a != b => out.push((path.to_string(), a.clone(), b.clone())),
        _ => {}
    }
}

#[test]
fn every_spec_example_survives_a_round_trip() {
    let examples = examples();
    assert!(
        examples.len() >= 19,
        "the spec carries {} examples",
        examples.len()
    );
    let mut failures = Vec::new();
    let mut canonicalized = Vec::new();
    for example in &examples {
        match round_trip(&example.schema, &example.value) {
            Ok(back) => {
                let mut diffs = Vec::new();
                differences(&example.value, &back, "", &mut diffs);
                for (path, was, now) in diffs {
                    // The one documented exception: enum members sent in another letter case (the docs'
                    // `"type": "string"`) are read case-insensitively and written in canonical spelling.
                    let case_only = matches!((&was, &now), (Value::String(w), Value::String(n))
                        if w != n && w.eq_ignore_ascii_case(n));
                    if case_only {
                        canonicalized.push(format!("{} {path}: {was} -> {now}", example.place));
                    } else {
                        failures.push(format!(
                            "{} {path}: {was} came back as {now}",
                            example.place
                        ));
                    }
                }
            }
            Err(e) => failures.push(format!("{}: {e}", example.place)),
        }
    }
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Exactly the docs' lower-case attribute type of the first update-schema example is canonicalized.
    assert_eq!(canonicalized.len(), 1, "{canonicalized:#?}");
    assert!(canonicalized[0].contains(
        "replaceSchema /directories/0/objects/0/attributes/0/type: \"string\" -> \"String\""
    ));
}

#[test]
fn seed_job_keeps_its_quirks_typed_and_intact() {
    let job: SynchronizationJob = serde_json::from_str(seeds::CREATE_JOB_RESPONSE).unwrap();
    let schedule = job.schedule.as_ref().unwrap();
    let interval = schedule.interval.as_ref().unwrap();
    // TimeSpan.MaxValue: i64::MAX ticks of 100 ns, too long for std's Duration? No: it fits.
    assert_eq!(interval.ticks(), i64::MAX);
    assert_eq!(interval.to_string(), "P10675199DT2H48M5.4775807S");
    assert_eq!(schedule.state, Some(SynchronizationScheduleState::Disabled));
    assert!(schedule.expiration.is_null());
    let status = job.status.as_ref().unwrap();
    assert_eq!(status.code, Some(SynchronizationStatusCode::NotConfigured));
    assert!(
        status
            .steady_state_first_achieved_time
            .as_ref()
            .unwrap()
            .is_min_value()
    );
    assert!(status.quarantine.is_null());
    let back = serde_json::to_value(&job).unwrap();
    assert_eq!(back, seeds::create_job_response());
}

#[test]
fn unknown_members_and_properties_from_the_service_are_kept() {
    let json = serde_json::json!({
        "id": "j",
        "schedule": {"interval": "PT40M", "state": "Hibernating", "futureKnob": {"a": 1}},
        "status": {"code": "Draining", "quarantine": {"reason": "", "currentBegan": "", "seriesCount": 2}},
        "@odata.type": "#microsoft.graph.synchronizationJob"
    });
    let job: SynchronizationJob = serde_json::from_value(json.clone()).unwrap();
    let state = job.schedule.as_ref().and_then(|s| s.state.clone()).unwrap();
    assert!(!state.is_known());
    assert_eq!(state.as_str(), "Hibernating");
    assert_eq!(serde_json::to_value(&job).unwrap(), json);
}

/// Every JSON payload of the inventory (section 5 of `graph-synchronization-inventory.md`, kept verbatim in
/// `tests/data/inventory-payloads/`) stands inside an example of the spec, so the round trip above covers
/// it. Trailing commas, which two of the published payloads carry, are removed first.
#[test]
fn every_inventory_payload_is_a_spec_example() {
    let dir = seeds::workspace().join("tests/data/inventory-payloads");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 15, "the inventory has 15 JSON payloads");
    let blocks: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect();

    let examples: Vec<Value> = examples().into_iter().map(|e| e.value).collect();
    fn contains(haystack: &Value, needle: &Value) -> bool {
        haystack == needle
            || match haystack {
                Value::Array(items) => items.iter().any(|v| contains(v, needle)),
                Value::Object(map) => map.values().any(|v| contains(v, needle)),
                _ => false,
            }
    }
    for block in &blocks {
        let strict = without_trailing_commas(block);
        let payload: Value =
            serde_json::from_str(&strict).unwrap_or_else(|e| panic!("{e}:\n{block}"));
        assert!(
            examples.iter().any(|example| contains(example, &payload)),
            "this inventory payload is not among the spec's examples:\n{block}"
        );
    }
}

/// Drops commas that directly precede `}` or `]` (outside strings).
fn without_trailing_commas(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    let chars: Vec<char> = json.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
        } else if c == ','
            && chars[i + 1..]
                .iter()
                .find(|c| !c.is_whitespace())
                .is_some_and(|n| matches!(n, '}' | ']'))
        {
            continue;
        }
        out.push(c);
    }
    out
}

#[test]
fn trailing_commas_are_removed_outside_strings_only() {
    assert_eq!(
        without_trailing_commas(r#"{"a": [1, 2, ], "b": "x\", ]", }"#),
        r#"{"a": [1, 2 ], "b": "x\", ]" }"#
    );
}
