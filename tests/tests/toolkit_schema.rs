//! Editing a schema over loopback HTTP: read, edit one mapping, check, diff and put; the PUT body
//! is the schema as read plus exactly the edit (unknown properties included); a failing check
//! sends nothing.

#![recursion_limit = "512"]

use msgraph_sync::SynchronizationSchema;
use msgraph_sync::toolkit::schema_check::{ProblemKind, PutSchemaError, put_checked};
use msgraph_sync::toolkit::schema_diff::diff;
use msgraph_sync::toolkit::schema_edit::MappingSource;
use msgraph_sync_tests::clock::RecordingClock;
use msgraph_sync_tests::fixtures;
use msgraph_sync_tests::server::{Reply, TestServer};
use serde_json::{Value, json};

const SCHEMA_PATH: &str = "/v1.0/servicePrincipals/sp/synchronization/jobs/job/schema";

/// A job schema shaped like the docs' (directories, one rule, an expression mapping), with the
/// rule's directory names and properties this crate does not know.
fn schema() -> Value {
    json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals('sp')/synchronization/jobs('job')/schema/$entity",
        "id": "job", "version": "Date:2024-05-01T00:00:00Z~CustomizedSchema", "futureSchemaFlag": {"on": true},
        "directories": [
            {"id": "66e4a8cc-1b7b-435e-95f8-f06cea133828", "name": "Azure Active Directory", "objects": [{"name": "User", "attributes": [
                {"anchor": true, "name": "objectId", "type": "String", "mutability": "ReadWrite"},
                {"anchor": false, "name": "IsSoftDeleted", "type": "Boolean"},
                {"anchor": false, "name": "extensionAttribute11", "type": "String"},
                {"anchor": false, "name": "userPrincipalName", "type": "String"}]}]},
            {"id": "8ffa6169-f354-4751-9b77-9c00765be92d", "name": "customappsso", "discoverabilities": "AttributeNames, AttributeDataTypes",
             "objects": [{"name": "User", "attributes": [
                {"name": "userName", "type": "String"}, {"name": "active", "type": "Boolean"}, {"name": "timezone", "type": "String"}]}]}],
        "synchronizationRules": [{
            "editable": true, "id": "4c5ecfa1-a072-4460-b1c3-4adde3479854", "name": "USER_OUTBOUND_USER", "priority": 1,
            "sourceDirectoryName": "Azure Active Directory", "targetDirectoryName": "customappsso", "metadata": [{"key": "x", "value": "y"}],
            "objectMappings": [{
                "enabled": true, "flowTypes": "Add, Update, Delete", "name": "Provision Azure Active Directory Users", "scope": null,
                "sourceObjectName": "User", "targetObjectName": "User",
                "attributeMappings": [
                    {"defaultValue": null, "exportMissingReferences": false, "flowBehavior": "FlowWhenChanged", "flowType": "Always",
                     "matchingPriority": 1, "targetAttributeName": "userName",
                     "source": {"expression": "[userPrincipalName]", "name": "userPrincipalName", "parameters": [], "type": "Attribute"}},
                    {"defaultValue": "True", "exportMissingReferences": false, "flowBehavior": "FlowWhenChanged", "flowType": "Always",
                     "matchingPriority": 0, "targetAttributeName": "active", "futureMappingProperty": 7,
                     "source": {"expression": "Not([IsSoftDeleted])", "name": "Not", "type": "Function", "parameters": [
                        {"key": "source", "value": {"expression": "[IsSoftDeleted]", "name": "IsSoftDeleted", "parameters": [], "type": "Attribute"}}]}}]}]}]
    })
}

#[tokio::test]
async fn an_edit_goes_back_with_everything_else_as_read() {
    let server = TestServer::start().await;
    let clock = RecordingClock::new();
    server
        .reply(Reply::json(200, &schema()))
        .reply(Reply::status(204));
    let client = fixtures::client(&server, &clock);
    let job = client
        .v1()
        .service_principal("sp")
        .synchronization()
        .jobs()
        .job("job");

    let before = job.schema().get().await.unwrap();
    let mut edited = before.clone();
    edited
        .object_mapping_mut("User", "User")
        .unwrap()
        .map_attribute("timezone", MappingSource::attribute("extensionAttribute11"));
    let changes: Vec<String> = diff(&before, &edited)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        changes,
        [
            "rule `USER_OUTBOUND_USER`, object mapping `Provision Azure Active Directory Users`: added mapping of `timezone` from [extensionAttribute11]"
        ]
    );
    put_checked(&job.schema(), &edited).await.unwrap();

    let put = &server.requests()[1];
    assert_eq!((put.method.as_str(), put.path()), ("PUT", SCHEMA_PATH));
    let mut expected = schema();
    expected["synchronizationRules"][0]["objectMappings"][0]["attributeMappings"]
        .as_array_mut()
        .unwrap()
        .push(json!({"defaultValue": null, "exportMissingReferences": false, "flowBehavior": "FlowWhenChanged",
            "flowType": "Always", "matchingPriority": 0, "targetAttributeName": "timezone",
            "source": {"expression": "[extensionAttribute11]", "name": "extensionAttribute11", "parameters": [], "type": "Attribute"}}));
    assert_eq!(put.json(), expected);
}

#[tokio::test]
async fn a_failing_check_sends_nothing_and_names_the_place() {
    let server = TestServer::start().await;
    let clock = RecordingClock::new();
    server.reply(Reply::json(200, &schema()));
    let client = fixtures::client(&server, &clock);
    let job = client
        .v1()
        .service_principal("sp")
        .synchronization()
        .jobs()
        .job("job");
    let mut schema: SynchronizationSchema = job.schema().get().await.unwrap();
    let users = schema.object_mapping_mut("User", "User").unwrap();
    users.map_attribute("nickName", MappingSource::attribute("mailNickname"));
    users.map_attribute("active", MappingSource::expression("Not([IsSoftDeleted]"));

    let err = put_checked(&job.schema(), &schema).await.unwrap_err();
    let PutSchemaError::Check(problems) = &err else {
        panic!("{err:?}")
    };
    let kinds: Vec<ProblemKind> = problems.problems().iter().map(|p| p.kind).collect();
    assert_eq!(
        kinds,
        [
            ProblemKind::InvalidExpression,
            ProblemKind::UnknownTargetAttribute,
            ProblemKind::UnknownSourceAttribute
        ]
    );
    assert_eq!(
        problems.problems()[1].to_string(),
        "rule `USER_OUTBOUND_USER`, object mapping `Provision Azure Active Directory Users`, attribute `nickName`: \
         target attribute `nickName` is not defined on object `User` of directory `customappsso`; add it to the directory schema first"
    );
    assert_eq!(server.request_count(), 1, "no PUT");
}

#[tokio::test]
async fn a_template_schema_is_put_on_the_application() {
    let server = TestServer::start().await;
    let clock = RecordingClock::new();
    server.reply(Reply::status(204));
    let client = fixtures::client(&server, &clock);
    let schema: SynchronizationSchema = serde_json::from_value(schema()).unwrap();
    let template = client
        .v1()
        .application("app")
        .synchronization()
        .templates()
        .template("BoxOutDelta");
    put_checked(&template.schema(), &schema).await.unwrap();
    let put = &server.requests()[0];
    assert_eq!(
        put.path(),
        "/v1.0/applications/app/synchronization/templates/BoxOutDelta/schema"
    );
    assert_eq!(put.json(), self::schema());
}
