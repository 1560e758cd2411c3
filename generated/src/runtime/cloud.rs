//! National clouds: the Graph base URL and token scope of each.

use std::fmt;
use std::net::IpAddr;

use url::Url;

use super::error::Error;
use super::redact::display_url;

/// The Microsoft Graph deployment to call.
///
/// ```
/// # use msgraph_sync::Cloud;
/// assert_eq!(Cloud::UsGovL4.base_url().as_str(), "https://graph.microsoft.us/");
/// assert_eq!(Cloud::China.scope(), "https://microsoftgraph.chinacloudapi.cn/.default");
/// ```
///
/// More clouds may be added in a minor version (`#[non_exhaustive]`): a `match` needs a `_` arm.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Cloud {
    /// The global service, `https://graph.microsoft.com`.
    #[default]
    Global,
    /// US Government L4, `https://graph.microsoft.us`.
    UsGovL4,
    /// US Government L5 (DoD), `https://dod-graph.microsoft.us`.
    UsGovL5Dod,
    /// China, operated by 21Vianet, `https://microsoftgraph.chinacloudapi.cn`.
    China,
    /// Any other base URL (a proxy or a test server): `https`, or plain `http` only for loopback
    /// hosts (`127.0.0.0/8`, `::1`, `localhost`). A path prefix is kept; the API version is appended
    /// after it.
    Custom(Url),
}

impl Cloud {
    /// The Graph base URL (without the API version).
    pub fn base_url(&self) -> Url {
        let s = match self {
            Cloud::Global => "https://graph.microsoft.com/",
            Cloud::UsGovL4 => "https://graph.microsoft.us/",
            Cloud::UsGovL5Dod => "https://dod-graph.microsoft.us/",
            Cloud::China => "https://microsoftgraph.chinacloudapi.cn/",
            Cloud::Custom(url) => return url.clone(),
        };
        Url::parse(s).expect("built-in cloud URLs are valid")
    }

    /// The OAuth scope for this cloud: `https://<graph host>/.default`.
    pub fn scope(&self) -> String {
        format!(
            "{}/.default",
            self.base_url().origin().ascii_serialization()
        )
    }

    /// A custom cloud from a base URL, validated like [`ClientBuilder::base_url`](crate::ClientBuilder::base_url).
    pub fn custom(base_url: &str) -> Result<Cloud, Error> {
        let url =
            Url::parse(base_url).map_err(|e| Error::config(format!("invalid base URL: {e}")))?;
        validate_base(&url)?;
        Ok(Cloud::Custom(url))
    }
}

impl fmt::Display for Cloud {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cloud::Global => f.write_str("global"),
            Cloud::UsGovL4 => f.write_str("US Government L4"),
            Cloud::UsGovL5Dod => f.write_str("US Government L5 (DoD)"),
            Cloud::China => f.write_str("China (21Vianet)"),
            Cloud::Custom(url) => write!(f, "custom ({})", display_url(url)),
        }
    }
}

/// Whether `url`'s host is a loopback address or `localhost`.
pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// Checks a base URL: https (http only for loopback), a host, no credentials, query or fragment.
/// Messages show the URL without userinfo and query.
pub(crate) fn validate_base(url: &Url) -> Result<(), Error> {
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::config("base URL must not contain credentials"));
    }
    let shown = display_url(url);
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(url) => {}
        "http" => {
            return Err(Error::config(format!(
                "base URL {shown} uses plain http; only loopback hosts (127.0.0.0/8, ::1, localhost) may, use https"
            )));
        }
        other => {
            return Err(Error::config(format!(
                "base URL scheme {other:?} is not supported; use https"
            )));
        }
    }
    if url.host().is_none() {
        return Err(Error::config(format!("base URL {shown} has no host")));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::config(format!(
            "base URL {shown} must not have a query or fragment"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_clouds() {
        assert_eq!(
            Cloud::Global.scope(),
            "https://graph.microsoft.com/.default"
        );
        assert_eq!(
            Cloud::UsGovL4.scope(),
            "https://graph.microsoft.us/.default"
        );
        assert_eq!(
            Cloud::UsGovL5Dod.scope(),
            "https://dod-graph.microsoft.us/.default"
        );
        assert_eq!(
            Cloud::China.scope(),
            "https://microsoftgraph.chinacloudapi.cn/.default"
        );
    }

    #[test]
    fn custom_validation() {
        for ok in [
            "https://proxy.example.com/graph",
            "http://127.0.0.1:8080",
            "http://127.1.2.3",
            "http://[::1]:9000/",
            "http://localhost:1234",
        ] {
            assert!(Cloud::custom(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://example.com",
            "http://10.0.0.1",
            "ftp://127.0.0.1",
            "https://user:pw@example.com",
            "https://example.com/?a=b",
            "https://example.com/#f",
            "not a url",
        ] {
            assert!(matches!(Cloud::custom(bad), Err(Error::Config(_))), "{bad}");
        }
        for bad in [
            "http://user:hunter2@example.com",
            "https://example.com/?sig=hunter2",
        ] {
            let err = Cloud::custom(bad).unwrap_err();
            assert!(!format!("{err} {err:?}").contains("hunter2"), "{err}");
        }
        let c = Cloud::custom("http://127.0.0.1:8080/x").unwrap();
        assert_eq!(c.scope(), "http://127.0.0.1:8080/.default");
    }
}
