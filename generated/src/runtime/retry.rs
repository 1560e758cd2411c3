//! The retry policy and the retry loop around attempts, after the official Graph SDKs' retry
//! handler: 429 is retried for every request; 503, 504 and failures before any response byte only
//! for requests that are safe to repeat.

use std::time::{Duration, Instant, SystemTime};

use http::{HeaderMap, StatusCode};

use super::error::Error;
use super::transport::{self, Budget, Call, Outcome, Response};

/// How throttled (429) and transiently failing (503, 504, transport) requests are retried.
///
/// What is retried:
/// - 429 Too Many Requests, for every request: the service did not process it.
/// - 503, 504, and transport failures before any response byte (connection refused or reset,
///   the per-request timeout while waiting for the response), only for requests that are safe to
///   repeat: the operation's `idempotent` flag from the spec (GET, PUT, DELETE, and POSTs the spec
///   marks `x-graph-idempotent`), or [`Request::idempotent`](crate::Request::idempotent). A create
///   or an action (`start`, `restart`, ...) the service may already have applied is not sent again
///   after these by default (after a 429 it is: the service did not process it).
///
/// A `Retry-After` header (seconds or an HTTP date) is honoured exactly; without one the wait is an
/// exponential back-off with jitter (`base_delay × 2^(n-1)`, plus up to 25 %). Each retry carries a
/// `Retry-Attempt: n` header and the same `client-request-id`. Retrying stops after
/// [`max_retries`](RetryPolicy::max_retries) retries, or when the next wait would take the
/// cumulative wait past [`max_cumulative_delay`](RetryPolicy::max_cumulative_delay); the last
/// response then becomes [`Error::Throttled`](crate::Error::Throttled) (or the last transport
/// error or timeout). A `Retry-After` longer than the remaining cap ends retrying at once.
///
/// Worst-case wall time of one call, with `T` the per-request timeout (each attempt: token,
/// connection, up to 5 redirects and the body), `R` = `max_retries` and `C` =
/// `max_cumulative_delay`: `(R + 1) × T + C`, for the defaults `4 × 100 s + 180 s = 580 s` (at
/// most `11 × T + 180 s` with the largest policy), plus any wait for client-side rate limits. A
/// [total timeout](crate::Request::total_timeout) `D` bounds all of it to `D`.
///
/// ```
/// # use msgraph_sync::RetryPolicy;
/// # use std::time::Duration;
/// let policy = RetryPolicy::default()
///     .with_max_retries(5)
///     .with_base_delay(Duration::from_secs(1));
/// assert_eq!(policy.max_retries(), 5);
/// assert_eq!(policy.base_delay(), Duration::from_secs(1));
/// assert_eq!(RetryPolicy::default().with_max_retries(50).max_retries(), 10); // clamped
/// assert_eq!(RetryPolicy::none().max_retries(), 0);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RetryPolicy {
    max_retries: u32,
    base_delay: Duration,
    max_cumulative_delay: Duration,
}

impl RetryPolicy {
    /// The default number of retries (3).
    pub const DEFAULT_MAX_RETRIES: u32 = 3;
    /// The largest allowed number of retries (10).
    pub const MAX_RETRIES: u32 = 10;
    /// The default back-off base (3 s).
    pub const DEFAULT_BASE_DELAY: Duration = Duration::from_secs(3);
    /// The largest allowed cumulative wait (180 s), also the default.
    pub const MAX_CUMULATIVE_DELAY: Duration = Duration::from_secs(180);

    /// The default policy: 3 retries, 3 s back-off base, at most 180 s of cumulative waiting.
    pub const fn new() -> Self {
        Self {
            max_retries: Self::DEFAULT_MAX_RETRIES,
            base_delay: Self::DEFAULT_BASE_DELAY,
            max_cumulative_delay: Self::MAX_CUMULATIVE_DELAY,
        }
    }

    /// No retries: a 429/503/504 is returned at once as
    /// [`Error::Throttled`](crate::Error::Throttled) carrying `retry_after`, so callers can
    /// reschedule themselves.
    pub const fn none() -> Self {
        Self {
            max_retries: 0,
            ..Self::new()
        }
    }

    /// Sets the number of retries, clamped to [`RetryPolicy::MAX_RETRIES`].
    pub const fn with_max_retries(mut self, retries: u32) -> Self {
        self.max_retries = if retries > Self::MAX_RETRIES {
            Self::MAX_RETRIES
        } else {
            retries
        };
        self
    }

    /// Sets the back-off base used when the service sends no `Retry-After`.
    pub const fn with_base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// Sets the cap on the total wait across retries, clamped to
    /// [`RetryPolicy::MAX_CUMULATIVE_DELAY`].
    pub const fn with_max_cumulative_delay(mut self, cap: Duration) -> Self {
        self.max_cumulative_delay = if cap.as_nanos() > Self::MAX_CUMULATIVE_DELAY.as_nanos() {
            Self::MAX_CUMULATIVE_DELAY
        } else {
            cap
        };
        self
    }

    /// The number of retries.
    pub const fn max_retries(&self) -> u32 {
        self.max_retries
    }

    /// The back-off base.
    pub const fn base_delay(&self) -> Duration {
        self.base_delay
    }

    /// The cap on the cumulative wait.
    pub const fn max_cumulative_delay(&self) -> Duration {
        self.max_cumulative_delay
    }

    /// Whether `status` is one this policy retries (429, 503, 504).
    pub fn is_retryable_status(status: StatusCode) -> bool {
        matches!(status.as_u16(), 429 | 503 | 504)
    }

    /// The wait before retry number `retry` (1-based): `retry_after` when the service sent one,
    /// otherwise exponential back-off with up to 25 % jitter.
    pub(crate) fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(wait) = retry_after {
            return wait;
        }
        let exp = 2f64.powi(
            i32::try_from(retry.saturating_sub(1))
                .unwrap_or(i32::MAX)
                .min(62),
        );
        let backoff = self.base_delay.as_secs_f64() * exp;
        let jittered = backoff * (1.0 + 0.25 * fastrand::f64());
        Duration::try_from_secs_f64(jittered).unwrap_or(Duration::MAX)
    }

    /// Whether retry number `retry` (1-based) waiting `delay` after `cumulative` is allowed.
    pub(crate) fn allows(&self, retry: u32, cumulative: Duration, delay: Duration) -> bool {
        retry <= self.max_retries
            && cumulative
                .checked_add(delay)
                .is_some_and(|total| total <= self.max_cumulative_delay)
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self::new()
    }
}

/// Why an attempt failed in a way that a later attempt may not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Transient {
    /// 429: the service did not process the request.
    Throttled,
    /// 503 or 504: the service may have processed it.
    Unavailable,
    /// A transport failure or timeout before any response byte: it may have been processed.
    NoResponse,
}

impl Transient {
    /// Whether a request may be sent again after this failure.
    pub(crate) fn may_repeat(self, idempotent: bool) -> bool {
        self == Transient::Throttled || idempotent
    }
}

/// Runs the attempts of `call` until one gives a final outcome or the policy, the cumulative wait
/// cap or the total timeout says stop; then the last attempt's error is returned.
///
/// Time is counted as the time spent in attempts plus the waits asked of the clock, so an
/// injected clock that does not sleep still sees the waits.
pub(crate) async fn run(call: &Call<'_>) -> Result<Response, Error> {
    let inner = &*call.client.inner;
    let limits = call.exchange.limits;
    let mut retries: u32 = 0;
    let mut waited = Duration::ZERO;
    let mut busy = Duration::ZERO;
    loop {
        let left = match limits.total_timeout {
            None => None,
            Some(total) => match total.checked_sub(busy + waited).filter(|l| !l.is_zero()) {
                Some(left) => Some(left),
                None => return Err(total_timeout(call, retries)),
            },
        };
        let budget = Budget {
            time: left.map_or(limits.timeout, |left| left.min(limits.timeout)),
            cut_by_total: left.is_some_and(|left| left < limits.timeout),
        };
        let started = Instant::now();
        let attempt = transport::attempt(call, retries, budget);
        // The whole attempt, including any wait before it sends, stays within the total.
        let outcome = match left {
            None => attempt.await,
            Some(left) => tokio::time::timeout(left, attempt)
                .await
                .unwrap_or_else(|_| Outcome::Final(Err(total_timeout(call, retries + 1)))),
        };
        busy += started.elapsed();
        let (error, kind, retry_after) = match outcome {
            Outcome::Final(result) => return result,
            Outcome::Transient {
                error,
                kind,
                retry_after,
            } => (error, kind, retry_after),
        };
        if !kind.may_repeat(call.exchange.idempotent) {
            tracing::debug!("not retried: the request is not safe to repeat");
            return Err(error);
        }
        let next = retries + 1;
        let delay = inner.retry.delay(next, retry_after);
        let within_total = limits
            .total_timeout
            .is_none_or(|total| busy + waited + delay < total);
        if !inner.retry.allows(next, waited, delay) || !within_total {
            return Err(error);
        }
        tracing::info!(
            status = error.status().map_or(0, |s| s.as_u16()),
            retry = next,
            delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
            "retrying Graph request"
        );
        inner.clock.sleep(delay).await;
        retries = next;
        waited += delay;
    }
}

/// The error for a call that reached its total timeout after `attempts` attempts.
fn total_timeout(call: &Call<'_>, attempts: u32) -> Error {
    Error::TotalTimeout {
        total_timeout: call.exchange.limits.total_timeout.unwrap_or_default(),
        attempts,
        client_request_id: Some(call.client_request_id.clone()),
    }
}

/// Reads `Retry-After` as delay-seconds (integer or decimal) or an HTTP date relative to `now`.
/// A date in the past means "now" (zero); garbage means "not sent".
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if value.is_empty() {
        return None;
    }
    if value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Duration::from_secs(
            value.parse::<u64>().unwrap_or(u64::MAX),
        ));
    }
    if let Ok(secs) = value.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0)
            .then(|| Duration::try_from_secs_f64(secs).unwrap_or(Duration::MAX));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(http::header::RETRY_AFTER, v.parse().unwrap());
        h
    }

    #[test]
    fn retry_after_forms() {
        let now = httpdate::parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT").unwrap();
        assert_eq!(
            retry_after(&headers("2"), now),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            retry_after(&headers(" 120 "), now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            retry_after(&headers("1.5"), now),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(
            retry_after(&headers("Wed, 21 Oct 2015 07:28:30 GMT"), now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            retry_after(&headers("Wed, 21 Oct 2015 07:00:00 GMT"), now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&headers("-3"), now), None);
        assert_eq!(retry_after(&headers("soon"), now), None);
        assert_eq!(retry_after(&headers("NaN"), now), None);
        assert_eq!(
            retry_after(&headers("99999999999999999999999"), now),
            Some(Duration::from_secs(u64::MAX))
        );
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn backoff_is_exponential_with_bounded_jitter() {
        let p = RetryPolicy::default();
        for (retry, base) in [(1, 3.0), (2, 6.0), (3, 12.0)] {
            let d = p.delay(retry, None).as_secs_f64();
            assert!(d >= base && d <= base * 1.25, "retry {retry}: {d}");
        }
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(7))),
            Duration::from_secs(7)
        );
        // Never panics, even absurdly far out.
        let _ = RetryPolicy::default()
            .with_base_delay(Duration::MAX)
            .delay(u32::MAX, None);
    }

    #[test]
    fn limits() {
        let p = RetryPolicy::default();
        assert!(p.allows(3, Duration::ZERO, Duration::from_secs(1)));
        assert!(!p.allows(4, Duration::ZERO, Duration::from_secs(1)));
        assert!(p.allows(1, Duration::from_secs(170), Duration::from_secs(10)));
        assert!(!p.allows(1, Duration::from_secs(171), Duration::from_secs(10)));
        assert!(!p.allows(1, Duration::ZERO, Duration::MAX));
        assert!(!RetryPolicy::none().allows(1, Duration::ZERO, Duration::ZERO));
        assert_eq!(
            p.with_max_cumulative_delay(Duration::from_secs(999))
                .max_cumulative_delay(),
            Duration::from_secs(180)
        );
    }
}
