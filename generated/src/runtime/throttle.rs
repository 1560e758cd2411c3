//! Client-side rate limits for the operations whose limits the service documents, and the shared
//! throttle gate: when the service answers one request `429` with `Retry-After`, the other
//! requests of the same [`Client`](crate::Client) that hit the same limit wait too.
//!
//! The transport calls [`Throttle::acquire`] before sending each attempt and
//! [`Throttle::note_retry_after`] when an answer is `429` with `Retry-After`.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use super::clock::Clock;
use super::operation::Method;

/// Which requests share one [`RateLimit`]'s budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LimitScope {
    /// Each synchronization job has its own budget.
    PerJob,
    /// All requests of the client share one budget.
    PerClient,
}

/// At most [`requests`](RateLimit::requests) requests in any window of
/// [`per`](RateLimit::per), counted over the requests of one [`LimitScope`].
///
/// ```
/// use msgraph_sync::{LimitScope, RateLimit};
/// use std::time::Duration;
/// let limit = RateLimit::new(5, Duration::from_secs(10), LimitScope::PerJob);
/// assert_eq!(limit, RateLimit::PROVISION_ON_DEMAND);
/// assert_eq!(limit.requests(), 5);
/// assert_eq!(limit.window(), Duration::from_millis(10_500)); // a 5 % margin, at least 20 ms
/// assert_eq!(RateLimit::BULK_UPLOAD.window(), Duration::from_millis(1_050));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RateLimit {
    requests: u32,
    per: Duration,
    scope: LimitScope,
}

impl RateLimit {
    /// provisionOnDemand, as documented: 5 requests per 10 seconds, per job.
    pub const PROVISION_ON_DEMAND: RateLimit = RateLimit {
        requests: 5,
        per: Duration::from_secs(10),
        scope: LimitScope::PerJob,
    };

    /// bulkUpload, as documented: 40 requests per second. The docs do not say per what, so the
    /// default counts every job of the client together (the cautious reading).
    pub const BULK_UPLOAD: RateLimit = RateLimit {
        requests: 40,
        per: Duration::from_secs(1),
        scope: LimitScope::PerClient,
    };

    /// A limit of `requests` per `per` (a `requests` of 0 is taken as 1).
    pub const fn new(requests: u32, per: Duration, scope: LimitScope) -> Self {
        Self {
            requests: if requests == 0 { 1 } else { requests },
            per,
            scope,
        }
    }

    /// The most requests in one window.
    pub const fn requests(&self) -> u32 {
        self.requests
    }

    /// The window.
    pub const fn per(&self) -> Duration {
        self.per
    }

    /// Who shares the budget.
    pub const fn scope(&self) -> LimitScope {
        self.scope
    }

    /// The window the client keeps: [`per`](Self::per) and a margin of a twentieth of it (at least
    /// 20 ms), because the service counts arrivals, and requests sent a window apart can arrive
    /// closer together.
    pub fn window(&self) -> Duration {
        self.per + (self.per / 20).max(Duration::from_millis(20))
    }
}

/// The client-side limits a [`Client`](crate::Client) applies before sending
/// ([`ClientBuilder::rate_limits`](crate::ClientBuilder::rate_limits)).
///
/// The default, [`RateLimits::documented`], keeps to the limits the service documents
/// (provisionOnDemand 5 per 10 s per job, bulkUpload 40 per second) and turns on the shared throttle
/// gate. [`RateLimits::none`] turns everything off, for callers who schedule their requests
/// themselves (usually together with [`RetryPolicy::none`](crate::RetryPolicy::none)).
///
/// The shared gate: when the service answers `429` with `Retry-After`, the other requests of the
/// client (and its clones) that would hit the same limit wait until then before they are sent,
/// instead of each being throttled and burning its own retries. "The same limit" is the
/// provisionOnDemand limit of that job, the bulkUpload limit (per its [`LimitScope`]), or, for
/// every other request, the client as a whole (Graph throttles an application per tenant).
///
/// Waiting for a limit or the gate happens before an attempt is sent: it is not part of the
/// per-attempt timeout, but counts toward a call's total timeout when one is set; a gate wait is
/// capped at [`RateLimits::MAX_GATE_WAIT`].
///
/// ```
/// use msgraph_sync::{Client, LimitScope, RateLimit, RateLimits};
/// use std::time::Duration;
/// # fn demo() -> Result<(), msgraph_sync::Error> {
/// // Stricter than documented for provisionOnDemand, no client-side limit for bulkUpload.
/// let limits = RateLimits::documented()
///     .with_provision_on_demand(Some(RateLimit::new(3, Duration::from_secs(10), LimitScope::PerJob)))
///     .with_bulk_upload(None);
/// assert_eq!(limits.bulk_upload(), None);
/// assert!(limits.shared_gate());
/// let client = Client::builder().static_token("...").rate_limits(limits).build()?;
/// # let _ = client; Ok(()) }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RateLimits {
    provision_on_demand: Option<RateLimit>,
    bulk_upload: Option<RateLimit>,
    shared_gate: bool,
}

impl RateLimits {
    /// The longest a request waits at the gate for another request's `Retry-After` (180 s, the
    /// retry policy's cap); a longer `Retry-After` is taken as this.
    pub const MAX_GATE_WAIT: Duration = Duration::from_secs(180);

    /// The documented limits and the shared gate (the default).
    pub const fn documented() -> Self {
        Self {
            provision_on_demand: Some(RateLimit::PROVISION_ON_DEMAND),
            bulk_upload: Some(RateLimit::BULK_UPLOAD),
            shared_gate: true,
        }
    }

    /// No client-side limit and no shared gate: every request goes out at once.
    pub const fn none() -> Self {
        Self {
            provision_on_demand: None,
            bulk_upload: None,
            shared_gate: false,
        }
    }

    /// Sets (or with `None` removes) the provisionOnDemand limit.
    pub const fn with_provision_on_demand(mut self, limit: Option<RateLimit>) -> Self {
        self.provision_on_demand = limit;
        self
    }

    /// Sets (or with `None` removes) the bulkUpload limit.
    pub const fn with_bulk_upload(mut self, limit: Option<RateLimit>) -> Self {
        self.bulk_upload = limit;
        self
    }

    /// Turns the shared throttle gate on or off.
    pub const fn with_shared_gate(mut self, on: bool) -> Self {
        self.shared_gate = on;
        self
    }

    /// The provisionOnDemand limit.
    pub const fn provision_on_demand(&self) -> Option<RateLimit> {
        self.provision_on_demand
    }

    /// The bulkUpload limit.
    pub const fn bulk_upload(&self) -> Option<RateLimit> {
        self.bulk_upload
    }

    /// Whether the shared gate is on.
    pub const fn shared_gate(&self) -> bool {
        self.shared_gate
    }
}

impl Default for RateLimits {
    fn default() -> Self {
        Self::documented()
    }
}

/// The limit class of a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Class {
    ProvisionOnDemand,
    BulkUpload,
    /// Every other request: Graph throttles an application per tenant, so they share one gate.
    Other,
}

/// A budget or gate: the class and, for per-job limits, the job (`<parent id>/<job id>`).
type Key = (Class, Option<String>);

#[derive(Default)]
struct State {
    /// Send times in the current window, per limited key (oldest first).
    windows: HashMap<Key, VecDeque<SystemTime>>,
    /// Until when requests of a key wait, after a `429` with `Retry-After`.
    gates: HashMap<Key, SystemTime>,
}

/// Keys kept before expired ones are pruned.
const PRUNE_AT: usize = 256;

/// The rate limiter and throttle gate of one client (shared by its clones).
#[derive(Clone)]
pub(crate) struct Throttle {
    limits: RateLimits,
    clock: Arc<dyn Clock>,
    state: Arc<Mutex<State>>,
}

impl fmt::Debug for Throttle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Throttle")
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl Throttle {
    pub(crate) fn new(limits: RateLimits, clock: Arc<dyn Clock>) -> Self {
        Self {
            limits,
            clock,
            state: Arc::default(),
        }
    }

    fn classify(operation: &str, method: Method, path: &str) -> Class {
        if method != Method::Post {
            Class::Other
        } else if operation.ends_with(".provisionOnDemand") || path.ends_with("/provisionOnDemand")
        {
            Class::ProvisionOnDemand
        } else if operation.ends_with(".bulkUpload") || path.ends_with("/bulkUpload") {
            Class::BulkUpload
        } else {
            Class::Other
        }
    }

    fn limit(&self, class: Class) -> Option<RateLimit> {
        match class {
            Class::ProvisionOnDemand => self.limits.provision_on_demand,
            Class::BulkUpload => self.limits.bulk_upload,
            Class::Other => None,
        }
    }

    /// `<parent id>/<job id>` from `…/{parent}/synchronization/jobs/{job}/…`.
    fn job_key(path: &str) -> Option<String> {
        let segments: Vec<&str> = path.split('/').collect();
        let i = segments
            .windows(2)
            .position(|w| w == ["synchronization", "jobs"])?;
        let parent = segments.get(i.checked_sub(1)?)?;
        let job = segments.get(i + 2).filter(|s| !s.is_empty())?;
        Some(format!("{parent}/{job}"))
    }

    fn keys(&self, operation: &str, method: Method, path: &str) -> (Key, Option<(Key, RateLimit)>) {
        let class = Self::classify(operation, method, path);
        let limit = self.limit(class);
        // The gate of a limited class follows the limit's scope; provisionOnDemand's service limit is
        // per job even when the client-side limit is off.
        let per_job = match (class, limit) {
            (Class::Other, _) => false,
            (_, Some(limit)) => limit.scope == LimitScope::PerJob,
            (Class::ProvisionOnDemand, None) => true,
            (Class::BulkUpload, None) => false,
        };
        let key = (class, if per_job { Self::job_key(path) } else { None });
        (key.clone(), limit.map(|l| (key, l)))
    }

    /// Waits until a request of `operation` to `path` may be sent: past any gate set by a `429`
    /// for the same limit, and within the client-side rate limit (its send is then counted).
    pub(crate) async fn acquire(&self, operation: &str, method: Method, path: &str) {
        let (gate_key, limited) = self.keys(operation, method, path);
        if !self.limits.shared_gate && limited.is_none() {
            return;
        }
        loop {
            let wait = {
                let now = self.clock.now();
                let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
                let gate_wait = if self.limits.shared_gate {
                    state.gates.get_mut(&gate_key).and_then(|until| {
                        // Bounded even if the wall clock jumps back.
                        let latest = now + RateLimits::MAX_GATE_WAIT;
                        if *until > latest {
                            *until = latest;
                        }
                        until.duration_since(now).ok().filter(|d| !d.is_zero())
                    })
                } else {
                    None
                };
                match (gate_wait, &limited) {
                    (Some(wait), _) => wait,
                    (None, None) => return,
                    (None, Some((key, limit))) => {
                        if state.windows.len() >= PRUNE_AT {
                            prune(&mut state, now, self.longest_window());
                        }
                        let window = state.windows.entry(key.clone()).or_default();
                        // After the wall clock jumps back, sends "in the future" count as now.
                        for t in window.iter_mut().filter(|t| **t > now) {
                            *t = now;
                        }
                        while window.front().is_some_and(|t| {
                            now.duration_since(*t).unwrap_or_default() >= limit.window()
                        }) {
                            window.pop_front();
                        }
                        if window.len() < limit.requests as usize {
                            window.push_back(now);
                            return;
                        }
                        // Full: the oldest send leaves the window at `oldest + window`.
                        let oldest = window.front().copied().unwrap_or(now);
                        (oldest + limit.window())
                            .duration_since(now)
                            .unwrap_or_default()
                            .max(Duration::from_millis(1))
                    }
                }
            };
            tracing::debug!(
                operation,
                wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                "waiting for the client-side rate limit or throttle gate"
            );
            self.clock.sleep(wait).await;
        }
    }

    /// Records that the service answered a request of `operation` to `path` with `429` and
    /// `Retry-After: retry_after`: other requests for the same limit wait until then.
    pub(crate) fn note_retry_after(
        &self,
        operation: &str,
        method: Method,
        path: &str,
        retry_after: Option<Duration>,
    ) {
        let Some(retry_after) = retry_after else {
            return;
        };
        if !self.limits.shared_gate || retry_after.is_zero() {
            return;
        }
        let (key, _) = self.keys(operation, method, path);
        let now = self.clock.now();
        let until = now + retry_after.min(RateLimits::MAX_GATE_WAIT);
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if state.gates.len() >= PRUNE_AT {
            state.gates.retain(|_, t| *t > now);
        }
        let slot = state.gates.entry(key).or_insert(until);
        if *slot < until {
            *slot = until;
        }
    }

    fn longest_window(&self) -> Duration {
        [self.limits.provision_on_demand, self.limits.bulk_upload]
            .into_iter()
            .flatten()
            .map(|l| l.window())
            .max()
            .unwrap_or_default()
    }
}

/// Drops windows whose sends have all left the longest window.
fn prune(state: &mut State, now: SystemTime, longest: Duration) {
    state.windows.retain(|_, sends| {
        sends
            .back()
            .is_some_and(|t| now.duration_since(*t).unwrap_or_default() < longest)
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::future::Future;
    use std::pin::Pin;

    /// A clock that records waits and advances by them.
    #[derive(Clone, Default)]
    struct TestClock(Arc<Mutex<(Duration, Vec<Duration>)>>);

    impl TestClock {
        fn sleeps(&self) -> Vec<Duration> {
            self.0.lock().unwrap().1.clone()
        }
        fn advance(&self, d: Duration) {
            self.0.lock().unwrap().0 += d;
        }
    }

    impl Clock for TestClock {
        fn now(&self) -> SystemTime {
            SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000) + self.0.lock().unwrap().0
        }
        fn sleep(&self, d: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + 'static>> {
            let mut s = self.0.lock().unwrap();
            s.0 += d;
            s.1.push(d);
            Box::pin(std::future::ready(()))
        }
    }

    const POD: &str = "servicePrincipals.synchronization.jobs.synchronizationJob.provisionOnDemand";
    const BULK: &str = "servicePrincipals.synchronization.jobs.synchronizationJob.bulkUpload";
    const START: &str = "servicePrincipals.synchronization.jobs.synchronizationJob.start";

    fn path(job: &str, action: &str) -> String {
        format!("/v1.0/servicePrincipals/sp/synchronization/jobs/{job}/{action}")
    }

    #[test]
    fn job_keys() {
        assert_eq!(
            Throttle::job_key(
                "/v1.0/servicePrincipals/sp/synchronization/jobs/j.1/provisionOnDemand"
            ),
            Some("sp/j.1".into())
        );
        assert_eq!(
            Throttle::job_key("/p/beta/servicePrincipals(appId='a')/synchronization/jobs/j"),
            Some("servicePrincipals(appId='a')/j".into())
        );
        assert_eq!(
            Throttle::job_key("/v1.0/servicePrincipals/sp/synchronization/jobs"),
            None
        );
        assert_eq!(
            Throttle::job_key("/v1.0/servicePrincipals/sp/synchronization/jobs/"),
            None
        );
        assert_eq!(Throttle::job_key("synchronization/jobs/x"), None);
    }

    #[tokio::test]
    async fn provision_on_demand_is_limited_per_job() {
        let clock = TestClock::default();
        let t = Throttle::new(RateLimits::documented(), Arc::new(clock.clone()));
        for _ in 0..5 {
            t.acquire(POD, Method::Post, &path("a", "provisionOnDemand"))
                .await;
        }
        assert!(clock.sleeps().is_empty());
        // Another job has its own budget.
        t.acquire(POD, Method::Post, &path("b", "provisionOnDemand"))
            .await;
        assert!(clock.sleeps().is_empty());
        // The sixth for job a waits until the first leaves the 10 s window (plus a 0.5 s margin).
        clock.advance(Duration::from_secs(3));
        t.acquire(POD, Method::Post, &path("a", "provisionOnDemand"))
            .await;
        assert_eq!(
            clock.sleeps(),
            [Duration::from_millis(7_500)],
            "the window and its margin"
        );
        // Other operations are not limited.
        for _ in 0..50 {
            t.acquire(START, Method::Post, &path("a", "start")).await;
        }
        assert_eq!(clock.sleeps().len(), 1);
    }

    #[tokio::test]
    async fn bulk_upload_is_limited_per_client_and_only_for_post() {
        let clock = TestClock::default();
        let t = Throttle::new(RateLimits::documented(), Arc::new(clock.clone()));
        for i in 0..40 {
            t.acquire(BULK, Method::Post, &path(&format!("j{i}"), "bulkUpload"))
                .await;
        }
        assert!(clock.sleeps().is_empty());
        t.acquire(BULK, Method::Get, &path("x", "bulkUpload")).await;
        assert!(clock.sleeps().is_empty());
        t.acquire(BULK, Method::Post, &path("x", "bulkUpload"))
            .await;
        assert_eq!(clock.sleeps(), [Duration::from_millis(1_050)]);
    }

    #[tokio::test]
    async fn limits_can_be_turned_off() {
        let clock = TestClock::default();
        let t = Throttle::new(RateLimits::none(), Arc::new(clock.clone()));
        for _ in 0..100 {
            t.acquire(POD, Method::Post, &path("a", "provisionOnDemand"))
                .await;
        }
        t.note_retry_after(
            START,
            Method::Post,
            &path("a", "start"),
            Some(Duration::from_secs(9)),
        );
        t.acquire(START, Method::Post, &path("a", "start")).await;
        assert!(clock.sleeps().is_empty());
        let custom = RateLimits::documented().with_provision_on_demand(Some(RateLimit::new(
            0,
            Duration::from_secs(2),
            LimitScope::PerClient,
        )));
        let t = Throttle::new(custom, Arc::new(clock.clone()));
        t.acquire(POD, Method::Post, &path("a", "provisionOnDemand"))
            .await;
        t.acquire(POD, Method::Post, &path("b", "provisionOnDemand"))
            .await;
        assert_eq!(clock.sleeps(), [Duration::from_millis(2_100)]);
    }

    #[tokio::test]
    async fn retry_after_gates_requests_of_the_same_limit_only() {
        let clock = TestClock::default();
        let t = Throttle::new(RateLimits::documented(), Arc::new(clock.clone()));
        t.note_retry_after(
            START,
            Method::Post,
            &path("a", "start"),
            Some(Duration::from_secs(4)),
        );
        // provisionOnDemand is its own limit: not gated by a 429 on start.
        t.acquire(POD, Method::Post, &path("a", "provisionOnDemand"))
            .await;
        assert!(clock.sleeps().is_empty());
        // Any other request of the client waits out the Retry-After.
        t.acquire(
            "x.get",
            Method::Get,
            "/v1.0/servicePrincipals/other/synchronization/jobs",
        )
        .await;
        assert_eq!(clock.sleeps(), [Duration::from_secs(4)]);
        t.acquire(START, Method::Post, &path("b", "start")).await;
        assert_eq!(clock.sleeps().len(), 1);

        // A provisionOnDemand 429 gates that job only; a shorter Retry-After never shortens a gate.
        t.note_retry_after(
            POD,
            Method::Post,
            &path("a", "provisionOnDemand"),
            Some(Duration::from_secs(6)),
        );
        t.note_retry_after(
            POD,
            Method::Post,
            &path("a", "provisionOnDemand"),
            Some(Duration::from_secs(1)),
        );
        t.acquire(POD, Method::Post, &path("b", "provisionOnDemand"))
            .await;
        assert_eq!(clock.sleeps().len(), 1);
        t.acquire(POD, Method::Post, &path("a", "provisionOnDemand"))
            .await;
        assert_eq!(clock.sleeps()[1..], [Duration::from_secs(6)]);

        // A hostile Retry-After is capped; none or zero sets no gate.
        t.note_retry_after(
            START,
            Method::Post,
            &path("a", "start"),
            Some(Duration::MAX),
        );
        t.acquire(START, Method::Post, &path("a", "start")).await;
        assert_eq!(clock.sleeps()[2], RateLimits::MAX_GATE_WAIT);
        t.note_retry_after(START, Method::Post, &path("a", "start"), None);
        t.note_retry_after(
            START,
            Method::Post,
            &path("a", "start"),
            Some(Duration::ZERO),
        );
        t.acquire(START, Method::Post, &path("a", "start")).await;
        assert_eq!(clock.sleeps().len(), 3);
    }

    #[tokio::test]
    async fn a_wall_clock_jumping_back_does_not_make_waits_longer_than_a_window() {
        let clock = TestClock::default();
        clock.advance(Duration::from_secs(3600));
        let t = Throttle::new(RateLimits::documented(), Arc::new(clock.clone()));
        for _ in 0..5 {
            t.acquire(POD, Method::Post, &path("a", "provisionOnDemand"))
                .await;
        }
        t.note_retry_after(
            START,
            Method::Post,
            &path("a", "start"),
            Some(Duration::from_secs(60)),
        );
        // One hour back.
        clock.0.lock().unwrap().0 -= Duration::from_secs(3600);
        t.acquire(POD, Method::Post, &path("a", "provisionOnDemand"))
            .await;
        t.acquire(START, Method::Post, &path("a", "start")).await;
        assert_eq!(
            clock.sleeps(),
            [
                RateLimit::PROVISION_ON_DEMAND.window(),
                RateLimits::MAX_GATE_WAIT
            ]
        );
    }

    #[tokio::test]
    async fn many_jobs_do_not_grow_state_without_bound() {
        let clock = TestClock::default();
        let t = Throttle::new(RateLimits::documented(), Arc::new(clock.clone()));
        for i in 0..2_000 {
            t.acquire(
                POD,
                Method::Post,
                &path(&format!("j{i}"), "provisionOnDemand"),
            )
            .await;
            clock.advance(Duration::from_millis(100));
        }
        let windows = t.state.lock().unwrap().windows.len();
        assert!(windows <= PRUNE_AT + 1, "{windows}");
        assert!(clock.sleeps().is_empty());
    }
}
