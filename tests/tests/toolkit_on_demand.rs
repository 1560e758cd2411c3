//! provisionOnDemand through the toolkit over loopback HTTP: the rule id comes from the job's
//! schema, the docs' answers decode completely, a schema without a rule sends nothing.

use msgraph_sync::toolkit::on_demand::{
    self, OnDemandError, ProvisioningOutcome, StepKind, StepStatus, Subject,
};
use msgraph_sync_tests::clock::RecordingClock;
use msgraph_sync_tests::fixtures;
use msgraph_sync_tests::server::{Reply, TestServer};
use serde_json::json;

const JOB: &str = "/v1.0/servicePrincipals/c8c95753-f628-48e1-9fab-76c2d4cf624c/synchronization/jobs/3f7565a3-fde6-4e4d-bda8-1bb70aba3612";

fn schema() -> serde_json::Value {
    json!({"synchronizationRules": [
        {"id": "ea807875-5618-4f0a-9125-0b46a05298ca", "name": "USER_OUTBOUND_USER",
         "sourceDirectoryName": "Azure Active Directory", "targetDirectoryName": "customappsso",
         "objectMappings": [{"enabled": true, "sourceObjectName": "User", "targetObjectName": "User"}]},
        {"id": "33f7c90d-bf71-41b1-bda6-aaf0ddbee5d8#V2", "name": "GROUP_OUTBOUND_GROUP",
         "objectMappings": [{"enabled": true, "sourceObjectName": "Group", "targetObjectName": "Group"}]}]})
}

/// The docs' example 1 answer, verbatim (inventory 5.5).
const USER_ANSWER: &str = r#"{
    "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.stringKeyStringValuePair",
    "key": "{\"result\":\"Skipped\",\"details\":{\"errorCode\":\"RedundantExport\",\"errorMessage\":\"The state of the user in both the source and target systems already match.\"}}",
    "value": "{\"action\":\"Other\",\"changeId\":\"g8ba3be8-1d7f-4a60-ae31-a8980da0a389\",\"endTime\":\"2020-06-26T13:58:24.7682084Z\",\"modifiedProperties\":[{\"displayName\":\"objectId\",\"oldValue\":null,\"newValue\":\"52cf7b7a-52be-4a9b-9c69-e4d4a4a14f76\"}],\"provisioningSteps\":[{\"name\":\"EntryImport\",\"type\":\"Import\",\"status\":\"Success\",\"description\":\"Retrieved User 'BillBob@contoso.com' from Azure Active Directory\",\"timestamp\":\"2020-06-26T13:58:24.5494971Z\",\"details\":{\"objectId\":\"52cf7b7a-52be-4a9b-9c69-e4d4a4a14f76\"}},{\"name\":\"EntrySynchronizationSkip\",\"type\":\"Export\",\"status\":\"Skipped\",\"description\":\"No change needed.\",\"timestamp\":\"2020-06-26T13:58:24.7682084Z\",\"details\":{\"SkipReason\":\"RedundantExport\"}}],\"reportableIdentifier\":\"BillBob@contoso.com\",\"sourceIdentity\":{\"id\":\"62cf7b7a-52be-4a9b-9c69-e5d4a4a14f67\",\"type\":\"User\",\"displayName\":null,\"details\":null},\"targetIdentity\":{\"id\":\"52507a19-96ec-4e73-9250-3e65ffd2d926\",\"type\":\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\",\"displayName\":null,\"details\":null}}"
}"#;

#[tokio::test]
async fn a_user_is_provisioned_with_the_rule_from_the_schema() {
    let server = TestServer::start().await;
    let clock = RecordingClock::new();
    server.reply(Reply::json(200, &schema())).reply(
        Reply::status(200)
            .header("Content-Type", "application/json")
            .body(USER_ANSWER),
    );
    let client = fixtures::client(&server, &clock);
    let job = client
        .v1()
        .service_principal("c8c95753-f628-48e1-9fab-76c2d4cf624c")
        .synchronization()
        .jobs()
        .job("3f7565a3-fde6-4e4d-bda8-1bb70aba3612");
    let result = on_demand::provision(&job, Subject::user("9bb0f679-a883-4a6f-8260-35b491b8b8c8"))
        .await
        .unwrap();

    let requests = server.requests();
    assert_eq!(
        (requests[0].method.as_str(), requests[0].path()),
        ("GET", format!("{JOB}/schema").as_str())
    );
    assert_eq!(requests[1].path(), format!("{JOB}/provisionOnDemand"));
    assert_eq!(requests[1].header("content-type"), Some("application/json"));
    // The docs' example 1 request body, exactly.
    assert_eq!(
        requests[1].json(),
        json!({"parameters": [{"ruleId": "ea807875-5618-4f0a-9125-0b46a05298ca",
        "subjects": [{"objectId": "9bb0f679-a883-4a6f-8260-35b491b8b8c8", "objectTypeName": "User"}]}]})
    );

    assert_eq!(result.outcome, ProvisioningOutcome::Skipped);
    assert_eq!(
        result.details.error_code.as_deref(),
        Some("RedundantExport")
    );
    assert_eq!(result.steps.len(), 2);
    assert_eq!(
        result.step(StepKind::Export).unwrap().status,
        StepStatus::Skipped
    );
    assert_eq!(
        result.target_identity.as_ref().unwrap().id.as_deref(),
        Some("52507a19-96ec-4e73-9250-3e65ffd2d926")
    );
    // The raw pair is kept whole, the OData context included.
    assert_eq!(
        serde_json::to_value(&result.raw).unwrap()["@odata.context"],
        "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.stringKeyStringValuePair"
    );
}

#[tokio::test]
async fn a_group_with_members_uses_the_v2_rule_and_an_empty_value_decodes() {
    let server = TestServer::start().await;
    let clock = RecordingClock::new();
    server.reply(Reply::json(200, &schema())).reply(Reply::json(200, &json!({
        "@odata.context": "https://syncfabric.windowsazure.com/api/$metadata#microsoft.synchronization.stringKeyStringValuePair",
        "key": "{\"result\":\"Success\",\"details\":{}}", "value": "{}"})));
    let client = fixtures::client(&server, &clock);
    let job = client
        .v1()
        .service_principal("sp")
        .synchronization()
        .jobs()
        .job("j");
    let group = Subject::group("8213fd99-d6b6-417b-8e13-af6334856215").with_members([
        "cbc86211-6ada-4803-b73f-8039cf56d8a2",
        "2bc86211-6ada-4803-b73f-8039cf56d8a2",
    ]);
    let result = on_demand::provision(&job, group).await.unwrap();
    assert!(result.is_success() && result.steps.is_empty() && result.details.error_code.is_none());
    // The docs' example 3 request body, exactly.
    assert_eq!(
        server.requests()[1].json(),
        json!({"parameters": [{"ruleId": "33f7c90d-bf71-41b1-bda6-aaf0ddbee5d8#V2",
        "subjects": [{"objectId": "8213fd99-d6b6-417b-8e13-af6334856215", "objectTypeName": "Group",
            "links": {"members": [
                {"objectId": "cbc86211-6ada-4803-b73f-8039cf56d8a2", "objectTypeName": "User"},
                {"objectId": "2bc86211-6ada-4803-b73f-8039cf56d8a2", "objectTypeName": "User"}]}}]}]})
    );
}

#[tokio::test]
async fn no_rule_means_nothing_is_sent_and_a_bad_answer_keeps_the_raw_pair() {
    let server = TestServer::start().await;
    let clock = RecordingClock::new();
    server.reply(Reply::json(200, &schema()));
    let client = fixtures::client(&server, &clock);
    let job = client
        .v1()
        .service_principal("sp")
        .synchronization()
        .jobs()
        .job("j");
    let err = on_demand::provision(&job, Subject::object("Device", "d1"))
        .await
        .unwrap_err();
    assert!(matches!(err, OnDemandError::Rule(_)));
    assert!(
        err.to_string()
            .contains("no enabled rule with an object mapping from source object `Device`"),
        "{err}"
    );
    assert_eq!(server.request_count(), 1, "only the schema was read");

    server
        .reply(Reply::json(200, &schema()))
        .reply(Reply::json(200, &json!({"key": "not json", "value": "{}"})));
    let err = on_demand::provision(&job, Subject::user("u"))
        .await
        .unwrap_err();
    let OnDemandError::Decode { error, raw } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(error.part(), "key");
    assert_eq!(raw.key.as_ref().map(String::as_str), Some("not json"));
}
