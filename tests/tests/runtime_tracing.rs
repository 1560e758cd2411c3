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

/// The secrets every error below must keep out of sight.
const SECRET: &str = "hunter2-S3CRET-value";
const SECRET_NUMBER: &str = "987654321";

/// Formats `err` every way a user or a logger can: `Display`, `Debug`, and both for every error
/// in its `source()` chain.
fn every_rendering(err: &msgraph_sync::Error) -> String {
    let mut out = format!("{err}\n{err:?}\n");
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        let _ = write!(out, "{cause}\n{cause:?}\n");
        source = cause.source();
    }
    out
}

fn secret_body() -> msgraph_sync::SynchronizationSecretsRequestBody {
    msgraph_sync::SynchronizationSecretsRequestBody {
        value: Some(vec![
            msgraph_sync::SynchronizationSecretKeyStringValuePair {
                key: Some(msgraph_sync::SynchronizationSecret::SecretToken),
                value: msgraph_sync::Nullable::Value(SecretString::from(SECRET)),
                ..Default::default()
            },
        ]),
        ..Default::default()
    }
}

/// A Graph error body that echoes `text` everywhere the service could.
fn echoing_error(text: &str) -> serde_json::Value {
    serde_json::json!({"error": {
        "code": "BadRequest",
        "message": format!("The value '{text}' is not valid for SecretToken."),
        "target": text,
        "details": [{"code": "Invalid", "message": text, "value": text}],
        "innerError": {"request-id": "rid-echo", "echo": text},
        "echo": {text: [text]}
    }})
}

#[tokio::test]
async fn no_error_variant_shows_a_secret_anywhere() {
    use msgraph_sync::{Error, RetryPolicy};
    use std::time::Duration;

    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let server = TestServer::start().await;
    let clock = RecordingClock::new();
    let client = fixtures::builder(&server, &clock)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let api = client.v1();
    let sync = api.service_principal("sp").synchronization();
    let mut errors: Vec<(&str, Error)> = Vec::new();

    // Decode: the stored secrets come back next to a field of the wrong type...
    server.reply(Reply::json(
        200,
        &serde_json::json!({"id": 5, "secrets": [{"key": "SecretToken", "value": SECRET}]}),
    ));
    errors.push(("decode, other field", sync.get().await.unwrap_err()));
    // ... or the secret itself has the wrong type (serde would echo "integer `987654321`").
    server.reply(Reply::json(
        200,
        &serde_json::json!({"secrets": [{"key": "SecretToken", "value": 987654321_u64}]}),
    ));
    errors.push(("decode, secret path", sync.get().await.unwrap_err()));

    // HTTP: a gateway page that echoes the secret we sent, in its body and a header.
    server.reply(
        Reply::status(400)
            .header("Content-Type", &format!("text/html; echo={SECRET}"))
            .header("X-Echo", SECRET)
            .body(format!(
                "<html>bad value {SECRET} with Bearer {TOKEN}</html>"
            )),
    );
    errors.push((
        "http",
        sync.secrets().put(&secret_body()).await.unwrap_err(),
    ));

    // Graph error: the service quotes the secret (and the token) back.
    server.reply(
        Reply::json(400, &echoing_error(&format!("{SECRET} / Bearer {TOKEN}")))
            .header("X-Echo", SECRET),
    );
    errors.push((
        "graph",
        sync.secrets().put(&secret_body()).await.unwrap_err(),
    ));

    // Throttled: the same echo on a 429.
    server.reply(
        Reply::json(429, &echoing_error(SECRET))
            .header("Retry-After", "5")
            .header("X-Echo", SECRET),
    );
    errors.push((
        "throttled",
        sync.secrets().put(&secret_body()).await.unwrap_err(),
    ));

    // Redirects: a signature in the query, credentials in the userinfo, a foreign host.
    let port = server.addr().port();
    server.fallback(Reply::redirect(302, &format!("/v1.0/loop?sig={SECRET}")));
    errors.push(("redirect loop", sync.get().await.unwrap_err()));
    server.reply(Reply::redirect(
        307,
        &format!("http://user:{SECRET}@127.0.0.1:{port}/v1.0/x"),
    ));
    errors.push(("redirect userinfo", sync.get().await.unwrap_err()));
    server.reply(Reply::redirect(
        307,
        &format!("http://localhost:{port}/v1.0/x?sig={SECRET}"),
    ));
    errors.push(("redirect foreign", sync.get().await.unwrap_err()));

    // Timeout and transport, with the secret in the URL's query ($skiptoken).
    server.fallback(Reply::hang());
    let timed_out = fixtures::list_jobs::<_, serde_json::Value>(&api, "sp")
        .skip_token(SECRET)
        .timeout(Duration::from_millis(300))
        .await
        .unwrap_err();
    errors.push(("timeout", timed_out));
    server.fallback(Reply::reset());
    let reset = fixtures::list_jobs::<_, serde_json::Value>(&api, "sp")
        .skip_token(SECRET)
        .await
        .unwrap_err();
    errors.push(("transport", reset));

    let kinds: Vec<String> = errors
        .iter()
        .map(|(what, e)| {
            format!(
                "{what}: {}",
                every_rendering(e).lines().next().unwrap_or("")
            )
        })
        .collect();
    let expected = [
        (
            "decode, other field",
            matches!(errors[0].1, Error::Decode { .. }),
        ),
        (
            "decode, secret path",
            matches!(errors[1].1, Error::Decode { .. }),
        ),
        ("http", matches!(errors[2].1, Error::Http { .. })),
        ("graph", matches!(errors[3].1, Error::Graph { .. })),
        ("throttled", matches!(errors[4].1, Error::Throttled { .. })),
        (
            "redirect loop",
            matches!(errors[5].1, Error::Redirect { .. }),
        ),
        (
            "redirect userinfo",
            matches!(errors[6].1, Error::CredentialsInUrl { .. }),
        ),
        (
            "redirect foreign",
            matches!(errors[7].1, Error::ForeignHost { .. }),
        ),
        ("timeout", matches!(errors[8].1, Error::Timeout { .. })),
        ("transport", matches!(errors[9].1, Error::Transport(_))),
    ];
    for (what, ok) in expected {
        assert!(ok, "{what}: unexpected variant in {kinds:#?}");
    }
    for (what, err) in &errors {
        let shown = every_rendering(err);
        for secret in [SECRET, SECRET_NUMBER, TOKEN] {
            assert!(!shown.contains(secret), "{what} shows {secret}:\n{shown}");
        }
    }
    // The errors still say what happened.
    assert!(
        every_rendering(&errors[1].1).contains("secrets[0].value"),
        "{kinds:#?}"
    );
    assert!(
        every_rendering(&errors[3].1).contains("[redacted]"),
        "{kinds:#?}"
    );
    let raw = errors[2]
        .1
        .response_body()
        .unwrap()
        .expose_text()
        .into_owned();
    assert!(
        raw.contains(SECRET),
        "the body is there for whoever asks explicitly"
    );

    let log = capture.0.lock().unwrap().clone();
    assert!(log.contains("sending Graph request"), "{log}");
    for secret in [SECRET, SECRET_NUMBER, TOKEN] {
        assert!(!log.contains(secret), "the log shows {secret}:\n{log}");
    }
}
