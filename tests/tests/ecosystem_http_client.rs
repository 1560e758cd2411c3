//! Bring your own HTTP client (issue 16): a user-built `reqwest::Client` that trusts a CA made in
//! this test talks to a TLS loopback server the crate's own client refuses; a user client that
//! follows redirects itself is still held to the Graph origin; building clients installs no
//! process-wide rustls provider.

use std::sync::Arc;

use msgraph_sync::{Client, Error, RetryPolicy, reqwest};
use msgraph_sync_tests::fixtures::TOKEN;
use msgraph_sync_tests::server::{Reply, TestServer};
use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::{TcpListener, TcpStream};

/// A CA and a `localhost` leaf signed by it, made for this run only.
struct TestPki {
    ca: CertificateDer<'static>,
    leaf: CertificateDer<'static>,
    leaf_key: PrivateKeyDer<'static>,
}

fn test_pki() -> TestPki {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["localhost".to_owned()])
        .unwrap()
        .signed_by(&leaf_key, &issuer)
        .unwrap();
    TestPki {
        ca: ca.der().clone(),
        leaf: leaf.der().clone(),
        leaf_key: PrivatePkcs8KeyDer::from(leaf_key.serialize_der()).into(),
    }
}

/// Serves TLS on a loopback port and passes the decrypted bytes to `backend` (the scripted HTTP
/// server). The server side names its provider explicitly, so nothing installs a process default.
async fn tls_front(pki: &TestPki, backend: std::net::SocketAddr) -> u16 {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![pki.leaf.clone()], pki.leaf_key.clone_key())
        .unwrap();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                // A failed handshake (the client refused our certificate) just ends here.
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let Ok(mut plain) = TcpStream::connect(backend).await else {
                    return;
                };
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
            });
        }
    });
    port
}

/// `GET /v1.0/servicePrincipals/sp-1/synchronization/jobs/job-1` through the generated builders.
async fn get_job_1(client: &Client) -> Result<msgraph_sync::SynchronizationJob, Error> {
    let jobs = client
        .v1()
        .service_principal("sp-1")
        .synchronization()
        .jobs();
    jobs.job("job-1").get().await
}

#[tokio::test]
async fn a_user_built_client_with_a_custom_root_talks_tls_the_default_client_refuses() {
    let pki = test_pki();
    let server = TestServer::start().await;
    let port = tls_front(&pki, server.addr()).await;
    let base = format!("https://localhost:{port}");
    server.fallback(Reply::json(
        200,
        &serde_json::json!({"id": "job-1", "templateId": "BoxOutDelta"}),
    ));

    // The user's client: only the test CA as root, no redirects (the crate follows them).
    let http = reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_der(&pki.ca).unwrap()])
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let client = Client::builder()
        .base_url(&base)
        .static_token(TOKEN)
        .http_client(http)
        .build()
        .unwrap();
    let job = get_job_1(&client).await.unwrap();
    assert_eq!(job.id.as_deref(), Some("job-1"));
    let seen = server.requests();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        seen[0].target,
        "/v1.0/servicePrincipals/sp-1/synchronization/jobs/job-1"
    );
    // The crate's headers ride on the user's client.
    assert_eq!(
        seen[0].header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert!(
        seen[0]
            .header("user-agent")
            .is_some_and(|ua| ua.starts_with("msgraph-sync/")),
        "{seen:?}"
    );
    assert!(seen[0].header("client-request-id").is_some());

    // The crate's own client trusts the platform roots, not the test CA: the handshake fails and
    // nothing reaches the server.
    let own = Client::builder()
        .base_url(&base)
        .static_token(TOKEN)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let err = get_job_1(&own).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    let mut chain = format!("{err}");
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        chain.push_str(&format!(" / {cause}"));
        source = cause.source();
    }
    assert!(
        chain.contains("certificate"),
        "not a certificate refusal: {chain}"
    );
    assert_eq!(server.requests().len(), 1);

    // Neither client installed a process-wide provider behind the application's back.
    assert!(rustls::crypto::CryptoProvider::get_default().is_none());
}

#[tokio::test]
async fn a_user_client_that_follows_redirects_is_still_held_to_the_graph_origin() {
    let graph = TestServer::start().await;
    let elsewhere = TestServer::start().await;
    // `localhost` is another origin than `127.0.0.1`, though the same machine.
    let foreign = format!("http://localhost:{}/v1.0/collect", elsewhere.addr().port());
    graph.reply(Reply::redirect(302, &foreign));
    elsewhere.fallback(Reply::json(200, &serde_json::json!({"id": "not graph"})));

    // reqwest's default policy follows up to 10 redirects on its own.
    let http = reqwest::Client::builder().build().unwrap();
    let client = Client::builder()
        .base_url(&graph.url())
        .static_token(TOKEN)
        .http_client(http)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let jobs = client.v1().service_principal("sp").synchronization().jobs();
    let err = jobs.job("j").get().await.unwrap_err();
    match &err {
        Error::ForeignHost { context, .. } => assert_eq!(*context, "redirect"),
        other => panic!("expected ForeignHost, got {other:?}"),
    }
    // reqwest dropped the token on the cross-origin hop; the crate refused the answer.
    let hop = elsewhere.requests();
    assert_eq!(hop.len(), 1);
    assert_eq!(hop[0].header("authorization"), None);

    // A same-origin hop followed by the user's client is accepted.
    graph
        .reply(Reply::redirect(307, "/v1.0/moved/job"))
        .reply(Reply::json(200, &serde_json::json!({"id": "j"})));
    let job = jobs.job("j").get().await.unwrap();
    assert_eq!(job.id.as_deref(), Some("j"));
    assert_eq!(graph.requests().last().unwrap().target, "/v1.0/moved/job");
}

#[test]
fn the_builder_reports_the_http_client_without_its_internals() {
    let builder = Client::builder()
        .static_token("very-secret")
        .http_client(reqwest::Client::new());
    let shown = format!("{builder:?}");
    assert!(shown.contains("user-built"), "{shown}");
    assert!(!shown.contains("very-secret"), "{shown}");
}
