//! Paging: one page, a lazy item stream following `@odata.nextLink`, `collect_all`, and nextLinks
//! that point away from the Graph host.

use futures_util::StreamExt;
use msgraph_sync::{Error, Page};
use msgraph_sync_tests::clock::RecordingClock;
use msgraph_sync_tests::fixtures::{self, TOKEN};
use msgraph_sync_tests::server::{Reply, TestServer};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Debug, Deserialize, PartialEq)]
struct Job {
    id: String,
}

fn job(id: &str) -> Job {
    Job { id: id.to_owned() }
}

fn page(ids: &[&str], next: Option<String>) -> Reply {
    let mut body = json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals('sp')/synchronization/jobs",
        "value": ids.iter().map(|id| json!({"id": id})).collect::<Vec<_>>(),
    });
    if let Some(next) = next {
        body["@odata.nextLink"] = Value::String(next);
    }
    Reply::json(200, &body)
}

#[tokio::test]
async fn a_list_request_gives_one_page() {
    let server = TestServer::start().await;
    let next = format!(
        "{}/v1.0/servicePrincipals/sp/synchronization/jobs?$skiptoken=abc",
        server.url()
    );
    server.reply(page(&["a", "b"], Some(next.clone())));
    let client = fixtures::client(&server, &RecordingClock::new());

    let first: Page<Job> = fixtures::list_jobs(&client.v1(), "sp").await.unwrap();
    assert_eq!(first.value, [job("a"), job("b")]);
    assert_eq!(first.next_link.as_deref(), Some(next.as_str()));
    assert!(first.additional_properties.contains_key("@odata.context"));
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn items_follow_next_links_lazily_with_the_same_auth() {
    let server = TestServer::start().await;
    let next = format!(
        "{}/v1.0/servicePrincipals/sp/synchronization/jobs?$skiptoken=abc",
        server.url()
    );
    server
        .reply(page(&["a", "b"], Some(next)))
        .reply(page(&["c"], None));
    let client = fixtures::builder(&server, &RecordingClock::new())
        .user_agent_suffix("pager/1")
        .build()
        .unwrap();

    let items = fixtures::list_jobs::<_, Job>(&client.v1(), "sp")
        .top(2)
        .items();
    let mut items = std::pin::pin!(items);
    assert_eq!(
        server.request_count(),
        0,
        "nothing is sent before the stream is polled"
    );
    assert_eq!(items.next().await.unwrap().unwrap(), job("a"));
    assert_eq!(items.next().await.unwrap().unwrap(), job("b"));
    assert_eq!(
        server.request_count(),
        1,
        "the second page waits until the first is consumed"
    );
    assert_eq!(items.next().await.unwrap().unwrap(), job("c"));
    assert_eq!(server.request_count(), 2);
    assert!(items.next().await.is_none());
    assert_eq!(server.request_count(), 2);

    let requests = server.requests();
    assert_eq!(
        requests[0].target,
        "/v1.0/servicePrincipals/sp/synchronization/jobs?$top=2"
    );
    assert_eq!(
        requests[1].target,
        "/v1.0/servicePrincipals/sp/synchronization/jobs?$skiptoken=abc"
    );
    for name in ["authorization", "accept", "user-agent", "sdkversion"] {
        assert_eq!(requests[0].header(name), requests[1].header(name), "{name}");
    }
    assert_eq!(
        requests[1].header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert!(requests[1].header("client-request-id").is_some());
}

#[tokio::test]
async fn collect_all_gathers_every_page() {
    let server = TestServer::start().await;
    let url = server.url();
    server
        .reply(page(
            &["a"],
            Some(format!(
                "{url}/v1.0/servicePrincipals/sp/synchronization/jobs?$skiptoken=1"
            )),
        ))
        // A relative nextLink resolves against the current page's URL.
        .reply(page(
            &["b", "c"],
            Some("/v1.0/servicePrincipals/sp/synchronization/jobs?$skiptoken=2".into()),
        ))
        .reply(page(
            &[],
            Some(format!(
                "{url}/v1.0/servicePrincipals/sp/synchronization/jobs?$skiptoken=3"
            )),
        ))
        .reply(page(&["d"], None));
    let client = fixtures::client(&server, &RecordingClock::new());

    let all: Vec<Job> = fixtures::list_jobs(&client.v1(), "sp")
        .collect_all()
        .await
        .unwrap();
    assert_eq!(all, [job("a"), job("b"), job("c"), job("d")]);
    assert_eq!(server.request_count(), 4);
}

#[tokio::test]
async fn pages_can_be_streamed_with_counts() {
    let server = TestServer::start().await;
    let next = format!(
        "{}/beta/servicePrincipals/sp/synchronization/jobs?$skiptoken=x",
        server.url()
    );
    server
        .reply(Reply::json(200, &json!({"@odata.count": 3, "value": [{"id": "a"}, {"id": "b"}], "@odata.nextLink": next})))
        .reply(Reply::json(200, &json!({"@odata.count": 3, "value": [{"id": "c"}]})));
    let client = fixtures::client(&server, &RecordingClock::new());
    let pages: Vec<Page<Job>> = fixtures::list_jobs(&client.beta(), "sp")
        .count(true)
        .pages()
        .map(|p| p.unwrap())
        .collect()
        .await;
    assert_eq!(pages.len(), 2);
    assert!(pages.iter().all(|p| p.count == Some(3)));
    assert_eq!(
        server.requests()[0].target,
        "/beta/servicePrincipals/sp/synchronization/jobs?$count=true"
    );
}

#[tokio::test]
async fn a_next_link_to_another_port_is_refused_and_gets_no_token() {
    let server = TestServer::start().await;
    let foreign = TestServer::start().await;
    foreign.fallback(page(&["stolen"], None));
    server.reply(page(
        &["a", "b"],
        Some(format!(
            "{}/v1.0/servicePrincipals/sp/synchronization/jobs?$skiptoken=1",
            foreign.url()
        )),
    ));
    let client = fixtures::client(&server, &RecordingClock::new());

    let items = fixtures::list_jobs::<_, Job>(&client.v1(), "sp").items();
    let results: Vec<Result<Job, Error>> = items.collect().await;
    assert_eq!(results.len(), 3);
    assert_eq!(results[0].as_ref().unwrap(), &job("a"));
    assert_eq!(results[1].as_ref().unwrap(), &job("b"));
    match &results[2] {
        Err(Error::ForeignHost {
            url,
            expected,
            context,
        }) => {
            assert_eq!(*context, "nextLink");
            assert_eq!(
                url,
                &format!(
                    "{}/v1.0/servicePrincipals/sp/synchronization/jobs",
                    foreign.url()
                )
            );
            assert_eq!(expected, &server.url());
        }
        other => panic!("expected ForeignHost, got {other:?}"),
    }
    assert_eq!(foreign.request_count(), 0);
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn next_links_to_another_host_or_scheme_are_refused() {
    let server = TestServer::start().await;
    let port = server.addr().port();
    let other_host = format!(
        "http://localhost:{port}/v1.0/servicePrincipals/sp/synchronization/jobs?$skiptoken=1"
    );
    let other_scheme = format!(
        "https://127.0.0.1:{port}/v1.0/servicePrincipals/sp/synchronization/jobs?$skiptoken=1"
    );
    let attacker = "https://attacker.example/steal?token=please".to_owned();
    for next in [other_host, other_scheme, attacker] {
        server.reply(page(&["a"], Some(next.clone())));
        let before = server.request_count();
        let client = fixtures::client(&server, &RecordingClock::new());
        let err = fixtures::list_jobs::<_, Job>(&client.v1(), "sp")
            .collect_all()
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                Error::ForeignHost {
                    context: "nextLink",
                    ..
                }
            ),
            "{next}: {err:?}"
        );
        assert!(
            !err.to_string().contains("token=please"),
            "the query is left out: {err}"
        );
        assert_eq!(server.request_count(), before + 1, "{next}");
    }
}

#[tokio::test]
async fn an_error_on_a_later_page_ends_the_stream() {
    let server = TestServer::start().await;
    let next = format!(
        "{}/v1.0/servicePrincipals/sp/synchronization/jobs?$skiptoken=1",
        server.url()
    );
    server.reply(page(&["a"], Some(next))).reply(Reply::json(
        500,
        &json!({"error": {"code": "InternalServerError", "message": "boom"}}),
    ));
    let client = fixtures::client(&server, &RecordingClock::new());
    let results: Vec<Result<Job, Error>> = fixtures::list_jobs(&client.v1(), "sp")
        .items()
        .collect()
        .await;
    assert_eq!(results.len(), 2);
    assert!(results[0].is_ok());
    assert!(matches!(&results[1], Err(Error::Graph { .. })));

    let err = fixtures::list_jobs::<_, Job>(&client.v1(), "sp")
        .collect_all()
        .await
        .unwrap_err();
    assert_eq!(
        err.status().map(|s| s.as_u16()),
        Some(500),
        "the fallback 500 for the first page"
    );
}

#[tokio::test]
async fn a_malformed_next_link_is_a_decode_error() {
    let server = TestServer::start().await;
    server.reply(page(&["a"], Some("http://[bad".into())));
    let client = fixtures::client(&server, &RecordingClock::new());
    let err = fixtures::list_jobs::<_, Job>(&client.v1(), "sp")
        .collect_all()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Decode { error, .. } if error.path() == "@odata.nextLink"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_next_link_back_to_the_same_page_ends_with_an_error() {
    let server = TestServer::start().await;
    let same = format!(
        "{}/v1.0/servicePrincipals/sp/synchronization/jobs",
        server.url()
    );
    server.fallback(page(&["a"], Some(same)));
    let client = fixtures::client(&server, &RecordingClock::new());
    let err = fixtures::list_jobs::<_, Job>(&client.v1(), "sp")
        .collect_all()
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::PageCycle { pages: 1, .. }), "{err:?}");
    assert_eq!(server.request_count(), 1);
}

fn jobs_url(server: &TestServer, query: &str) -> String {
    format!(
        "{}/v1.0/servicePrincipals/sp/synchronization/jobs{query}",
        server.url()
    )
}

#[tokio::test]
async fn a_cycle_through_other_pages_is_detected() {
    // A -> B -> A: the second link differs from the page just read, but not from the first one.
    let server = TestServer::start().await;
    server
        .reply(page(&["a"], Some(jobs_url(&server, "?$skiptoken=B"))))
        .reply(page(&["b"], Some(jobs_url(&server, "?$skiptoken=C"))))
        .reply(page(&["c"], Some(jobs_url(&server, "?$skiptoken=B"))));
    server.fallback(page(&["again"], Some(jobs_url(&server, "?$skiptoken=B"))));
    let client = fixtures::client(&server, &RecordingClock::new());
    let err = fixtures::list_jobs::<_, Job>(&client.v1(), "sp")
        .collect_all()
        .await
        .unwrap_err();
    match &err {
        Error::PageCycle { url, pages } => {
            assert_eq!(*pages, 3);
            assert_eq!(url, &jobs_url(&server, ""), "shown without the query");
        }
        other => panic!("expected PageCycle, got {other:?}"),
    }
    assert_eq!(server.request_count(), 3);
    // Back to the very first URL (no query) is a revisit too.
    let server = TestServer::start().await;
    server
        .reply(page(&["a"], Some(jobs_url(&server, "?$skiptoken=B"))))
        .reply(page(&["b"], Some(jobs_url(&server, ""))));
    let client = fixtures::client(&server, &RecordingClock::new());
    let err = fixtures::list_jobs::<_, Job>(&client.v1(), "sp")
        .collect_all()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::PageCycle { pages: 2, .. }), "{err:?}");
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn links_differing_only_in_their_fragment_are_the_same_page() {
    let server = TestServer::start().await;
    // Each page links to itself with a fresh fragment: this paged forever before.
    for i in 0..5 {
        server.reply(page(&["a"], Some(jobs_url(&server, &format!("#f{i}")))));
    }
    let client = fixtures::client(&server, &RecordingClock::new());
    let mut pages = std::pin::pin!(fixtures::list_jobs::<_, Job>(&client.v1(), "sp").pages());
    assert!(pages.next().await.unwrap().is_ok());
    let err = pages.next().await.unwrap().unwrap_err();
    assert!(matches!(err, Error::PageCycle { pages: 1, .. }), "{err:?}");
    assert!(pages.next().await.is_none());
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn collect_all_can_be_capped_by_pages_or_items() {
    let server = TestServer::start().await;
    // An endless collection of distinct pages.
    for i in 0..10 {
        let next = jobs_url(&server, &format!("?$skiptoken={}", i + 1));
        server.reply(page(&["x", "y"], Some(next)));
    }
    let client = fixtures::client(&server, &RecordingClock::new());
    let err = fixtures::list_jobs::<_, Job>(&client.v1(), "sp")
        .max_pages(3)
        .collect_all()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::PageLimit { pages: 3, items: 6 }),
        "{err:?}"
    );
    assert_eq!(
        server.request_count(),
        3,
        "the fourth page is not requested"
    );

    let err = fixtures::list_jobs::<_, Job>(&client.v1(), "sp")
        .max_items(5)
        .collect_all()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::PageLimit { pages: 2, items: 4 }),
        "{err:?}"
    );
    assert_eq!(server.request_count(), 6);

    // Within the caps, everything is returned.
    let server = TestServer::start().await;
    server
        .reply(page(&["a"], Some(jobs_url(&server, "?$skiptoken=2"))))
        .reply(page(&["b"], None));
    let client = fixtures::client(&server, &RecordingClock::new());
    let all = fixtures::list_jobs::<_, Job>(&client.v1(), "sp")
        .max_pages(2)
        .max_items(2)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(all, [job("a"), job("b")]);
}

#[tokio::test]
async fn a_next_link_with_credentials_is_refused_and_never_sends_basic_auth() {
    let server = TestServer::start().await;
    let port = server.addr().port();
    let link = format!(
        "http://admin:hunter2@127.0.0.1:{port}/v1.0/servicePrincipals/sp/synchronization/jobs?$skiptoken=2"
    );
    server.reply(page(&["a"], Some(link)));
    server.fallback(page(&["stolen"], None));
    let client = fixtures::client(&server, &RecordingClock::new());
    let err = fixtures::list_jobs::<_, Job>(&client.v1(), "sp")
        .collect_all()
        .await
        .unwrap_err();
    match &err {
        Error::CredentialsInUrl { url, context } => {
            assert_eq!(*context, "nextLink");
            assert_eq!(url, &jobs_url(&server, ""));
        }
        other => panic!("expected CredentialsInUrl, got {other:?}"),
    }
    let shown = format!("{err} {err:?}");
    assert!(
        !shown.contains("hunter2") && !shown.contains("admin"),
        "{shown}"
    );
    assert_eq!(server.request_count(), 1);
    for request in server.requests() {
        assert_eq!(
            request.header_all("authorization"),
            [format!("Bearer {TOKEN}")]
        );
    }
}

#[tokio::test]
async fn the_item_stream_is_send() {
    fn assert_send<T: Send>(t: T) -> T {
        t
    }
    let server = TestServer::start().await;
    server.reply(page(&["a"], None));
    let client = fixtures::client(&server, &RecordingClock::new());
    let request = fixtures::list_jobs::<_, Job>(&client.v1(), "sp");
    let all = tokio::spawn(assert_send(request.collect_all()))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(all, [job("a")]);
}
