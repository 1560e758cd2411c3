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

/// Models derived like the generated ones (`GraphModel`), for issue 12's payloads.
mod graph {
    use msgraph_sync::{
        DateTimeOffset, Duration, GraphEnum, GraphModel, Nullable, UnknownMember, UnknownProperties,
    };

    /// A job.
    #[derive(Debug, Clone, PartialEq, Default, GraphModel)]
    pub struct Job {
        #[graph(rename = "id")]
        pub id: Option<String>,
        #[graph(rename = "schedule")]
        pub schedule: Option<Schedule>,
        #[graph(rename = "status")]
        pub status: Option<Status>,
        #[graph(unknown)]
        pub additional_properties: UnknownProperties,
    }

    /// A schedule.
    #[derive(Debug, Clone, PartialEq, Default, GraphModel)]
    pub struct Schedule {
        #[graph(rename = "expiration", nullable)]
        pub expiration: Nullable<DateTimeOffset>,
        #[graph(rename = "interval")]
        pub interval: Option<Duration>,
        #[graph(unknown)]
        pub additional_properties: UnknownProperties,
    }

    /// A status.
    #[derive(Debug, Clone, PartialEq, Default, GraphModel)]
    pub struct Status {
        #[graph(rename = "quarantine", nullable)]
        pub quarantine: Nullable<Quarantine>,
        #[graph(rename = "steadyStateFirstAchievedTime")]
        pub steady_state_first_achieved_time: Option<DateTimeOffset>,
        #[graph(unknown)]
        pub additional_properties: UnknownProperties,
    }

    /// A quarantine.
    #[derive(Debug, Clone, PartialEq, Default, GraphModel)]
    pub struct Quarantine {
        #[graph(rename = "currentBegan")]
        pub current_began: Option<DateTimeOffset>,
        #[graph(rename = "nextAttempt")]
        pub next_attempt: Option<DateTimeOffset>,
        #[graph(rename = "reason")]
        pub reason: Option<QuarantineReason>,
        #[graph(unknown)]
        pub additional_properties: UnknownProperties,
    }

    /// Why a job is in quarantine (as the generator emits it: `Empty`, then `Unrecognized`).
    #[derive(Debug, Clone, PartialEq, Eq, GraphEnum)]
    pub enum QuarantineReason {
        EncounteredBaseEscrowThreshold,
        Unknown,
        TooManyDeletes,
        /// The service sent an empty string.
        #[graph(empty)]
        Empty,
        #[graph(unknown)]
        Unrecognized(UnknownMember<Self>),
    }

    /// A list of jobs.
    #[derive(Debug, Clone, PartialEq, Default, GraphModel)]
    pub struct Jobs {
        #[graph(rename = "value")]
        pub value: Option<Vec<Job>>,
        #[graph(unknown)]
        pub additional_properties: UnknownProperties,
    }
}

/// The docs' quarantine example: `"reason": ""` and `"currentBegan": ""` are the service's "nothing",
/// each with its own representation, neither a fake unknown member nor an error, and written back `""`.
#[test]
fn the_services_empty_strings_read_as_empty_and_go_back_as_empty() {
    let text = r#"{"id":"BoxOutDelta.e4bb","status":{"quarantine":{"currentBegan":"","nextAttempt":"2019-11-20T16:15:21.116098Z","reason":"","seriesCount":2},"steadyStateFirstAchievedTime":"0001-01-01T00:00:00Z"}}"#;
    let job: graph::Job = msgraph_sync::decode_json(text.as_bytes()).unwrap();
    let status = job.status.as_ref().unwrap();
    let quarantine = status.quarantine.as_ref().unwrap();
    let reason = quarantine.reason.as_ref().unwrap();
    assert_eq!(*reason, graph::QuarantineReason::Empty);
    assert!(reason.is_empty() && reason.is_known() && reason.as_str().is_empty());
    assert!(!graph::QuarantineReason::KNOWN.contains(&""));
    // `Unknown` is a real member of this enum; the empty string is not it, nor an unrecognized one.
    assert_ne!(*reason, graph::QuarantineReason::Unknown);
    let began = quarantine.current_began.as_ref().unwrap();
    assert!(began.is_empty() && began.is_valid());
    assert_eq!(began.unix_timestamp(), None);
    assert!(
        status
            .steady_state_first_achieved_time
            .as_ref()
            .unwrap()
            .is_min_value()
    );
    assert_eq!(serde_json::to_string(&job).unwrap(), text);
}

/// One malformed interval and one impossible date in a list of 100 jobs: the list is read (through the
/// client's own decoder), the odd values are reported by their accessors with the strict parse's reason,
/// and the whole list is written back as read.
#[test]
fn one_malformed_value_does_not_cost_a_list_of_100_jobs() {
    let jobs: Vec<String> = (0..100)
        .map(|i| {
            let interval = match i {
                41 => "P1Y",
                _ => "PT40M",
            };
            let expiration = match i {
                73 => r#""2019-02-30T00:00:00Z""#,
                _ => "null",
            };
            format!(r#"{{"id":"job{i}","schedule":{{"expiration":{expiration},"interval":"{interval}"}}}}"#)
        })
        .collect();
    let text = format!(r#"{{"@odata.context":"ctx","value":[{}]}}"#, jobs.join(","));
    let list: graph::Jobs = msgraph_sync::decode_json(text.as_bytes()).unwrap();
    let jobs = list.value.as_ref().unwrap();
    assert_eq!(jobs.len(), 100);

    let schedules: Vec<&graph::Schedule> =
        jobs.iter().map(|j| j.schedule.as_ref().unwrap()).collect();
    let bad_intervals: Vec<usize> = (0..100)
        .filter(|&i| !schedules[i].interval.as_ref().unwrap().is_valid())
        .collect();
    assert_eq!(bad_intervals, [41]);
    let interval = schedules[41].interval.as_ref().unwrap();
    assert_eq!(interval.as_str(), "P1Y");
    assert_eq!(
        interval.parse_error().unwrap().to_string(),
        "invalid duration \"P1Y\": years, months and weeks are not supported (their length is ambiguous)"
    );
    let bad_dates: Vec<usize> = (0..100)
        .filter(|&i| {
            schedules[i]
                .expiration
                .as_ref()
                .is_some_and(|e| !e.is_valid())
        })
        .collect();
    assert_eq!(bad_dates, [73]);
    let expiration = schedules[73].expiration.as_ref().unwrap();
    assert_eq!(
        expiration.parse_error().unwrap().reason(),
        "the day does not exist in that month"
    );
    assert_eq!(
        format!("{expiration:?}"),
        r#"DateTimeOffset(invalid "2019-02-30T00:00:00Z")"#
    );

    assert_eq!(serde_json::to_string(&list).unwrap(), text);
}

/// The strict parse stays available, for callers who want an odd value to fail.
#[test]
fn the_strict_parse_is_still_there() {
    assert!("P1Y".parse::<Duration>().is_err());
    assert!(DateTimeOffset::parse("2019-02-30T00:00:00Z").is_err());

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Strict {
        #[serde(deserialize_with = "Duration::deserialize_strict")]
        interval: Duration,
        #[serde(deserialize_with = "DateTimeOffset::deserialize_strict")]
        at: DateTimeOffset,
    }
    let err = msgraph_sync::decode_json::<Strict>(br#"{"interval":"P1Y","at":""}"#).unwrap_err();
    assert!(err.to_string().contains("interval"), "{err}");
    assert!(err.to_string().contains("years, months and weeks"), "{err}");
    let err =
        msgraph_sync::decode_json::<Strict>(br#"{"interval":"PT1M","at":"2019-02-30T00:00:00Z"}"#)
            .unwrap_err();
    assert!(err.to_string().contains("at"), "{err}");
    let ok = msgraph_sync::decode_json::<Strict>(br#"{"interval":"PT1M","at":""}"#).unwrap();
    assert!(ok.at.is_empty());
}
