//! Compile-time checks (Rust API guidelines, issue 16): the types a user holds across `.await` or
//! shares between tasks are `Send + Sync`, the futures and streams of requests are `Send` (so they
//! run on a multi-threaded runtime), and everything is `Debug`. A regression fails to compile.
//! (`ecosystem_public_api.rs` checks `Debug` for every public type from the sources.)

use std::fmt::Debug;
use std::future::IntoFuture;

use msgraph_sync::toolkit::schema_check::SchemaProblem;
use msgraph_sync::{
    AccessToken, Api, ApiVersion, AuthError, Beta, Client, ClientBuilder, Cloud, CollectionQuery,
    DateTimeOffset, DecodeError, Duration, EntityQuery, Error, ErrorDetail, InnerError, NoQuery,
    Nullable, ODataError, Page, RateLimit, RateLimits, Request, ResponseBody, RetryPolicy,
    SecretString, StaticToken, SynchronizationJob, SynchronizationJobRestartScope,
    SynchronizationSchema, SynchronizationSecret, SynchronizationTemplate, TransportError,
    UnknownApiVersion, UnknownProperties, V1, ValueError,
};

fn send_sync_debug<T: Send + Sync + Debug>() {}
fn send<T: Send>(_: &T) {}

#[test]
fn shared_types_are_send_sync_and_debug() {
    // Client side.
    send_sync_debug::<Client>();
    send_sync_debug::<ClientBuilder>();
    send_sync_debug::<Api<V1>>();
    send_sync_debug::<Api<Beta>>();
    send_sync_debug::<Cloud>();
    send_sync_debug::<RetryPolicy>();
    send_sync_debug::<RateLimits>();
    send_sync_debug::<RateLimit>();
    send_sync_debug::<AccessToken>();
    send_sync_debug::<StaticToken>();
    send_sync_debug::<ApiVersion>();
    // Requests, held and moved between tasks before they are awaited.
    send_sync_debug::<Request<SynchronizationJob, EntityQuery>>();
    send_sync_debug::<Request<Page<SynchronizationJob>, CollectionQuery>>();
    send_sync_debug::<Request<(), NoQuery>>();
    // Errors: `Send + Sync + 'static`, so they go into `Box<dyn Error + Send + Sync>` and anyhow.
    send_sync_debug::<Error>();
    send_sync_debug::<AuthError>();
    send_sync_debug::<TransportError>();
    send_sync_debug::<DecodeError>();
    send_sync_debug::<ODataError>();
    send_sync_debug::<ErrorDetail>();
    send_sync_debug::<InnerError>();
    send_sync_debug::<ValueError>();
    send_sync_debug::<UnknownApiVersion>();
    send_sync_debug::<ResponseBody>();
    fn boxed_error<E: std::error::Error + Send + Sync + 'static>() {}
    boxed_error::<Error>();
    boxed_error::<AuthError>();
    boxed_error::<TransportError>();
    boxed_error::<DecodeError>();
    // Values and models.
    send_sync_debug::<Page<SynchronizationJob>>();
    send_sync_debug::<SynchronizationJob>();
    send_sync_debug::<SynchronizationSchema>();
    send_sync_debug::<SynchronizationTemplate>();
    send_sync_debug::<SynchronizationSecret>();
    send_sync_debug::<SynchronizationJobRestartScope>();
    send_sync_debug::<Nullable<String>>();
    send_sync_debug::<SecretString>();
    send_sync_debug::<DateTimeOffset>();
    send_sync_debug::<Duration>();
    send_sync_debug::<UnknownProperties>();
    send_sync_debug::<SchemaProblem>();
}

#[test]
fn request_futures_and_streams_are_send() {
    let client = Client::builder()
        .static_token("t")
        .base_url("http://127.0.0.1:9")
        .build()
        .unwrap();
    let jobs = client.v1().service_principal("sp").synchronization().jobs();
    // Nothing below is polled: building the futures sends nothing.
    send(&jobs.job("j").get().into_future());
    send(&jobs.job("j").start().send());
    send(&jobs.list().pages());
    send(&jobs.list().items());
    send(&jobs.list().collect_all());
    // A spawned call compiles: the bound tokio::spawn puts on it.
    fn spawnable<F: std::future::Future + Send + 'static>(_: F) {}
    spawnable(jobs.job("j").get().into_future());
}
