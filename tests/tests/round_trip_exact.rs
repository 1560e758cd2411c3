//! Nothing changes on a read → write round trip (issue 12): every spec example and every payload of the
//! issue, decoded into the generated models and encoded again, gives the same JSON text for each value
//! (numbers digit for digit, not merely equal after `f64` parsing), with the OData control information
//! (`@odata.*`) first and no key twice. `PUT …/schema` replaces the whole schema, so anything changed on
//! the way through is data lost for the user.

use msgraph_sync::*;
use msgraph_sync_tests::clock::RecordingClock;
use msgraph_sync_tests::fixtures;
use msgraph_sync_tests::schemas::{WithType, with_type};
use msgraph_sync_tests::seeds;
use msgraph_sync_tests::server::{Reply, TestServer};
use serde::de::{DeserializeOwned, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;

/// A JSON text as a tree whose leaves keep their text: objects keep their members in order.
#[derive(Debug)]
enum Json {
    Object(Vec<(String, Json)>),
    Array(Vec<Json>),
    /// A string, decoded (escapes are spelling, not value).
    String(String),
    /// A number, `true`, `false` or `null`, as written.
    Literal(String),
}

/// The members of an object in order, each value's text kept.
struct Members(Vec<(String, Box<RawValue>)>);

impl<'de> Deserialize<'de> for Members {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Ordered;
        impl<'de> Visitor<'de> for Ordered {
            type Value = Members;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members, A::Error> {
                let mut members = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    members.push(entry);
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(Ordered)
    }
}

fn tree(text: &str) -> Json {
    let text = text.trim();
    match text.as_bytes().first() {
        Some(b'{') => {
            let Members(members) = serde_json::from_str(text).unwrap();
            Json::Object(
                members
                    .into_iter()
                    .map(|(k, v)| (k, tree(v.get())))
                    .collect(),
            )
        }
        Some(b'[') => {
            let items: Vec<Box<RawValue>> = serde_json::from_str(text).unwrap();
            Json::Array(items.iter().map(|v| tree(v.get())).collect())
        }
        Some(b'"') => Json::String(serde_json::from_str(text).unwrap()),
        _ => Json::Literal(text.to_owned()),
    }
}

/// Where `written` differs from `read`: a value's text, a member missing or added, a key written twice,
/// or a non-`@odata` member before an `@odata` one. String values that differ only in ASCII case (enum
/// members read case-insensitively and written in their canonical spelling) go to `canonicalized`.
fn compare(
    read: &Json,
    written: &Json,
    path: &str,
    out: &mut Vec<String>,
    canonicalized: &mut Vec<String>,
) {
    match (read, written) {
        (Json::Object(a), Json::Object(b)) => {
            let mut seen_plain = false;
            for (i, (key, _)) in b.iter().enumerate() {
                if b[..i].iter().any(|(k, _)| k == key) {
                    out.push(format!("{path}/{key}: written twice"));
                }
                if key.starts_with("@odata.") {
                    if seen_plain {
                        out.push(format!("{path}/{key}: written after a property"));
                    }
                } else {
                    seen_plain = true;
                }
            }
            for (key, value) in a {
                match b.iter().find(|(k, _)| k == key) {
                    Some((_, back)) => {
                        compare(value, back, &format!("{path}/{key}"), out, canonicalized)
                    }
                    None => out.push(format!("{path}/{key}: lost")),
                }
            }
            for (key, _) in b.iter().filter(|(k, _)| !a.iter().any(|(ka, _)| ka == k)) {
                out.push(format!("{path}/{key}: added"));
            }
        }
        (Json::Array(a), Json::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                compare(x, y, &format!("{path}/{i}"), out, canonicalized);
            }
        }
        (Json::String(a), Json::String(b)) if a == b => {}
        (Json::String(a), Json::String(b)) if a.eq_ignore_ascii_case(b) => {
            canonicalized.push(format!("{path}: {a:?} -> {b:?}"));
        }
        (Json::Literal(a), Json::Literal(b)) if a == b => {}
        _ => out.push(format!("{path}: {read:?} came back as {written:?}")),
    }
}

/// Decodes `text` as the schema's Rust type the way the client decodes a response, and encodes it as
/// a request body is.
struct Through<'a>(&'a str);

impl WithType for Through<'_> {
    type Output = Result<String, String>;
    fn run<T: DeserializeOwned + Serialize>(self) -> Self::Output {
        let value: T = decode_json(self.0.as_bytes()).map_err(|e| e.to_string())?;
        serde_json::to_string(&value).map_err(|e| e.to_string())
    }
}

fn round_trip(schema: &str, text: &str) -> Result<String, String> {
    with_type(schema, Through(text)).unwrap_or_else(|| {
        Err(format!(
            "no Rust type mapped for schema `{schema}`; add it to tests/src/schemas.rs"
        ))
    })
}

/// Checks one payload; returns the canonicalized spellings.
fn check(place: &str, schema: &str, text: &str, failures: &mut Vec<String>) -> Vec<String> {
    let mut canonicalized = Vec::new();
    match round_trip(schema, text) {
        Ok(back) => {
            let mut diffs = Vec::new();
            compare(
                &tree(text),
                &tree(&back),
                "",
                &mut diffs,
                &mut canonicalized,
            );
            failures.extend(diffs.into_iter().map(|d| format!("{place}{d}")));
        }
        Err(e) => failures.push(format!("{place}: {e}")),
    }
    canonicalized
        .into_iter()
        .map(|c| format!("{place}{c}"))
        .collect()
}

/// Every `content.<media>.examples.<name>.value` of the spec with the schema it claims, as JSON text.
fn spec_examples() -> Vec<(String, String, String)> {
    fn walk(node: &serde_json::Value, place: &str, out: &mut Vec<(String, String, String)>) {
        let Some(map) = node.as_object() else { return };
        if let (Some(schema), Some(examples)) = (map.get("schema"), map.get("examples")) {
            let schema = schema["$ref"]
                .as_str()
                .unwrap_or_default()
                .trim_start_matches("#/components/schemas/");
            for (name, example) in examples.as_object().into_iter().flatten() {
                let text = serde_json::to_string(&example["value"]).unwrap();
                out.push((format!("{place} {name}"), schema.to_owned(), text));
            }
        }
        for (key, child) in map {
            walk(child, &format!("{place} {key}"), out);
        }
    }
    let mut out = Vec::new();
    walk(&seeds::spec()["paths"], "", &mut out);
    out
}

#[test]
fn every_spec_example_comes_back_as_the_same_text() {
    let examples = spec_examples();
    assert!(
        examples.len() >= 19,
        "the spec carries {} examples",
        examples.len()
    );
    let mut failures = Vec::new();
    let mut canonicalized = Vec::new();
    for (place, schema, text) in &examples {
        canonicalized.extend(check(place, schema, text, &mut failures));
    }
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // The one documented exception: the docs' lower-case `"type": "string"` in the first update-schema
    // example is read case-insensitively and written as the member's canonical spelling.
    assert_eq!(canonicalized.len(), 1, "{canonicalized:#?}");
    assert!(
        canonicalized[0]
            .contains("/directories/0/objects/0/attributes/0/type: \"string\" -> \"String\"")
    );
}

/// The issue's payloads, each as the service (or a user) could send it.
const PAYLOADS: &[(&str, &str, &str)] = &[
    (
        "unknown numbers of any size and precision",
        "synchronizationJob",
        r#"{"id":"j","futureCount":123456789012345678901234567890,"ratio":-2.5680060635641298e-228,"exact":9007199254740993.0,"huge":1e400,"nested":{"n":[1e400,0.1,-0]}}"#,
    ),
    (
        "an explicit null on a non-nullable property",
        "synchronizationJob",
        r#"{"id":null,"templateId":"AzureAD2AAD"}"#,
    ),
    (
        "schema example 3, @odata.type first",
        "synchronizationSchema",
        r##"{"@odata.type":"#microsoft.graph.synchronizationSchema","synchronizationRules":[{"defaultValue":"","exportMissingReferences":false,"flowBehavior":"FlowWhenChanged","flowType":"Always","matchingPriority":0,"source":{"expression":"[extensionAttribute11]","name":"extensionAttribute11","parameters":[],"type":"Attribute"},"targetAttributeName":"timezone"}]}"##,
    ),
    (
        "@odata members read after the properties",
        "synchronizationJob",
        r##"{"id":"j","@odata.type":"#microsoft.graph.synchronizationJob","@odata.etag":"W/\"1\""}"##,
    ),
    (
        "a combined flag member by name",
        "restartRequestBody",
        r#"{"criteria":{"resetScope":"Full"}}"#,
    ),
    (
        "a combined flag member with another",
        "restartRequestBody",
        r#"{"criteria":{"resetScope":"ForceDeletes, Full"}}"#,
    ),
    (
        "the docs' quarantine with empty reason and date-time",
        "synchronizationJob",
        r#"{"id":"BoxOutDelta.e4bb","status":{"code":"Paused","quarantine":{"currentBegan":"","nextAttempt":"2019-11-20T16:15:21.116098Z","reason":"","seriesCount":2}}}"#,
    ),
    (
        "a malformed interval and date-time",
        "synchronizationJob",
        r#"{"id":"j","schedule":{"interval":"every day","expiration":"2024-02-30T00:00:00Z"},"status":{"lastSuccessfulExecution":{"timeBegan":"not a time"}}}"#,
    ),
];

#[test]
fn every_payload_of_the_issue_comes_back_as_the_same_text() {
    let mut failures = Vec::new();
    for (place, schema, text) in PAYLOADS {
        let canonicalized = check(&format!("{place}: "), schema, text, &mut failures);
        assert!(canonicalized.is_empty(), "{canonicalized:?}");
    }
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_issue_payloads_are_typed_not_only_carried() {
    let job: SynchronizationJob = decode_json(PAYLOADS[1].2.as_bytes()).unwrap();
    assert_eq!(job.id, None);
    assert_eq!(job.additional_properties.get("id").unwrap().get(), "null");

    let job: SynchronizationJob = decode_json(PAYLOADS[0].2.as_bytes()).unwrap();
    assert_eq!(
        job.additional_properties.get("huge").unwrap().get(),
        "1e400"
    );

    let body: RestartRequestBody = decode_json(PAYLOADS[4].2.as_bytes()).unwrap();
    let scope = body
        .criteria
        .as_ref()
        .unwrap()
        .reset_scope
        .clone()
        .into_option()
        .unwrap();
    assert_eq!(scope, SynchronizationJobRestartScope::FULL);

    let job: SynchronizationJob = decode_json(PAYLOADS[6].2.as_bytes()).unwrap();
    let quarantine = job
        .status
        .into_option()
        .unwrap()
        .quarantine
        .into_option()
        .unwrap();
    assert!(quarantine.current_began.unwrap().is_empty());
    let reason = quarantine.reason.unwrap();
    assert_eq!(reason, QuarantineReason::Empty);
    assert!(reason.is_empty() && reason.is_known());

    let job: SynchronizationJob = decode_json(PAYLOADS[7].2.as_bytes()).unwrap();
    let schedule = job.schedule.into_option().unwrap();
    assert!(!schedule.interval.unwrap().is_valid());
}

/// A list of 100 jobs in which one has an odd interval: the page decodes over real HTTP, the odd value is
/// reported by its accessor, and the job sent back carries the interval as read.
#[tokio::test]
async fn one_bad_interval_does_not_cost_the_list() {
    let jobs: Vec<String> = (0..100)
        .map(|i| {
            let interval = if i == 57 { "PT40 minutes" } else { "PT40M" };
            format!(r#"{{"id":"job{i}","schedule":{{"interval":"{interval}","state":"Active"}},"big":1{i}234567890123456789012345}}"#)
        })
        .collect();
    let body = format!(
        r#"{{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#jobs","value":[{}]}}"#,
        jobs.join(",")
    );
    let server = TestServer::start().await;
    server.reply(
        Reply::status(200)
            .header("Content-Type", "application/json")
            .body(body.clone()),
    );
    server.reply(
        Reply::status(201)
            .header("Content-Type", "application/json")
            .body(r#"{"id":"job57"}"#),
    );
    let client = fixtures::client(&server, &RecordingClock::new());

    let page: Page<SynchronizationJob> = fixtures::list_jobs(&client.v1(), "sp").await.unwrap();
    assert_eq!(page.value.len(), 100);
    let bad: Vec<_> = page
        .value
        .iter()
        .filter(|job| {
            !job.schedule
                .as_ref()
                .unwrap()
                .interval
                .as_ref()
                .unwrap()
                .is_valid()
        })
        .collect();
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0].id.as_deref(), Some("job57"));
    let interval = bad[0].schedule.as_ref().unwrap().interval.as_ref().unwrap();
    assert_eq!(interval.as_str(), "PT40 minutes");
    assert!(interval.parse_error().is_some());

    // Sent back as read, big number and odd interval included.
    fixtures::create_job(&client.v1(), "sp", bad[0])
        .await
        .unwrap();
    let sent = String::from_utf8(server.requests()[1].body.clone()).unwrap();
    let mut diffs = Vec::new();
    compare(
        &tree(&jobs[57]),
        &tree(&sent),
        "",
        &mut diffs,
        &mut Vec::new(),
    );
    assert!(diffs.is_empty(), "{diffs:#?}");
}

#[test]
fn the_comparison_catches_what_it_must() {
    let mut out = Vec::new();
    let mut canonicalized = Vec::new();
    let mut diff = |a: &str, b: &str| {
        out.clear();
        compare(&tree(a), &tree(b), "", &mut out, &mut canonicalized);
        out.clone()
    };
    assert!(
        diff(
            r#"{"a":1e400,"@odata.type":"x"}"#,
            r#"{"@odata.type":"x","a":1e400}"#
        )
        .is_empty()
    );
    assert_eq!(
        diff(r#"{"a":9007199254740993}"#, r#"{"a":9007199254740992}"#).len(),
        1
    );
    assert_eq!(diff(r#"{"a":1.0}"#, r#"{"a":1}"#).len(), 1);
    assert_eq!(diff(r#"{"a":null}"#, r#"{}"#), ["/a: lost"]);
    assert_eq!(diff(r#"{}"#, r#"{"a":null}"#), ["/a: added"]);
    assert_eq!(
        diff(
            r#"{"@odata.type":"x","a":1}"#,
            r#"{"a":1,"@odata.type":"x"}"#
        ),
        ["/@odata.type: written after a property"]
    );
    assert_eq!(
        diff(r#"{"a":1}"#, r#"{"a":1,"a":1}"#),
        ["/a: written twice"]
    );
    assert!(diff(r#"{"s":"\u0041"}"#, r#"{"s":"A"}"#).is_empty());
    assert_eq!(diff(r#"[1,2]"#, r#"[1]"#).len(), 1);
    assert!(diff(r#"{"t":"string"}"#, r#"{"t":"String"}"#).is_empty());
    assert_eq!(canonicalized, ["/t: \"string\" -> \"String\""]);
}
