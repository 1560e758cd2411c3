//! Shared set-up for the examples: a client from the environment.
//!
//! - `GRAPH_TOKEN` (required): a bearer token for Microsoft Graph.
//! - `GRAPH_CLOUD`: `global` (default), `usgov-l4`, `usgov-l5-dod` or `china`.
//! - `GRAPH_BASE_URL`: a custom base URL instead (plain http only on loopback), e.g. a local mock.

use msgraph_sync::{Client, Cloud, Error};

/// Reads a required environment variable or explains which one is missing.
pub fn var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        eprintln!("set {name} (see the comment at the top of the example)");
        std::process::exit(2)
    })
}

/// A client for the cloud named in the environment.
pub fn client() -> Result<Client, Error> {
    let builder = Client::builder().static_token(var("GRAPH_TOKEN"));
    let builder = match std::env::var("GRAPH_BASE_URL") {
        Ok(url) => builder.base_url(&url),
        Err(_) => builder.cloud(match std::env::var("GRAPH_CLOUD").as_deref() {
            Ok("usgov-l4") => Cloud::UsGovL4,
            Ok("usgov-l5-dod") => Cloud::UsGovL5Dod,
            Ok("china") => Cloud::China,
            _ => Cloud::Global,
        }),
    };
    builder.build()
}
