//! One `graph_request` span per call (issue 16): the operation id of the path actually used, the
//! method, the path template without ids, `client_request_id`, `request_id` once known, the
//! attempt count and the status; the call's events inside it; no token, secret, id value or query
//! string anywhere in spans or events. Captured with a `tracing-subscriber` layer.

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::sync::{Arc, Mutex};

use msgraph_sync::{
    Client, Nullable, RestartRequestBody, SecretString, SynchronizationJobRestartCriteria,
    SynchronizationJobRestartScope, SynchronizationSecret, SynchronizationSecretKeyStringValuePair,
    SynchronizationSecretsRequestBody,
};
use msgraph_sync_tests::clock::RecordingClock;
use msgraph_sync_tests::fixtures::{self, TOKEN};
use msgraph_sync_tests::server::{Reply, TestServer};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::DefaultGuard;
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, SubscriberExt as _};
use tracing_subscriber::registry::LookupSpan;

type Fields = BTreeMap<String, String>;

#[derive(Default)]
struct FieldWriter(Fields);

impl Visit for FieldWriter {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

/// A closed span: its name and its fields as finally recorded.
#[derive(Clone, Debug)]
struct SpanRecord {
    id: u64,
    name: String,
    fields: Fields,
}

/// An event: its fields (`message` included) and the span it happened in.
#[derive(Clone, Debug)]
struct EventRecord {
    fields: Fields,
    span: Option<(u64, String)>,
}

#[derive(Clone, Default)]
struct Capture {
    spans: Arc<Mutex<Vec<SpanRecord>>>,
    events: Arc<Mutex<Vec<EventRecord>>>,
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> tracing_subscriber::Layer<S> for Capture {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut fields = FieldWriter::default();
        attrs.record(&mut fields);
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(fields);
        }
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(id)
            && let Some(fields) = span.extensions_mut().get_mut::<FieldWriter>()
        {
            values.record(fields);
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let mut fields = FieldWriter::default();
        event.record(&mut fields);
        let span = ctx
            .event_span(event)
            .map(|s| (s.id().into_u64(), s.name().to_owned()));
        self.events.lock().unwrap().push(EventRecord {
            fields: fields.0,
            span,
        });
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(&id) {
            let fields = span
                .extensions()
                .get::<FieldWriter>()
                .map(|f| f.0.clone())
                .unwrap_or_default();
            self.spans.lock().unwrap().push(SpanRecord {
                id: id.into_u64(),
                name: span.name().to_owned(),
                fields,
            });
        }
    }
}

impl Capture {
    fn calls(&self) -> Vec<SpanRecord> {
        let spans = self.spans.lock().unwrap();
        spans
            .iter()
            .filter(|s| s.name == "graph_request")
            .cloned()
            .collect()
    }

    fn events_in(&self, span: &SpanRecord) -> Vec<EventRecord> {
        let events = self.events.lock().unwrap();
        events
            .iter()
            .filter(|e| e.span.as_ref().is_some_and(|(id, _)| *id == span.id))
            .cloned()
            .collect()
    }

    /// Everything captured, as one text to search for what must never be there.
    fn everything(&self) -> String {
        format!(
            "{:?}\n{:?}",
            self.spans.lock().unwrap(),
            self.events.lock().unwrap()
        )
    }
}

fn field<'a>(span: &'a SpanRecord, name: &str) -> Option<&'a str> {
    span.fields.get(name).map(String::as_str)
}

fn messages(events: &[EventRecord]) -> Vec<&str> {
    events
        .iter()
        .filter_map(|e| e.fields.get("message").map(String::as_str))
        .collect()
}

/// A capturing subscriber for this thread, a scripted server and a client for it that does not
/// sleep between retries.
async fn capture_calls() -> (Capture, DefaultGuard, TestServer, Client) {
    let capture = Capture::default();
    let guard =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(capture.clone()));
    let server = TestServer::start().await;
    let client = fixtures::client(&server, &RecordingClock::new());
    (capture, guard, server, client)
}

const SP_ID: &str = "sp-7f3e-private";
const JOB_ID: &str = "job-91ab-private";
const SECRET: &str = "hunter2-span-secret";

#[tokio::test]
async fn one_span_per_call_with_attempts_ids_and_status() {
    let (capture, _guard, server, client) = capture_calls().await;
    server
        .reply(Reply::status(429).header("Retry-After", "1"))
        .reply(
            Reply::json(200, &serde_json::json!({"id": JOB_ID}))
                .header("request-id", "rid-200-abc"),
        );
    let job = client
        .v1()
        .service_principal(SP_ID)
        .synchronization()
        .jobs()
        .job(JOB_ID)
        .get()
        .await
        .unwrap();
    assert_eq!(job.id.as_deref(), Some(JOB_ID));

    let calls = capture.calls();
    assert_eq!(calls.len(), 1, "{calls:#?}");
    let call = &calls[0];
    assert_eq!(
        field(call, "operation"),
        Some("servicePrincipals.synchronization.jobs.synchronizationJob.get")
    );
    assert_eq!(field(call, "method"), Some("GET"));
    assert_eq!(
        field(call, "path"),
        Some(
            "/v1.0/servicePrincipals/{servicePrincipal-id}/synchronization/jobs/{synchronizationJob-id}"
        )
    );
    let sent = server.requests();
    assert_eq!(
        field(call, "client_request_id"),
        sent[1].header("client-request-id")
    );
    assert_eq!(field(call, "request_id"), Some("rid-200-abc"));
    assert_eq!(field(call, "attempts"), Some("2"));
    assert_eq!(field(call, "status"), Some("200"));

    // The call's events are inside its span.
    let events = capture.events_in(call);
    let said = messages(&events);
    assert_eq!(
        said.iter()
            .filter(|m| **m == "sending Graph request")
            .count(),
        2,
        "{said:?}"
    );
    assert!(said.contains(&"retrying Graph request"), "{said:?}");
    assert!(said.contains(&"received Graph response"), "{said:?}");
    let everything = capture.everything();
    for hidden in [SP_ID, JOB_ID, TOKEN] {
        assert!(!everything.contains(hidden), "{hidden} in:\n{everything}");
    }
}

#[tokio::test]
async fn the_operation_and_template_are_those_of_the_path_used() {
    let (capture, _guard, server, client) = capture_calls().await;
    server.fallback(Reply::status(204));
    let scope = SynchronizationJobRestartScope::WATERMARK;
    let body = RestartRequestBody {
        criteria: Some(SynchronizationJobRestartCriteria {
            reset_scope: Nullable::Value(scope),
            ..Default::default()
        }),
        ..Default::default()
    };
    // The same action reached by appId and by object id: two operation ids, two templates.
    let v1 = client.v1();
    for parent in [
        v1.service_principal_by_app_id("app-5c2d-private"),
        v1.service_principal(SP_ID),
    ] {
        let job = parent.synchronization().jobs().job(JOB_ID);
        job.restart(&body).await.unwrap();
    }

    let calls = capture.calls();
    let seen: Vec<(Option<&str>, Option<&str>)> = calls
        .iter()
        .map(|c| (field(c, "operation"), field(c, "path")))
        .collect();
    assert_eq!(
        seen,
        [
            (
                Some("servicePrincipalsByAppId.synchronization.jobs.synchronizationJob.restart"),
                Some(
                    "/v1.0/servicePrincipals(appId='{appId}')/synchronization/jobs/{synchronizationJob-id}/restart"
                ),
            ),
            (
                Some("servicePrincipals.synchronization.jobs.synchronizationJob.restart"),
                Some(
                    "/v1.0/servicePrincipals/{servicePrincipal-id}/synchronization/jobs/{synchronizationJob-id}/restart"
                ),
            ),
        ]
    );
    assert!(calls.iter().all(|c| field(c, "method") == Some("POST")));
    assert!(calls.iter().all(|c| field(c, "status") == Some("204")));
    assert!(!capture.everything().contains("app-5c2d-private"));
}

#[tokio::test]
async fn each_page_is_a_call_and_no_query_or_secret_is_logged() {
    let (capture, _guard, server, client) = capture_calls().await;
    let next = format!("{}/v1.0/next?$skiptoken={SECRET}", server.url());
    server
        .reply(Reply::json(
            200,
            &serde_json::json!({"value": [{"id": "a"}], "@odata.nextLink": next}),
        ))
        .reply(Reply::json(
            200,
            &serde_json::json!({"value": [{"id": "b"}]}),
        ));
    let jobs = client
        .v1()
        .service_principal(SP_ID)
        .synchronization()
        .jobs();
    let all = jobs.list().filter(SECRET).collect_all().await.unwrap();
    assert_eq!(all.len(), 2);

    // A failed call: the status and the request-id from the error body, a secret sent in the body.
    server.reply(Reply::json(
        400,
        &serde_json::json!({"error": {"code": "BadRequest", "message": format!("bad {SECRET}"),
            "innerError": {"request-id": "rid-400-def"}}}),
    ));
    let secrets = SynchronizationSecretsRequestBody {
        value: Some(vec![SynchronizationSecretKeyStringValuePair {
            key: Some(SynchronizationSecret::SecretToken),
            value: Nullable::Value(SecretString::from(SECRET)),
            ..Default::default()
        }]),
        ..Default::default()
    };
    let sync = client.v1().service_principal(SP_ID).synchronization();
    let err = sync.secrets().put(&secrets).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));

    let calls = capture.calls();
    assert_eq!(calls.len(), 3, "{calls:#?}");
    let template = "/v1.0/servicePrincipals/{servicePrincipal-id}/synchronization/jobs";
    for page in &calls[..2] {
        assert_eq!(
            field(page, "operation"),
            Some("servicePrincipals.synchronization.jobs.list")
        );
        assert_eq!(field(page, "path"), Some(template));
        assert_eq!(field(page, "attempts"), Some("1"));
    }
    assert_ne!(
        field(&calls[0], "client_request_id"),
        field(&calls[1], "client_request_id")
    );
    let failed = &calls[2];
    assert_eq!(
        field(failed, "operation"),
        Some("servicePrincipals.synchronization.secrets.put")
    );
    assert_eq!(field(failed, "status"), Some("400"));
    assert_eq!(field(failed, "request_id"), Some("rid-400-def"));
    assert!(
        messages(&capture.events_in(failed)).contains(&"Graph request failed"),
        "{:#?}",
        capture.events_in(failed)
    );

    let everything = capture.everything();
    // Not the nextLink's path or query either: the pages that follow log the first request's
    // template.
    for hidden in [SECRET, SP_ID, TOKEN, "skiptoken", "$filter", "/v1.0/next"] {
        assert!(!everything.contains(hidden), "{hidden} in:\n{everything}");
    }
}
