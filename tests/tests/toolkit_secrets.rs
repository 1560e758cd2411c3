//! Secrets and "validate, then save" over loopback HTTP: the wire bodies, the order, and which
//! check failed; secret values never in errors.

use msgraph_sync::toolkit::secrets::{CredentialCheck, Secrets, save_and_validate};
use msgraph_sync_tests::clock::RecordingClock;
use msgraph_sync_tests::fixtures;
use msgraph_sync_tests::server::{Reply, TestServer};
use serde_json::json;

const TOKEN: &str = "scim-token-0b5e7c41";

fn secrets() -> Secrets {
    Secrets::new()
        .base_address("https://scim.example.com/v2")
        .secret_token(TOKEN)
        .sync_all(false)
}

#[tokio::test]
async fn valid_credentials_are_validated_then_saved() {
    let server = TestServer::start().await;
    let clock = RecordingClock::new();
    server.reply(Reply::status(204)).reply(Reply::status(204));
    let client = fixtures::client(&server, &clock);
    let sync = client.v1().service_principal("sp").synchronization();
    save_and_validate(&sync, "job", &secrets()).await.unwrap();
    let r = server.requests();
    assert_eq!(
        (r[0].method.as_str(), r[0].path()),
        (
            "POST",
            "/v1.0/servicePrincipals/sp/synchronization/jobs/job/validateCredentials"
        )
    );
    assert_eq!(
        r[0].json(),
        json!({"credentials": [
        {"key": "BaseAddress", "value": "https://scim.example.com/v2"},
        {"key": "SecretToken", "value": TOKEN},
        {"key": "SyncAll", "value": "false"}], "useSavedCredentials": false})
    );
    assert_eq!(
        (r[1].method.as_str(), r[1].path()),
        ("PUT", "/v1.0/servicePrincipals/sp/synchronization/secrets")
    );
    assert_eq!(
        r[1].json()["value"][1],
        json!({"key": "SecretToken", "value": TOKEN})
    );
}

#[tokio::test]
async fn rejected_credentials_are_not_saved_and_the_error_names_the_check() {
    let server = TestServer::start().await;
    let clock = RecordingClock::new();
    server.reply(Reply::json(
        400,
        &json!({"error": {"code": "CredentialValidationUnavailable",
        "message": "The supplied credentials could not be validated."}}),
    ));
    let client = fixtures::client(&server, &clock);
    let sync = client.v1().service_principal("sp").synchronization();
    let err = save_and_validate(&sync, "job", &secrets())
        .await
        .unwrap_err();
    assert_eq!(err.check(), CredentialCheck::Validated);
    assert_eq!(server.request_count(), 1, "nothing was saved");
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("CredentialValidationUnavailable"), "{shown}");
    assert!(!shown.contains(TOKEN), "{shown}");

    // Valid, but saving fails.
    server.reply(Reply::status(204)).reply(Reply::json(
        403,
        &json!({"error": {"code": "Authorization_RequestDenied", "message": "no"}}),
    ));
    let err = save_and_validate(&sync, "job", &secrets())
        .await
        .unwrap_err();
    assert_eq!(err.check(), CredentialCheck::Saved);
    assert!(!format!("{err} {err:?}").contains(TOKEN));

    // Incomplete: nothing is sent.
    let err = save_and_validate(&sync, "job", &Secrets::new().secret_token(""))
        .await
        .unwrap_err();
    assert_eq!(err.check(), CredentialCheck::Complete);
    assert_eq!(server.request_count(), 3);
}
