//! TLS for the HTTP client the builder makes: rustls with the crypto provider picked by cargo
//! features, the platform's root certificates, handed to that one `reqwest::Client`. Nothing here
//! installs a process-wide default provider; [`install_crypto_provider`] does, and only when called.

use std::sync::{Arc, Once};

use rustls::crypto::CryptoProvider;
use rustls_platform_verifier::BuilderVerifierExt;

use super::error::Error;

/// The provider the client uses: the process default if the application installed one, else the
/// one this crate's features select (`aws-lc-rs` when both provider features are on).
fn provider() -> Option<Arc<CryptoProvider>> {
    CryptoProvider::get_default()
        .cloned()
        .or_else(|| feature_provider().map(Arc::new))
}

/// The provider named by this crate's cargo features, if any.
fn feature_provider() -> Option<CryptoProvider> {
    #[cfg(feature = "rustls-aws-lc-rs")]
    {
        Some(rustls::crypto::aws_lc_rs::default_provider())
    }
    #[cfg(all(feature = "rustls-ring", not(feature = "rustls-aws-lc-rs")))]
    {
        // rustls 0.23.48 deprecates its ring provider (no post-quantum key exchange) without a
        // replacement; `rustls-ring` is an explicit opt-in for builds that want ring.
        #[allow(deprecated)]
        Some(rustls::crypto::ring::default_provider())
    }
    #[cfg(not(any(feature = "rustls-aws-lc-rs", feature = "rustls-ring")))]
    {
        None
    }
}

/// The rustls configuration of the client the builder makes: HTTP/1.1, TLS 1.2 and 1.3, server
/// certificates checked against the platform's roots.
pub(crate) fn client_config() -> Result<rustls::ClientConfig, Error> {
    let provider = provider().ok_or_else(|| {
        Error::config(
            "no TLS crypto provider: enable the `rustls-aws-lc-rs` or `rustls-ring` feature, \
             install a process default (rustls `CryptoProvider::install_default`), or pass your \
             own client with `ClientBuilder::http_client`",
        )
    })?;
    let tls_error = |e: rustls::Error| Error::config(format!("could not set up TLS: {e}"));
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(tls_error)?
        .with_platform_verifier()
        .map_err(tls_error)?
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// Installs the crypto provider this crate's features select (`aws-lc-rs` by default, `ring` with
/// only the `rustls-ring` feature) as rustls's process-wide default, unless one is installed
/// already. [`ClientBuilder::build`](crate::ClientBuilder::build) never calls it: the client it
/// makes carries its provider itself.
///
/// Call it only if other TLS clients in your process need a process default, such as a
/// `reqwest::Client` built with reqwest's `rustls-no-provider` feature under `rustls-ring`
/// (with the default `rustls-aws-lc-rs` feature, reqwest picks aws-lc-rs on its own).
pub fn install_crypto_provider() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        if let Some(provider) = feature_provider() {
            // Losing a race with the application's own install is fine: its provider stays.
            let _ = provider.install_default();
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_feature_provider_is_passed_per_client_and_never_installed() {
        let config = client_config();
        if cfg!(any(feature = "rustls-aws-lc-rs", feature = "rustls-ring")) {
            let config = config.unwrap();
            assert_eq!(config.alpn_protocols, [b"http/1.1".to_vec()]);
        } else {
            // No provider feature and none installed: a typed error, not reqwest's panic.
            assert!(matches!(config, Err(Error::Config(_))));
        }
        assert!(
            CryptoProvider::get_default().is_none(),
            "building a TLS config must not install a process default"
        );
    }
}
