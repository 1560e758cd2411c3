//! Redirects: same-origin ones are followed by the runtime; a redirect to another host is refused
//! and the token never reaches it.

use msgraph_sync::{Error, StatusCode};
use msgraph_sync_tests::clock::RecordingClock;
use msgraph_sync_tests::fixtures::{self, TOKEN};
use msgraph_sync_tests::server::{Reply, TestServer};
use serde_json::{Value, json};

#[tokio::test]
async fn same_host_redirects_are_followed_with_method_and_body() {
    let server = TestServer::start().await;
    server
        .reply(Reply::redirect(
            307,
            "/v1.0/servicePrincipals/sp2/synchronization/jobs",
        ))
        .reply(Reply::json(201, &json!({"id": "created"})));
    let client = fixtures::client(&server, &RecordingClock::new());

    let created = fixtures::create_job(&client.v1(), "sp", &json!({"templateId": "Slack"}))
        .await
        .unwrap();
    assert_eq!(created["id"], "created");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].method, "POST");
    assert_eq!(
        requests[1].target,
        "/v1.0/servicePrincipals/sp2/synchronization/jobs"
    );
    assert_eq!(requests[1].json(), json!({"templateId": "Slack"}));
    assert_eq!(
        requests[1].header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(
        requests[0].header("client-request-id"),
        requests[1].header("client-request-id")
    );
}

#[tokio::test]
async fn see_other_switches_to_get_without_a_body() {
    let server = TestServer::start().await;
    let absolute = format!("{}/v1.0/result", server.url());
    server
        .reply(Reply::redirect(303, &absolute))
        .reply(Reply::json(200, &json!({"ok": true})));
    let client = fixtures::client(&server, &RecordingClock::new());
    let body: Value = fixtures::create_job(&client.v1(), "sp", &json!({"templateId": "x"}))
        .await
        .unwrap();
    assert_eq!(body["ok"], true);
    let second = &server.requests()[1];
    assert_eq!(second.method, "GET");
    assert!(second.body.is_empty());
    assert_eq!(second.header("content-type"), None);
}

#[tokio::test]
async fn redirects_to_another_host_are_refused_and_get_no_token() {
    let server = TestServer::start().await;
    let foreign = TestServer::start().await;
    foreign.fallback(Reply::json(200, &json!({"id": "stolen"})));
    for status in [301, 302, 307, 308] {
        server.reply(Reply::redirect(
            status,
            &format!("{}/collect?x=1", foreign.url()),
        ));
        let client = fixtures::client(&server, &RecordingClock::new());
        let err = fixtures::get_job::<_, Value>(&client.v1(), "sp", "j")
            .await
            .unwrap_err();
        match &err {
            Error::ForeignHost { url, context, .. } => {
                assert_eq!(*context, "redirect");
                assert_eq!(url, &format!("{}/collect", foreign.url()));
            }
            other => panic!("{status}: expected ForeignHost, got {other:?}"),
        }
        assert!(err.to_string().contains("only http://127.0.0.1"), "{err}");
    }
    assert_eq!(foreign.request_count(), 0);
}

#[tokio::test]
async fn redirect_loops_and_missing_locations_are_errors() {
    let server = TestServer::start().await;
    server.fallback(Reply::redirect(307, "/v1.0/loop"));
    let client = fixtures::client(&server, &RecordingClock::new());
    let err = fixtures::start_job(&client.v1(), "sp", "j")
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Redirect {
                reason: "too many redirects",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(server.request_count(), 6);

    let server = TestServer::start().await;
    server.reply(Reply::status(302));
    let client = fixtures::client(&server, &RecordingClock::new());
    let err = fixtures::start_job(&client.v1(), "sp", "j")
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Redirect {
                status: StatusCode::FOUND,
                location: None,
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_same_origin_redirect_with_credentials_is_refused() {
    let server = TestServer::start().await;
    let port = server.addr().port();
    for location in [
        format!("http://admin:hunter2@127.0.0.1:{port}/v1.0/elsewhere?sig=s3cret"),
        format!("http://admin@127.0.0.1:{port}/v1.0/elsewhere"),
    ] {
        server.reply(Reply::redirect(307, &location));
        server.fallback(Reply::json(200, &json!({"id": "followed"})));
        let client = fixtures::client(&server, &RecordingClock::new());
        let before = server.request_count();
        let err = fixtures::get_job::<_, Value>(&client.v1(), "sp", "j")
            .await
            .unwrap_err();
        match &err {
            Error::CredentialsInUrl { url, context } => {
                assert_eq!(*context, "redirect");
                assert_eq!(url, &format!("{}/v1.0/elsewhere", server.url()));
            }
            other => panic!("{location}: expected CredentialsInUrl, got {other:?}"),
        }
        let shown = format!("{err} {err:?}");
        for secret in ["hunter2", "admin", "s3cret"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert_eq!(
            server.request_count(),
            before + 1,
            "nothing sent to {location}"
        );
    }
    // Every request carried exactly one Authorization header: our bearer token.
    for request in server.requests() {
        assert_eq!(
            request.header_all("authorization"),
            [format!("Bearer {TOKEN}")]
        );
    }
}

#[tokio::test]
async fn redirect_errors_show_the_location_without_query_or_credentials() {
    let server = TestServer::start().await;
    server.fallback(Reply::redirect(302, "/v1.0/loop?sig=s3cret-signature"));
    let client = fixtures::client(&server, &RecordingClock::new());
    let err = fixtures::start_job(&client.v1(), "sp", "j")
        .await
        .unwrap_err();
    match &err {
        Error::Redirect {
            location: Some(location),
            reason: "too many redirects",
            ..
        } => assert_eq!(location, &format!("{}/v1.0/loop", server.url())),
        other => panic!("expected Redirect, got {other:?}"),
    }
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("s3cret"), "{shown}");
}

#[tokio::test]
async fn a_429_after_a_see_other_does_not_resend_the_post() {
    // The 303 says the POST was processed; retrying the call would send it again.
    let server = TestServer::start().await;
    server
        .reply(Reply::redirect(303, "/v1.0/result"))
        .reply(Reply::status(429).header("Retry-After", "1"));
    server.fallback(Reply::json(201, &json!({"id": "second"})));
    let clock = RecordingClock::new();
    let client = fixtures::client(&server, &clock);
    let err = fixtures::create_job(&client.v1(), "sp", &json!({"templateId": "x"}))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Throttled { attempts: 1, .. }),
        "{err:?}"
    );
    assert_eq!(server.request_count(), 2);
    assert!(clock.sleeps().is_empty());
}
