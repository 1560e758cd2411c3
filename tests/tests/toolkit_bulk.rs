//! bulkUpload of many SCIM operations over loopback HTTP: requests of at most 50, the SCIM
//! content type, the 40-per-second limit, and an outcome for every operation.

use std::time::Duration;

use msgraph_sync::toolkit::bulk::{upload, user_operation};
use msgraph_sync_tests::clock::RecordingClock;
use msgraph_sync_tests::fixtures;
use msgraph_sync_tests::server::{Reply, TestServer};
use serde_json::json;

fn accepted(n: usize) -> Reply {
    Reply::json(202, &json!({}))
        .header(
            "Location",
            "https://graph.microsoft.com/v1.0/auditLogs/provisioning/?$filter=jobid%20eq%20'job'",
        )
        .header("request-id", &format!("req-{n}"))
}

fn operations(n: usize) -> Vec<msgraph_sync::ScimBulkOperation> {
    (0..n)
        .map(|i| user_operation(format!("b{i}"), json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
            "externalId": format!("70{i}"), "userName": format!("user{i}@contoso.com")})).unwrap())
        .collect()
}

#[tokio::test]
async fn operations_go_in_requests_of_fifty_with_per_operation_outcomes() {
    let server = TestServer::start().await;
    let clock = RecordingClock::new();
    server
        .reply(accepted(1))
        .reply(Reply::json(
            400,
            &json!({"error": {"code": "BadRequest", "message": "bad"}}),
        ))
        .reply(accepted(3));
    let client = fixtures::client(&server, &clock);
    let job = client
        .v1()
        .service_principal("sp")
        .synchronization()
        .jobs()
        .job("job");
    let report = upload(&job, operations(120)).await;

    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    let sizes: Vec<usize> = requests
        .iter()
        .map(|r| r.json()["Operations"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, [50, 50, 20]);
    for r in &requests {
        assert_eq!(r.method, "POST");
        assert_eq!(
            r.path(),
            "/v1.0/servicePrincipals/sp/synchronization/jobs/job/bulkUpload"
        );
        assert_eq!(r.header("content-type"), Some("application/scim+json"));
        assert_eq!(
            r.json()["schemas"],
            json!(["urn:ietf:params:scim:api:messages:2.0:BulkRequest"])
        );
    }
    assert_eq!(requests[2].json()["Operations"][0]["bulkId"], "b100");

    let ops: Vec<_> = report.operations().collect();
    assert_eq!(ops.len(), 120);
    assert_eq!(
        ops[0].accepted().unwrap().request_id.as_deref(),
        Some("req-1")
    );
    assert!(
        ops[0]
            .accepted()
            .unwrap()
            .location
            .as_deref()
            .unwrap()
            .contains("auditLogs/provisioning")
    );
    let failed: Vec<(usize, Option<&str>)> =
        report.failed().map(|o| (o.index, o.bulk_id)).collect();
    assert_eq!(failed.len(), 50);
    assert_eq!(failed[0], (50, Some("b50")));
    assert_eq!(
        report.failed().next().unwrap().error().unwrap().code(),
        Some("BadRequest")
    );
    assert_eq!(
        ops[119].accepted().unwrap().request_id.as_deref(),
        Some("req-3")
    );
    assert_eq!(
        report.to_string(),
        "120 operations in 3 requests: 70 accepted, 50 not accepted"
    );
    assert!(
        clock.sleeps().is_empty(),
        "3 requests are within 40 per second"
    );
}

#[tokio::test]
async fn more_than_forty_requests_a_second_wait_for_the_window() {
    let server = TestServer::start().await;
    let clock = RecordingClock::new();
    server.fallback(accepted(0));
    let client = fixtures::client(&server, &clock);
    let job = client
        .v1()
        .service_principal("sp")
        .synchronization()
        .jobs()
        .job("job");
    // 41 requests of one operation each.
    for op in operations(41) {
        let report = upload(&job, [op]).await;
        assert!(report.all_accepted());
    }
    assert_eq!(server.request_count(), 41);
    // The recording clock stands still between sends, so the 41st waits the whole window and
    // the margin.
    assert_eq!(clock.sleeps(), [Duration::from_millis(1_050)]);
}
