//! The clock used for retry waits, injectable so tests never sleep for real.

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, SystemTime};

/// Wall-clock time and sleeping, as used by the retry handler. The default uses
/// [`SystemTime::now`] and `tokio::time::sleep`; tests install one that records the requested
/// waits and returns at once (see `ClientBuilder::clock`).
#[doc(hidden)]
pub trait Clock: Send + Sync + 'static {
    /// The current time (used to turn an HTTP-date `Retry-After` into a wait).
    fn now(&self) -> SystemTime;

    /// Waits for `duration`.
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + 'static>>;
}

/// The production clock.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct TokioClock;

impl Clock for TokioClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }

    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + 'static>> {
        Box::pin(tokio::time::sleep(duration))
    }
}
