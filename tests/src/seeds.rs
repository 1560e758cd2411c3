//! The reference pages' payloads and the curated spec, shared by the end-to-end tests.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// The create-job seed's response body, byte for byte as the reference page shows it.
pub const CREATE_JOB_RESPONSE: &str = r#"{
    "id": "{jobId}",
    "templateId": "BoxOutDelta",
    "schedule": {
        "expiration": null,
        "interval": "P10675199DT2H48M5.4775807S",
        "state": "Disabled"
    },
    "status": {
        "countSuccessiveCompleteFailures": 0,
        "escrowsPruned": false,
        "synchronizedEntryCountByType": [],
        "code": "NotConfigured",
        "lastExecution": null,
        "lastSuccessfulExecution": null,
        "lastSuccessfulExecutionWithExports": null,
        "steadyStateFirstAchievedTime": "0001-01-01T00:00:00Z",
        "steadyStateLastAchievedTime": "0001-01-01T00:00:00Z",
        "quarantine": null,
        "troubleshootingUrl": null
    }
}"#;

/// [`CREATE_JOB_RESPONSE`] as JSON.
pub fn create_job_response() -> Value {
    serde_json::from_str(CREATE_JOB_RESPONSE).expect("the seed is JSON")
}

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

/// The curated spec as JSON.
pub fn spec() -> Value {
    let text = std::fs::read_to_string(workspace().join("spec/msgraph-sync.yaml"))
        .expect("spec is readable");
    serde_yaml::from_str(&text).expect("spec is YAML")
}

/// A request-body example of the spec, by path, method and example name (`Null` if there is none).
pub fn request_example(spec: &Value, path: &str, method: &str, name: &str) -> Value {
    spec["paths"][path][method]["requestBody"]["content"]["application/json"]["examples"][name]["value"].clone()
}
