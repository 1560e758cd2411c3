//! Tracing output names operations, statuses and retries, and never contains the token or a
//! request body.

use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

use msgraph_sync::SecretString;
use msgraph_sync_tests::clock::RecordingClock;
use msgraph_sync_tests::fixtures::{self, TOKEN};
use msgraph_sync_tests::server::{Reply, TestServer};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// A subscriber that writes every event and span field into one string.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<String>>);

struct Writer<'a>(&'a mut String);

impl Visit for Writer<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, "{}={:?} ", field.name(), value);
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        span.record(&mut Writer(&mut self.0.lock().unwrap()));
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        values.record(&mut Writer(&mut self.0.lock().unwrap()));
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut out = self.0.lock().unwrap();
        event.record(&mut Writer(&mut out));
        out.push('\n');
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn logs_never_contain_tokens_or_secrets() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());

    let server = TestServer::start().await;
    server
        .reply(Reply::status(429).header("Retry-After", "1"))
        .reply(Reply::status(204));
    let client = fixtures::client(&server, &RecordingClock::new());
    let body = serde_json::json!({"value": [{"key": "SecretToken", "value": SecretString::from("hunter2-secret")}]});
    fixtures::put_secrets(&client.v1(), "sp", &body)
        .await
        .unwrap();

    let log = capture.0.lock().unwrap().clone();
    assert!(
        log.contains("servicePrincipals.synchronization.secrets.put"),
        "{log}"
    );
    assert!(log.contains("retrying Graph request"), "{log}");
    assert!(log.contains("status=429"), "{log}");
    assert!(!log.contains(TOKEN), "{log}");
    assert!(!log.contains("hunter2-secret"), "{log}");
    assert_eq!(
        server.requests()[1].json()["value"][0]["value"],
        "hunter2-secret"
    );
}
