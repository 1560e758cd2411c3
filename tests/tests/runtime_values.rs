//! The value types inside model-shaped structs: the service's own payloads read and written back
//! exactly.

use msgraph_sync::{DateTimeOffset, Duration, Nullable, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Job {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    template_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    schedule: Option<Schedule>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status: Option<Status>,
    #[serde(flatten)]
    additional_properties: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Schedule {
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    expiration: Nullable<DateTimeOffset>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    interval: Option<Duration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    state: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Status {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    steady_state_first_achieved_time: Option<DateTimeOffset>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    last_execution: Nullable<Value>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    quarantine: Nullable<Quarantine>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    troubleshooting_url: Nullable<String>,
    #[serde(flatten)]
    additional_properties: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Quarantine {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    current_began: Option<DateTimeOffset>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    next_attempt: Option<DateTimeOffset>,
    #[serde(flatten)]
    additional_properties: Map<String, Value>,
}

/// Inventory example 5.2 (get job with quarantine), trimmed.
fn job_52() -> Value {
    json!({
        "id": "BoxOutDelta.e4bb",
        "templateId": "BoxOutDelta",
        "schedule": {"expiration": null, "interval": "P10675199DT2H48M5.4775807S", "state": "Disabled"},
        "status": {
            "countSuccessiveCompleteFailures": 0,
            "code": "Paused",
            "lastExecution": null,
            "steadyStateFirstAchievedTime": "0001-01-01T00:00:00Z",
            "quarantine": {"currentBegan": "", "nextAttempt": "2019-11-20T16:15:21.116098Z", "reason": "", "seriesCount": 2},
            "troubleshootingUrl": null
        },
        "synchronizationJobSettings": [{"name": "QuarantineTooManyDeletesThreshold", "value": "500"}]
    })
}

#[test]
fn a_service_job_round_trips_exactly() {
    let original = job_52();
    let job: Job = serde_json::from_value(original.clone()).unwrap();

    let schedule = job.schedule.as_ref().unwrap();
    assert!(schedule.expiration.is_null());
    let interval = schedule.interval.as_ref().unwrap();
    assert!(interval.is_max_value());
    assert_eq!(interval.ticks(), i64::MAX);
    let status = job.status.as_ref().unwrap();
    assert!(
        status
            .steady_state_first_achieved_time
            .as_ref()
            .unwrap()
            .is_min_value()
    );
    assert!(status.last_execution.is_null());
    let quarantine = status.quarantine.as_ref().unwrap();
    assert!(quarantine.current_began.as_ref().unwrap().is_empty());
    assert_eq!(
        quarantine.next_attempt.as_ref().unwrap().nanosecond(),
        116_098_000
    );

    assert_eq!(serde_json::to_value(&job).unwrap(), original);
    let text = serde_json::to_string(&job).unwrap();
    assert!(text.contains(r#""interval":"P10675199DT2H48M5.4775807S""#));
    assert!(text.contains(r#""currentBegan":"""#));
    assert!(text.contains(r#""nextAttempt":"2019-11-20T16:15:21.116098Z""#));
}

#[test]
fn absent_null_and_set_are_distinguished_when_patching() {
    let clear = Schedule {
        expiration: Nullable::Null,
        interval: None,
        state: None,
    };
    assert_eq!(
        serde_json::to_value(&clear).unwrap(),
        json!({"expiration": null})
    );
    let leave = Schedule {
        expiration: Nullable::Absent,
        interval: Some("PT40M".parse().unwrap()),
        state: None,
    };
    assert_eq!(
        serde_json::to_value(&leave).unwrap(),
        json!({"interval": "PT40M"})
    );
    let set = Schedule {
        expiration: DateTimeOffset::from_parts(2030, 1, 1, 0, 0, 0)
            .unwrap()
            .into(),
        interval: Some(Duration::from_std(std::time::Duration::from_secs(120)).unwrap()),
        state: Some("Active".into()),
    };
    assert_eq!(
        serde_json::to_value(&set).unwrap(),
        json!({"expiration": "2030-01-01T00:00:00Z", "interval": "PT2M", "state": "Active"})
    );
}

#[test]
fn negative_and_odd_durations_keep_their_text() {
    for text in ["-PT1M12.6316819S", "PT20M", "P1DT0H0M0S", "PT0.5000000S"] {
        let schedule: Schedule = serde_json::from_value(json!({"interval": text})).unwrap();
        assert_eq!(serde_json::to_value(&schedule).unwrap()["interval"], text);
    }
    // A malformed interval no longer fails the object: it is kept, reported, and written back.
    let schedule: Schedule = serde_json::from_value(json!({"interval": "P1Y"})).unwrap();
    let interval = schedule.interval.as_ref().unwrap();
    assert!(!interval.is_valid());
    let err = interval.parse_error().unwrap();
    assert!(
        err.to_string().contains("invalid duration \"P1Y\""),
        "{err}"
    );
    assert_eq!(
        serde_json::to_value(&schedule).unwrap(),
        json!({"interval": "P1Y"})
    );
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct SecretPair {
    key: String,
    value: SecretString,
}

#[test]
fn secrets_are_sent_but_never_shown() {
    let pair: SecretPair =
        serde_json::from_value(json!({"key": "SecretToken", "value": "password-value"})).unwrap();
    assert_eq!(
        format!("{pair:?}"),
        r#"SecretPair { key: "SecretToken", value: [redacted] }"#
    );
    assert_eq!(pair.value.expose_secret(), "password-value");
    assert_eq!(
        serde_json::to_value(&pair).unwrap(),
        json!({"key": "SecretToken", "value": "password-value"})
    );
}
