//! Nothing changes on a read → write round trip (issue 12), for what surrounds the models: a page of a
//! collection and a Graph error body, read over real loopback HTTP. Members the crate does not know keep
//! their exact JSON text (`1e400`, a 30-digit integer, `9007199254740993.0`), an `@odata.count` that is no
//! `i64` is kept as read instead of failing the page, a page is written back with `@odata.*` first and no
//! key twice, and an error body with such numbers is still a typed Graph error.

use futures_util::StreamExt;
use msgraph_sync::{Error, Page, RetryPolicy, StatusCode, SynchronizationJob};
use msgraph_sync_tests::clock::RecordingClock;
use msgraph_sync_tests::fixtures;
use msgraph_sync_tests::server::{Reply, TestServer};

const HUGE: &str = "123456789012345678901234567890";

fn json(status: u16, body: &str) -> Reply {
    Reply::status(status)
        .header("Content-Type", "application/json")
        .body(body.to_owned())
}

/// Two pages whose page-level members carry numbers no `f64` or `i64` holds, followed over
/// `@odata.nextLink`: each decodes, keeps every member's text, and is written back byte for byte.
#[tokio::test]
async fn pages_with_huge_numbers_decode_and_come_back_byte_for_byte() {
    let server = TestServer::start().await;
    let next = format!(
        "{}/v1.0/servicePrincipals/sp/synchronization/jobs?$skiptoken=2",
        server.url()
    );
    let first = format!(
        r#"{{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#jobs","@microsoft.graph.tips":"t","@odata.count":1e400,"@odata.nextLink":"{next}","value":[{{"id":"a","big":{HUGE}}}],"pageTotal":{HUGE},"ratio":-2.5680060635641298e-228,"f":9007199254740993.0,"nested":{{"z":1e400,"a":[1.50,{HUGE}]}}}}"#
    );
    let second = format!(r#"{{"@odata.count":{HUGE},"value":[{{"id":"b"}}],"x":1e400}}"#);
    server.reply(json(200, &first)).reply(json(200, &second));
    let client = fixtures::client(&server, &RecordingClock::new());

    let pages: Vec<Page<SynchronizationJob>> = client
        .v1()
        .service_principal("sp")
        .synchronization()
        .jobs()
        .list()
        .count(true)
        .pages()
        .map(|page| page.unwrap())
        .collect()
        .await;
    assert_eq!(server.request_count(), 2, "the nextLink was followed");
    let [one, two] = &pages[..] else {
        panic!("two pages, got {}", pages.len())
    };
    assert_eq!(one.count, None, "1e400 is no i64");
    assert_eq!(one.next_link.as_deref(), Some(next.as_str()));
    let kept = |page: &Page<SynchronizationJob>, key: &str| {
        page.additional_properties
            .get(key)
            .unwrap()
            .get()
            .to_owned()
    };
    assert_eq!(kept(one, "@odata.count"), "1e400");
    assert_eq!(kept(one, "pageTotal"), HUGE);
    assert_eq!(kept(one, "f"), "9007199254740993.0");
    assert_eq!(
        kept(one, "nested"),
        format!(r#"{{"z":1e400,"a":[1.50,{HUGE}]}}"#)
    );
    assert_eq!(one.value[0].id.as_deref(), Some("a"));
    assert_eq!(kept(two, "@odata.count"), HUGE);
    assert_eq!(two.value[0].id.as_deref(), Some("b"));

    assert_eq!(serde_json::to_string(one).unwrap(), first);
    assert_eq!(serde_json::to_string(two).unwrap(), second);
}

/// A page whose control information comes after `value` (as a streaming server may send it) is
/// written back with `@odata.*` first, other members in the order read, no key twice.
#[tokio::test]
async fn control_information_is_written_first_and_once() {
    let server = TestServer::start().await;
    server.reply(json(
        200,
        &format!(
            r#"{{"value":[],"b":{HUGE},"@odata.nextLink":null,"a":1e400,"@odata.count":7,"@odata.context":"c"}}"#
        ),
    ));
    let client = fixtures::client(&server, &RecordingClock::new());
    let mut page: Page<SynchronizationJob> = fixtures::list_jobs(&client.v1(), "sp").await.unwrap();
    assert_eq!((page.count, page.next_link.as_deref()), (Some(7), None));
    assert_eq!(
        serde_json::to_string(&page).unwrap(),
        format!(
            r#"{{"@odata.context":"c","@odata.count":7,"@odata.nextLink":null,"value":[],"b":{HUGE},"a":1e400}}"#
        )
    );
    // A field with a value wins over a member of its name; `value` is never written twice.
    page.additional_properties.insert("value", &[1]).unwrap();
    page.additional_properties
        .insert("@odata.count", &"stale")
        .unwrap();
    page.count = Some(8);
    assert_eq!(
        serde_json::to_string(&page).unwrap(),
        format!(
            r#"{{"@odata.context":"c","@odata.count":8,"@odata.nextLink":null,"value":[],"b":{HUGE},"a":1e400}}"#
        )
    );
}

/// An error body whose members carry huge numbers (inside `error`, its details and innerError, and
/// beside it) is a typed Graph error whose unknown members keep their text, and it is written back as
/// read.
#[tokio::test]
async fn error_bodies_with_huge_numbers_stay_typed_graph_errors() {
    let error = format!(
        r##"{{"@odata.type":"#microsoft.graph.error","code":"BadRequest","message":"Invalid schema.","details":[{{"code":"TooBig","message":"m","limit":1e400}}],"innerError":{{"request-id":"rid","client-request-id":"cid","date":"2024-05-02T10:11:12","cost":-2.5680060635641298e-228}},"quota":{HUGE},"retryAfterSeconds":1e400}}"##
    );
    let body = format!(r#"{{"error":{error},"trace":1e400}}"#);
    let server = TestServer::start().await;
    server.reply(json(400, &body)).reply(json(429, &body));
    let client = fixtures::builder(&server, &RecordingClock::new())
        .retry(RetryPolicy::none())
        .build()
        .unwrap();

    let err = fixtures::start_job(&client.v1(), "sp", "j")
        .await
        .unwrap_err();
    let Error::Graph {
        status,
        error: odata,
        ..
    } = &err
    else {
        panic!("expected a Graph error, got {err:?}")
    };
    assert_eq!(*status, StatusCode::BAD_REQUEST);
    assert_eq!(odata.code, "BadRequest");
    assert_eq!(err.request_id(), Some("rid"));
    assert_eq!(
        odata.additional_properties.get("quota").unwrap().get(),
        HUGE
    );
    assert_eq!(
        odata.details[0]
            .additional_properties
            .get("limit")
            .unwrap()
            .get(),
        "1e400"
    );
    let inner = odata.inner_error.as_ref().unwrap();
    assert_eq!(
        inner.additional_properties.get("cost").unwrap().get(),
        "-2.5680060635641298e-228"
    );
    assert_eq!(serde_json::to_string(odata).unwrap(), error);

    let throttled = fixtures::list_jobs::<_, SynchronizationJob>(&client.v1(), "sp")
        .await
        .unwrap_err();
    assert!(
        matches!(throttled, Error::Throttled { .. }),
        "{throttled:?}"
    );
    let odata = throttled
        .odata_error()
        .expect("the 429 body is a Graph error");
    assert_eq!(serde_json::to_string(odata).unwrap(), error);
}

/// provisionOnDemand answers with JSON documents in strings: a step's details come back in the order
/// the service shows them, and numbers no `f64` holds (in details, in unknown members) keep their text
/// instead of failing the decode.
#[tokio::test]
async fn on_demand_details_keep_their_order_and_numbers() {
    use msgraph_sync::toolkit::on_demand::{self, StepKind, Subject};

    let schema = r#"{"synchronizationRules":[{"id":"rule","name":"USERS",
        "objectMappings":[{"enabled":true,"sourceObjectName":"User","targetObjectName":"User"}]}]}"#;
    let value = format!(
        r#"{{"provisioningSteps":[{{"type":"Import","status":"Success","details":{{"objectId":"u1","displayName":"Bill","accountEnabled":"True","quota":{HUGE},"weight":1e400}}}}],"zNew":1e400,"aNew":{HUGE}}}"#
    );
    let answer = serde_json::json!({"key": r#"{"result":"Success","details":{}}"#, "value": value});
    let server = TestServer::start().await;
    server
        .reply(json(200, schema))
        .reply(Reply::json(200, &answer));
    let client = fixtures::client(&server, &RecordingClock::new());
    let job = client
        .v1()
        .service_principal("sp")
        .synchronization()
        .jobs()
        .job("j");

    let result = on_demand::provision(&job, Subject::user("u1"))
        .await
        .unwrap();
    let import = result.step(StepKind::Import).unwrap();
    assert_eq!(
        import.details.keys().collect::<Vec<_>>(),
        [
            "objectId",
            "displayName",
            "accountEnabled",
            "quota",
            "weight"
        ]
    );
    assert_eq!(import.detail("quota").as_deref(), Some(HUGE));
    assert_eq!(import.detail("weight").as_deref(), Some("1e400"));
    assert_eq!(
        result.other_value_fields.keys().collect::<Vec<_>>(),
        ["zNew", "aNew"]
    );
    assert_eq!(result.other_value_fields.get("aNew").unwrap().get(), HUGE);
}
