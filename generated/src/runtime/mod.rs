//! The hand-written client runtime: transport, auth, retries, paging, errors and the value types the
//! generated models use.
//!
//! Everything public here is re-exported at the crate root; generated code refers to it as
//! `crate::runtime::...`.

mod auth;
mod client;
mod clock;
mod cloud;
mod decode;
mod encode;
mod error;
mod operation;
mod page;
mod path;
mod redact;
mod request;
mod retry;
mod throttle;
mod tls;
mod transport;
mod unknown;
mod unknown_member;
mod values;
mod version;

#[cfg(feature = "azure-identity")]
mod azure;

pub use auth::{AccessToken, FnTokenProvider, StaticToken, TokenProvider};
#[cfg(feature = "azure-identity")]
pub use azure::AzureCredential;
pub use client::{Client, ClientBuilder};
#[doc(hidden)]
pub use clock::Clock;
pub use cloud::Cloud;
pub use decode::DecodeError;
#[doc(hidden)]
pub use decode::{decode_empty, decode_json, decode_json_or_empty};
pub use error::{AuthError, Error, ErrorDetail, InnerError, ODataError, TransportError};
/// HTTP types used in errors, re-exported from the `http` crate.
pub use http::{HeaderMap, StatusCode};
#[doc(hidden)]
pub use msgraph_sync_derive::{GraphEnum, GraphFlags, GraphId, GraphModel, RequestBuilder};
#[doc(hidden)]
pub use operation::{Method, Operation};
pub use page::Page;
#[doc(hidden)]
pub use path::PathBuilder;
pub use redact::ResponseBody;
pub use request::{CollectionQuery, EntityQuery, NoQuery, Request};
pub use retry::RetryPolicy;
pub use throttle::{LimitScope, RateLimit, RateLimits};
pub use tls::install_crypto_provider;
#[doc(hidden)]
pub use unknown::__private;
pub use unknown::{Iter as UnknownPropertiesIter, UnknownProperties};
pub(crate) use unknown::{write_field, write_rest};
pub use unknown_member::UnknownMember;
pub use values::{DateTimeOffset, Duration, Nullable, SecretString, ValueError};
pub use version::{ApiVersion, Beta, UnknownApiVersion, V1, Version};
