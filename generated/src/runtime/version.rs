//! Graph API versions: the runtime value [`ApiVersion`] and the type-level markers [`V1`] and [`Beta`].

use std::fmt;
use std::str::FromStr;

/// A Microsoft Graph API version, the first path segment after the host.
///
/// ```
/// use msgraph_sync::ApiVersion;
/// assert_eq!(ApiVersion::V1.as_str(), "v1.0");
/// assert_eq!("beta".parse::<ApiVersion>().unwrap(), ApiVersion::Beta);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ApiVersion {
    /// `v1.0`: the generally available API.
    V1,
    /// `beta`: preview API, subject to change.
    Beta,
}

impl ApiVersion {
    /// Every version, in order.
    pub const ALL: &'static [ApiVersion] = &[ApiVersion::V1, ApiVersion::Beta];

    /// The path segment: `"v1.0"` or `"beta"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ApiVersion::V1 => "v1.0",
            ApiVersion::Beta => "beta",
        }
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error returned when parsing an unknown API version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownApiVersion(String);

impl fmt::Display for UnknownApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown Graph API version {:?}: expected \"v1.0\" or \"beta\"",
            self.0
        )
    }
}

impl std::error::Error for UnknownApiVersion {}

impl FromStr for ApiVersion {
    type Err = UnknownApiVersion;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "v1.0" => Ok(ApiVersion::V1),
            "beta" => Ok(ApiVersion::Beta),
            other => Err(UnknownApiVersion(other.chars().take(32).collect())),
        }
    }
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::V1 {}
    impl Sealed for super::Beta {}
}

/// A type-level API version: [`V1`] or [`Beta`]. Sealed: no other implementations exist.
///
/// Request builders are generic over it, so an operation that exists only in beta is only reachable
/// from `client.beta()`.
pub trait Version: sealed::Sealed + Clone + Copy + fmt::Debug + Send + Sync + 'static {
    /// The runtime value of this version.
    const VERSION: ApiVersion;
}

/// Marker for the `v1.0` API, see [`Client::v1`](crate::Client::v1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct V1;

/// Marker for the `beta` API, see [`Client::beta`](crate::Client::beta).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Beta;

impl Version for V1 {
    const VERSION: ApiVersion = ApiVersion::V1;
}

impl Version for Beta {
    const VERSION: ApiVersion = ApiVersion::Beta;
}
