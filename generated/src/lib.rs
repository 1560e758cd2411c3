//! Typed async client for the Microsoft Graph synchronization API (Entra provisioning jobs,
//! schemas, templates and secrets), in `v1.0` and `beta`.
//!
//! The hand-written runtime ([`Client`], [`Request`], [`Page`], [`Error`], the value types) is
//! re-exported here; the request builders and models are generated from the OpenAPI description.
//!
//! ```no_run
//! # async fn demo() -> Result<(), msgraph_sync::Error> {
//! use msgraph_sync::{Client, Cloud, RetryPolicy};
//!
//! let client = Client::builder()
//!     .cloud(Cloud::Global)
//!     .static_token(std::env::var("GRAPH_TOKEN").unwrap_or_default())
//!     .retry(RetryPolicy::default())
//!     .build()?;
//! let v1 = client.v1();
//! let beta = client.beta();
//! # let _ = (v1, beta);
//! # Ok(()) }
//! ```
//!
//! # Versions are types
//! Beta-only operations exist only on builders reached from [`Client::beta`]:
//!
//! ```no_run
//! # async fn demo(client: msgraph_sync::Client) -> Result<(), msgraph_sync::Error> {
//! let pong = client.beta().service_principal("sp").synchronization().ping().await?;
//! # let _ = pong; Ok(()) }
//! ```
//!
//! The same call on a `v1.0` builder does not compile:
//!
//! ```compile_fail
//! # async fn demo(client: msgraph_sync::Client) -> Result<(), msgraph_sync::Error> {
//! let pong = client.v1().service_principal("sp").synchronization().ping().await?;
//! # let _ = pong; Ok(()) }
//! ```
//!
//! # Behaviour
//! - One connection pool per [`Client`]; clones share it. TLS is rustls with the platform's root
//!   certificates and the provider the features select, or bring your own `reqwest::Client`
//!   ([`ClientBuilder::http_client`]).
//! - Every request sends `Authorization: Bearer`, `Accept: application/json`, `User-Agent` and
//!   `SdkVersion` naming this crate, and a fresh `client-request-id` kept across its retries.
//! - 429, 503 and 504 are retried per [`RetryPolicy`]; the bearer token is only ever sent to the
//!   configured Graph host (never to a foreign `@odata.nextLink` or redirect target).
//! - Tokens and [`SecretString`]s are redacted in `Debug`, `Display`, errors and logs.
//! - Each call is one `tracing` span, `graph_request`, with the operation id, method, path
//!   template (`/v1.0/servicePrincipals/{servicePrincipal-id}/...`, no ids, no query),
//!   `client_request_id`, `request_id`, `attempts` and `status`; the events of the call are inside.
//!
//! # Features
//! - `rustls-aws-lc-rs` (default): TLS with rustls's aws-lc-rs provider.
//! - `rustls-ring`: TLS with rustls's ring provider (used when `rustls-aws-lc-rs` is off).
//!   With neither, [`ClientBuilder::build`] uses the process-default provider, or takes your own
//!   client ([`ClientBuilder::http_client`]). No feature installs a process-wide provider.
//! - `time`, `jiff`, `chrono`: `TryFrom` conversions both ways between [`DateTimeOffset`] /
//!   [`Duration`] and `time::OffsetDateTime` / `time::Duration`, `jiff::ZonedDateTime`,
//!   `jiff::Timestamp` / `jiff::SignedDuration`, `chrono::DateTime` / `chrono::TimeDelta`.
//! - `azure-identity`: `AzureCredential`, a [`TokenProvider`] over any
//!   `azure_core` `TokenCredential` (such as those of `azure_identity`).

// The derives' expansions name this crate `::msgraph_sync` (see `GraphModel`), also inside it.
extern crate self as msgraph_sync;

pub mod runtime;
pub mod toolkit;

/// Emitted by `cargo xtask codegen` from `spec/msgraph-sync.yaml`; never edited by hand.
#[rustfmt::skip]
mod generated;

pub use generated::enums::*;
pub use generated::ids::*;
pub use generated::models::*;
pub use generated::requests::{Api, Applications, Parent, ServicePrincipals};
pub use generated::{enums, ids, models, requests};
pub use runtime::*;

/// The `reqwest` crate this one uses, to build a client for [`ClientBuilder::http_client`].
pub use reqwest;

/// The `azure_identity` crate, for its credentials (feature `azure-identity`).
#[cfg(feature = "azure-identity")]
pub use azure_identity;
