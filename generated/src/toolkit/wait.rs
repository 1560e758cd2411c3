//! Waiting for a job: poll `GET …/jobs/{id}` until a [`Condition`] holds, or watch its status
//! change by change as a [`Stream`].
//!
//! # What the service asks of callers
//! - **Do not call `start` in a loop.** Repeated start calls on a running job can make the service
//!   stop it. Start a job only when it is paused or in quarantine (or new, never started);
//!   [`start_unless_running`] does exactly that.
//! - A job runs a cycle every `schedule.interval` (often 40 minutes); an initial cycle of a large
//!   directory can take hours. Poll every few tens of seconds, not faster: reading a job is itself
//!   subject to Graph throttling. The waiter backs off on throttling (honouring `Retry-After`)
//!   and on transient failures, and returns to its interval after the next success.
//! - After a restart the job keeps its previous `steadyStateLastAchievedTime` until the new run
//!   reaches steady state, so wait for steady state *after an instant*: the job's own
//!   `steadyStateLastAchievedTime` read before the restart is the instant free of clock skew.
//!
//! ```no_run
//! # async fn demo(client: msgraph_sync::Client) -> Result<(), Box<dyn std::error::Error>> {
//! use msgraph_sync::toolkit::wait::{Condition, JobWaiter};
//! use msgraph_sync::{Nullable, RestartRequestBody, SynchronizationJobRestartCriteria, SynchronizationJobRestartScope};
//! use std::time::Duration;
//!
//! let job = client.v1().service_principal("sp-id").synchronization().jobs().job("job-id");
//! // The steady-state instant before the restart: only a newer one counts.
//! let before = job.get().await?;
//! let since = Condition::steady_state_after_job(&before);
//! let criteria = SynchronizationJobRestartCriteria {
//!     reset_scope: Nullable::Value(SynchronizationJobRestartScope::RESTART_PROVISIONING),
//!     ..Default::default()
//! };
//! job.restart(&RestartRequestBody { criteria: Some(criteria), ..Default::default() }).await?;
//! let done = JobWaiter::new(job)
//!     .interval(Duration::from_secs(30))
//!     .timeout(Duration::from_secs(4 * 3600))
//!     .until(since)
//!     .await?; // a WaitError says which condition failed, with the last status (e.g. quarantine)
//! println!("steady again: {:?}", done.status.as_ref().and_then(|s| s.steady_state_last_achieved_time.clone()));
//! # Ok(()) }
//! ```

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use futures_core::Stream;

use crate::requests::SynchronizationJobRequests;

use crate::runtime::{Clock, DateTimeOffset, Error, Nullable, Version};
use crate::{
    Parent, StringKeyLongValuePair, SynchronizationJob, SynchronizationProgress,
    SynchronizationQuarantine, SynchronizationScheduleState, SynchronizationStatus,
    SynchronizationStatusCode, SynchronizationTaskExecution,
};

/// A check on a job, as read by `GET …/jobs/{id}`.
type Check = dyn Fn(&SynchronizationJob) -> bool + Send + Sync;

/// What a [`JobWaiter`] waits for. Its `Display` names it in errors.
///
/// ```
/// use msgraph_sync::toolkit::wait::Condition;
/// use msgraph_sync::{DateTimeOffset, SynchronizationJob};
///
/// let job: SynchronizationJob = serde_json::from_str(r#"{"status": {
///     "code": "Active", "steadyStateLastAchievedTime": "2019-11-20T16:17:24.7957721Z"}}"#).unwrap();
/// let since: DateTimeOffset = "2019-11-20T16:00:00Z".parse().unwrap();
/// assert!(Condition::steady_state_after(since).is_met(&job));
/// assert!(!Condition::quarantined().is_met(&job));
/// let active = Condition::matching("active", |job| {
///     job.status.as_ref().and_then(|s| s.code.clone()) == Some(msgraph_sync::SynchronizationStatusCode::Active)
/// });
/// assert!(active.is_met(&job));
/// assert_eq!(active.to_string(), "active");
/// ```
#[derive(Clone)]
pub struct Condition {
    kind: Kind,
}

#[derive(Clone)]
enum Kind {
    SteadyStateAfter(Option<DateTimeOffset>),
    Quarantined,
    CycleCompletedAfter(Option<DateTimeOffset>),
    Predicate(Arc<str>, Arc<Check>),
}

impl Condition {
    /// Steady state reached after `instant`: `status.steadyStateLastAchievedTime` is later than
    /// it. The service's "never" (`0001-01-01T00:00:00Z`) and `""` do not count.
    pub fn steady_state_after(instant: DateTimeOffset) -> Self {
        Self {
            kind: Kind::SteadyStateAfter(Some(instant)),
        }
    }

    /// Steady state reached after the one `job` (read earlier, e.g. before a restart) records;
    /// if it records none, any steady state counts. Free of clock skew between here and the
    /// service.
    pub fn steady_state_after_job(job: &SynchronizationJob) -> Self {
        Self {
            kind: Kind::SteadyStateAfter(
                status(job)
                    .and_then(|s| s.steady_state_last_achieved_time.clone())
                    .filter(is_set),
            ),
        }
    }

    /// The job is in quarantine (`status.code` is `Quarantine`, or `status.quarantine` is set).
    pub fn quarantined() -> Self {
        Self {
            kind: Kind::Quarantined,
        }
    }

    /// A cycle completed after `instant`: `status.lastExecution.timeEnded` is later than it
    /// (whatever the cycle's result; see [`SynchronizationTaskExecution::state`]).
    pub fn cycle_completed_after(instant: DateTimeOffset) -> Self {
        Self {
            kind: Kind::CycleCompletedAfter(Some(instant)),
        }
    }

    /// A cycle completed after the last one `job` (read earlier) records.
    pub fn cycle_completed_after_job(job: &SynchronizationJob) -> Self {
        Self {
            kind: Kind::CycleCompletedAfter(
                last_execution(job)
                    .and_then(|e| e.time_ended.clone())
                    .filter(is_set),
            ),
        }
    }

    /// Any check of the caller's; `name` says what it is in errors.
    pub fn matching(
        name: impl Into<String>,
        check: impl Fn(&SynchronizationJob) -> bool + Send + Sync + 'static,
    ) -> Self {
        Self {
            kind: Kind::Predicate(Arc::from(name.into()), Arc::new(check)),
        }
    }

    /// Whether `job` meets the condition.
    pub fn is_met(&self, job: &SynchronizationJob) -> bool {
        match &self.kind {
            Kind::SteadyStateAfter(after) => status(job)
                .and_then(|s| s.steady_state_last_achieved_time.as_ref())
                .is_some_and(|t| is_later(t, after.as_ref())),
            Kind::Quarantined => is_quarantined(job),
            Kind::CycleCompletedAfter(after) => last_execution(job)
                .and_then(|e| e.time_ended.as_ref())
                .is_some_and(|t| is_later(t, after.as_ref())),
            Kind::Predicate(_, check) => check(job),
        }
    }

    fn is_quarantine(&self) -> bool {
        matches!(self.kind, Kind::Quarantined)
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::SteadyStateAfter(Some(t)) => write!(f, "steady state after {t}"),
            Kind::SteadyStateAfter(None) => f.write_str("steady state"),
            Kind::Quarantined => f.write_str("quarantine"),
            Kind::CycleCompletedAfter(Some(t)) => write!(f, "a cycle completed after {t}"),
            Kind::CycleCompletedAfter(None) => f.write_str("a completed cycle"),
            Kind::Predicate(name, _) => f.write_str(name),
        }
    }
}

impl fmt::Debug for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Condition({self})")
    }
}

fn status(job: &SynchronizationJob) -> Option<&SynchronizationStatus> {
    job.status.as_ref()
}

fn last_execution(job: &SynchronizationJob) -> Option<&SynchronizationTaskExecution> {
    status(job).and_then(|s| s.last_execution.as_ref())
}

/// A date-time that is neither `""` nor the service's "never".
fn is_set(t: &DateTimeOffset) -> bool {
    !t.is_empty() && !t.is_min_value() && t.unix_timestamp().is_some()
}

fn instant(t: &DateTimeOffset) -> Option<(i64, u32)> {
    is_set(t).then(|| (t.unix_timestamp().unwrap_or(i64::MIN), t.nanosecond()))
}

/// Whether `t` is set and later than `after` (any set `t` when `after` is `None` or unset).
fn is_later(t: &DateTimeOffset, after: Option<&DateTimeOffset>) -> bool {
    match (instant(t), after.and_then(instant)) {
        (None, _) => false,
        (Some(_), None) => true,
        (Some(t), Some(after)) => t > after,
    }
}

/// Whether the job is in quarantine: `status.code` is `Quarantine` or `status.quarantine` is set.
///
/// ```
/// # use msgraph_sync::toolkit::wait::is_quarantined;
/// let job = serde_json::from_str(r#"{"status": {"code": "Paused", "quarantine": {"seriesCount": 2, "reason": ""}}}"#).unwrap();
/// assert!(is_quarantined(&job));
/// assert!(!is_quarantined(&Default::default()));
/// ```
pub fn is_quarantined(job: &SynchronizationJob) -> bool {
    status(job).is_some_and(|s| {
        s.code == Some(SynchronizationStatusCode::Quarantine) || s.quarantine.is_value()
    })
}

/// A one-line description of a job's status for logs and errors: code, quarantine (reason and
/// error), last execution.
///
/// ```
/// # use msgraph_sync::toolkit::wait::describe_status;
/// let job = serde_json::from_str(r#"{"status": {"code": "Quarantine", "quarantine": {
///     "reason": "EncounteredQuarantineException", "seriesCount": 2,
///     "error": {"code": "SalesforceInvalidCredentials", "message": "Your credentials are invalid."}}}}"#).unwrap();
/// assert_eq!(describe_status(&job),
///     "status Quarantine; quarantined (EncounteredQuarantineException, series 2): SalesforceInvalidCredentials: Your credentials are invalid.");
/// ```
pub fn describe_status(job: &SynchronizationJob) -> String {
    JobProgress::of(job).to_string()
}

/// How a [`JobWaiter`] polls.
#[derive(Clone)]
struct Options {
    interval: Duration,
    max_interval: Duration,
    timeout: Duration,
    fail_on_quarantine: bool,
    clock: Arc<dyn Clock>,
}

/// The production clock: wall time and `tokio::time::sleep`.
struct TokioClock;

impl Clock for TokioClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }

    fn sleep(
        &self,
        duration: Duration,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + 'static>> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// Polls one job: [`until`](JobWaiter::until) a [`Condition`] holds, or its
/// [`changes`](JobWaiter::changes) as a stream.
///
/// Defaults: poll every 20 s; on throttling or a transient failure (429/503/504, timeout,
/// connection error) wait `Retry-After` when the service sends one, otherwise back off
/// exponentially up to 5 minutes, and return to the interval after the next success; give up
/// after 1 hour; stop at once when the job enters quarantine while waiting for anything else.
/// Other errors (401, 403, 404, …) end the wait at once.
///
/// ```no_run
/// # async fn demo(client: msgraph_sync::Client) -> Result<(), Box<dyn std::error::Error>> {
/// use msgraph_sync::toolkit::wait::{Condition, JobWaiter, WaitError};
/// use std::time::Duration;
/// let job = client.v1().service_principal("sp-id").synchronization().jobs().job("job-id");
/// let started = msgraph_sync::DateTimeOffset::from_system_time(std::time::SystemTime::now())?;
/// match JobWaiter::new(job).timeout(Duration::from_secs(600)).until(Condition::cycle_completed_after(started)).await {
///     Ok(job) => println!("{}", msgraph_sync::toolkit::wait::describe_status(&job)),
///     Err(WaitError::Quarantined { job, .. }) => eprintln!("quarantined: {:?}", job.status),
///     Err(other) => eprintln!("{other}"),
/// }
/// # Ok(()) }
/// ```
pub struct JobWaiter<P, V> {
    job: SynchronizationJobRequests<P, V>,
    options: Options,
}

impl<P, V> fmt::Debug for JobWaiter<P, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JobWaiter")
            .field("job", &self.job)
            .field("interval", &self.options.interval)
            .field("max_interval", &self.options.max_interval)
            .field("timeout", &self.options.timeout)
            .field("fail_on_quarantine", &self.options.fail_on_quarantine)
            .finish()
    }
}

impl<P: Parent, V: Version> JobWaiter<P, V> {
    /// The default poll interval (20 s).
    pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(20);
    /// The default cap on the backed-off interval (5 min).
    pub const DEFAULT_MAX_INTERVAL: Duration = Duration::from_secs(300);
    /// The default timeout (1 h).
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(3600);

    /// A waiter on `job` (e.g. `client.v1().service_principal(sp).synchronization().jobs().job(id)`).
    pub fn new(job: SynchronizationJobRequests<P, V>) -> Self {
        Self {
            job,
            options: Options {
                interval: Self::DEFAULT_INTERVAL,
                max_interval: Self::DEFAULT_MAX_INTERVAL,
                timeout: Self::DEFAULT_TIMEOUT,
                fail_on_quarantine: true,
                clock: Arc::new(TokioClock),
            },
        }
    }

    /// The time between polls (at least 1 ms).
    pub fn interval(mut self, interval: Duration) -> Self {
        self.options.interval = interval.max(Duration::from_millis(1));
        self
    }

    /// The cap on the interval when backing off after throttling or failures (a `Retry-After`
    /// longer than this is still honoured).
    pub fn max_interval(mut self, max_interval: Duration) -> Self {
        self.options.max_interval = max_interval;
        self
    }

    /// How long [`until`](Self::until) waits in all; the job is read once more at the deadline.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = timeout;
        self
    }

    /// Whether entering quarantine ends a wait for another condition with
    /// [`WaitError::Quarantined`] (default `true`).
    pub fn fail_on_quarantine(mut self, fail: bool) -> Self {
        self.options.fail_on_quarantine = fail;
        self
    }

    /// Installs a clock (for tests: no real sleeping).
    #[doc(hidden)]
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.options.clock = Arc::new(clock);
        self
    }

    /// Polls until `condition` holds and returns the job as last read, or a [`WaitError`] naming
    /// the condition with the last status read.
    pub async fn until(self, condition: Condition) -> Result<SynchronizationJob, WaitError> {
        let opts = &self.options;
        let clock = &opts.clock;
        let started = clock.now();
        let deadline = started.checked_add(opts.timeout);
        let mut last_job: Option<Box<SynchronizationJob>> = None;
        let mut last_error: Option<Box<Error>>;
        let mut failures = 0u32;
        // Also counted, so a wall clock jumping back cannot stretch the wait past the timeout.
        let mut slept = Duration::ZERO;
        loop {
            let wait = match self.job.get().await {
                Ok(job) => {
                    if condition.is_met(&job) {
                        return Ok(job);
                    }
                    if opts.fail_on_quarantine && !condition.is_quarantine() && is_quarantined(&job)
                    {
                        return Err(WaitError::Quarantined {
                            condition,
                            job: Box::new(job),
                        });
                    }
                    failures = 0;
                    last_error = None;
                    last_job = Some(Box::new(job));
                    opts.interval
                }
                Err(error) if error.is_retryable() => {
                    failures += 1;
                    let wait = backoff(opts, failures, error.retry_after());
                    tracing::debug!(%error, failures, "job poll failed; backing off");
                    last_error = Some(Box::new(error));
                    wait
                }
                Err(error) => {
                    return Err(WaitError::Request {
                        condition,
                        error: Box::new(error),
                        last_job,
                    });
                }
            };
            let now = clock.now();
            let remaining = deadline
                .map(|d| d.duration_since(now).unwrap_or_default())
                .unwrap_or(Duration::MAX)
                .min(opts.timeout.saturating_sub(slept));
            if remaining.is_zero() {
                return Err(WaitError::TimedOut {
                    condition,
                    waited: now.duration_since(started).unwrap_or_default().max(slept),
                    last_job,
                    last_error,
                });
            }
            let wait = wait.min(remaining);
            clock.sleep(wait).await;
            slept += wait;
        }
    }

    /// The job's status changes as a stream, each change once: the first item is the status
    /// when the stream is first polled, then one item whenever the code, the last execution
    /// (state, times, counters), quarantine, steady state, progress or entry counts differ from
    /// the previous item. Throttling and transient failures are waited out as in
    /// [`until`](Self::until) (the timeout does not apply); any other error is the stream's last
    /// item.
    ///
    /// ```no_run
    /// # async fn demo(client: msgraph_sync::Client) {
    /// use futures_util::StreamExt;
    /// use msgraph_sync::toolkit::wait::JobWaiter;
    /// let job = client.v1().service_principal("sp-id").synchronization().jobs().job("job-id");
    /// let mut changes = std::pin::pin!(JobWaiter::new(job).changes());
    /// while let Some(change) = changes.next().await {
    ///     match change {
    ///         Ok(change) => println!("{}", change.progress),
    ///         Err(error) => { eprintln!("{error}"); break }
    ///     }
    /// }
    /// # }
    /// ```
    pub fn changes(self) -> impl Stream<Item = Result<JobStatusChange, Error>> + Send + 'static
    where
        P: 'static,
        V: 'static,
    {
        struct State<P, V> {
            waiter: JobWaiter<P, V>,
            previous: Option<JobProgress>,
            first: bool,
            done: bool,
        }
        let state = State {
            waiter: self,
            previous: None,
            first: true,
            done: false,
        };
        futures_util::stream::unfold(state, |mut st| async move {
            if st.done {
                return None;
            }
            let mut failures = 0u32;
            let mut sleep_first = !st.first;
            st.first = false;
            loop {
                if sleep_first {
                    st.waiter
                        .options
                        .clock
                        .sleep(st.waiter.options.interval)
                        .await;
                }
                sleep_first = true;
                match st.waiter.job.get().await {
                    Ok(job) => {
                        failures = 0;
                        let progress = JobProgress::of(&job);
                        if st.previous.as_ref() != Some(&progress) {
                            let previous = st.previous.replace(progress.clone());
                            let change = JobStatusChange {
                                progress,
                                previous,
                                job,
                            };
                            return Some((Ok(change), st));
                        }
                    }
                    Err(error) if error.is_retryable() => {
                        failures += 1;
                        let wait = backoff(&st.waiter.options, failures, error.retry_after());
                        st.waiter.options.clock.sleep(wait).await;
                        sleep_first = false;
                    }
                    Err(error) => {
                        st.done = true;
                        return Some((Err(error), st));
                    }
                }
            }
        })
    }
}

/// The wait after the `failures`-th failure in a row: the service's `Retry-After` if it sent one,
/// otherwise the interval doubled per failure, capped at the maximum interval.
fn backoff(opts: &Options, failures: u32, retry_after: Option<Duration>) -> Duration {
    let doubled = opts
        .interval
        .saturating_mul(1u32 << failures.min(16))
        .min(opts.max_interval.max(opts.interval));
    match retry_after {
        Some(wait) => wait.max(opts.interval),
        None => doubled,
    }
}

/// Why a [`JobWaiter::until`] ended without its condition.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaitError {
    /// The timeout passed; the job was read once more at the deadline.
    TimedOut {
        /// The condition waited for.
        condition: Condition,
        /// How long the waiter waited.
        waited: Duration,
        /// The job as last read, if any read succeeded.
        last_job: Option<Box<SynchronizationJob>>,
        /// The last error, when the last poll failed (throttling, a transient failure).
        last_error: Option<Box<Error>>,
    },
    /// The job entered quarantine while the waiter waited for something else.
    Quarantined {
        /// The condition waited for.
        condition: Condition,
        /// The job as read, with `status.quarantine` (reason, error, next attempt).
        job: Box<SynchronizationJob>,
    },
    /// Reading the job failed with an error that waiting does not cure (401, 403, 404, …).
    Request {
        /// The condition waited for.
        condition: Condition,
        /// The error.
        error: Box<Error>,
        /// The job as last read, if any read succeeded.
        last_job: Option<Box<SynchronizationJob>>,
    },
}

impl WaitError {
    /// The condition that was not met.
    pub fn condition(&self) -> &Condition {
        match self {
            WaitError::TimedOut { condition, .. }
            | WaitError::Quarantined { condition, .. }
            | WaitError::Request { condition, .. } => condition,
        }
    }

    /// The job as last read.
    pub fn last_job(&self) -> Option<&SynchronizationJob> {
        match self {
            WaitError::TimedOut { last_job, .. } | WaitError::Request { last_job, .. } => {
                last_job.as_deref()
            }
            WaitError::Quarantined { job, .. } => Some(job),
        }
    }

    /// The job's status as last read.
    pub fn last_status(&self) -> Option<&SynchronizationStatus> {
        self.last_job().and_then(status)
    }

    /// The quarantine of the job as last read (reason, error, next attempt), if it was in one.
    pub fn quarantine(&self) -> Option<&SynchronizationQuarantine> {
        self.last_status().and_then(|s| s.quarantine.as_ref())
    }
}

impl fmt::Display for WaitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaitError::TimedOut {
                condition,
                waited,
                last_error,
                ..
            } => {
                write!(f, "timed out after {waited:?} waiting for {condition}")?;
                if let Some(error) = last_error {
                    write!(f, "; last poll failed: {error}")?;
                }
            }
            WaitError::Quarantined { condition, .. } => {
                write!(
                    f,
                    "the job entered quarantine while waiting for {condition}"
                )?;
            }
            WaitError::Request {
                condition, error, ..
            } => write!(
                f,
                "reading the job failed while waiting for {condition}: {error}"
            )?,
        }
        if let Some(job) = self.last_job() {
            write!(f, "; last {}", describe_status(job))?;
        }
        Ok(())
    }
}

impl std::error::Error for WaitError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WaitError::Request { error, .. } => Some(&**error),
            WaitError::TimedOut {
                last_error: Some(error),
                ..
            } => Some(&**error),
            _ => None,
        }
    }
}

/// The parts of a job's status a progress display shows; two reads with equal `JobProgress` are
/// "no change". `Display` is a one-line summary.
///
/// ```
/// # use msgraph_sync::toolkit::wait::JobProgress;
/// let job = serde_json::from_str(r#"{"status": {"code": "Active", "lastExecution": {
///     "state": "Succeeded", "countImported": 3, "countExported": 2, "countEscrowed": 15,
///     "timeEnded": "2019-11-20T16:17:24.7488681Z"},
///     "steadyStateLastAchievedTime": "2019-11-20T16:17:24.7957721Z",
///     "synchronizedEntryCountByType": [{"key": "user to User", "value": 3}]}}"#).unwrap();
/// let progress = JobProgress::of(&job);
/// assert_eq!(progress.to_string(), "status Active; last run Succeeded, ended 2019-11-20T16:17:24.7488681Z \
///     (imported 3, exported 2, escrowed 15); steady state 2019-11-20T16:17:24.7957721Z; user to User: 3");
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct JobProgress {
    /// `status.code`.
    pub code: Option<SynchronizationStatusCode>,
    /// `schedule.state`.
    pub schedule: Option<SynchronizationScheduleState>,
    /// `status.lastExecution`.
    pub last_execution: Option<SynchronizationTaskExecution>,
    /// `status.quarantine`.
    pub quarantine: Option<SynchronizationQuarantine>,
    /// `status.steadyStateLastAchievedTime`.
    pub steady_state_last_achieved_time: Option<DateTimeOffset>,
    /// `status.countSuccessiveCompleteFailures`.
    pub count_successive_complete_failures: Option<i64>,
    /// `status.progress`.
    pub progress: Vec<SynchronizationProgress>,
    /// `status.synchronizedEntryCountByType`.
    pub synchronized_entry_count_by_type: Vec<StringKeyLongValuePair>,
}

impl JobProgress {
    /// The progress parts of `job`.
    pub fn of(job: &SynchronizationJob) -> Self {
        let s = status(job);
        Self {
            code: s.and_then(|s| s.code.clone()),
            schedule: job.schedule.as_ref().and_then(|s| s.state.clone()),
            last_execution: s.and_then(|s| s.last_execution.as_ref().cloned()),
            quarantine: s.and_then(|s| s.quarantine.as_ref().cloned()),
            steady_state_last_achieved_time: s
                .and_then(|s| s.steady_state_last_achieved_time.clone())
                .filter(is_set),
            count_successive_complete_failures: s
                .and_then(|s| s.count_successive_complete_failures),
            progress: list(s.map(|s| &s.progress)),
            synchronized_entry_count_by_type: list(s.map(|s| &s.synchronized_entry_count_by_type)),
        }
    }
}

impl fmt::Display for JobProgress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.code {
            Some(code) => write!(f, "status {code}")?,
            None => f.write_str("status unknown")?,
        }
        if let Some(q) = &self.quarantine {
            f.write_str("; quarantined (")?;
            match &q.reason {
                Some(reason) if !reason.as_str().is_empty() => write!(f, "{reason}")?,
                _ => f.write_str("no reason given")?,
            }
            if let Some(n) = q.series_count {
                write!(f, ", series {n}")?;
            }
            f.write_str(")")?;
            if let Some(next) = q.next_attempt.as_ref().filter(|t| is_set(t)) {
                write!(f, ", next attempt {next}")?;
            }
            if let Some(e) = q.error.as_ref() {
                if let Some(code) = e.code.as_ref() {
                    write!(f, ": {code}")?;
                }
                if let Some(message) = e.message.as_ref() {
                    write!(f, ": {message}")?;
                }
            }
        }
        if let Some(e) = &self.last_execution {
            f.write_str("; last run")?;
            if let Some(state) = &e.state {
                write!(f, " {state}")?;
            }
            if let Some(ended) = e.time_ended.as_ref().filter(|t| is_set(t)) {
                write!(f, ", ended {ended}")?;
            }
            write!(
                f,
                " (imported {}, exported {}, escrowed {})",
                e.count_imported.unwrap_or(0),
                e.count_exported.unwrap_or(0),
                e.count_escrowed.unwrap_or(0)
            )?;
            if let Some(code) = e.error.as_ref().and_then(|e| e.code.as_ref()) {
                write!(f, ", error {code}")?;
            }
        }
        if let Some(t) = &self.steady_state_last_achieved_time {
            write!(f, "; steady state {t}")?;
        }
        for p in &self.progress {
            write!(
                f,
                "; progress {}/{}",
                p.completed_units.unwrap_or(0),
                p.total_units.unwrap_or(0)
            )?;
            if let Some(units) = p.units.as_ref() {
                write!(f, " {units}")?;
            }
        }
        for c in &self.synchronized_entry_count_by_type {
            write!(
                f,
                "; {}: {}",
                c.key.as_ref().map_or("?", String::as_str),
                c.value.unwrap_or(0)
            )?;
        }
        Ok(())
    }
}

fn list<T: Clone>(items: Option<&Nullable<Vec<T>>>) -> Vec<T> {
    items
        .and_then(Nullable::as_ref)
        .cloned()
        .unwrap_or_default()
}

/// One change of a job's status, from [`JobWaiter::changes`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct JobStatusChange {
    /// The progress now.
    pub progress: JobProgress,
    /// The progress of the previous item (`None` for the first).
    pub previous: Option<JobProgress>,
    /// The job as read.
    pub job: SynchronizationJob,
}

/// What [`start_unless_running`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StartOutcome {
    /// The job was already running (`status.code` `Active` and `schedule.state` `Active`, not in
    /// quarantine): start was not called.
    AlreadyRunning,
    /// Start was called; the job had this status code (e.g. `Paused`, `Quarantine`,
    /// `NotConfigured` for a new job).
    Started(Option<SynchronizationStatusCode>),
}

/// Starts the job only if it is not running, as the service asks: reads the job, and calls
/// `start` only when it is paused, in quarantine, or never started. Safe to call from a loop or a
/// scheduled task, unlike `start` itself.
///
/// ```no_run
/// # async fn demo(client: msgraph_sync::Client) -> Result<(), msgraph_sync::Error> {
/// use msgraph_sync::toolkit::wait::{StartOutcome, start_unless_running};
/// let job = client.v1().service_principal("sp-id").synchronization().jobs().job("job-id");
/// if let StartOutcome::Started(was) = start_unless_running(&job).await? {
///     println!("started a job that was {was:?}");
/// }
/// # Ok(()) }
/// ```
pub async fn start_unless_running<P: Parent, V: Version>(
    job: &SynchronizationJobRequests<P, V>,
) -> Result<StartOutcome, Error> {
    let current = job.get().await?;
    let code = status(&current).and_then(|s| s.code.clone());
    let scheduled = current.schedule.as_ref().and_then(|s| s.state.clone());
    let running = code == Some(SynchronizationStatusCode::Active)
        && scheduled != Some(SynchronizationScheduleState::Paused)
        && scheduled != Some(SynchronizationScheduleState::Disabled)
        && !is_quarantined(&current);
    if running {
        return Ok(StartOutcome::AlreadyRunning);
    }
    job.start().await?;
    Ok(StartOutcome::Started(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(json: &str) -> SynchronizationJob {
        serde_json::from_str(json).unwrap()
    }

    fn t(s: &str) -> DateTimeOffset {
        s.parse().unwrap()
    }

    #[test]
    fn steady_state_needs_a_later_real_instant() {
        let never = job(r#"{"status": {"steadyStateLastAchievedTime": "0001-01-01T00:00:00Z"}}"#);
        let empty = job(r#"{"status": {"steadyStateLastAchievedTime": ""}}"#);
        let at = job(r#"{"status": {"steadyStateLastAchievedTime": "2024-01-01T10:00:00.5Z"}}"#);
        let c = Condition::steady_state_after(t("2024-01-01T10:00:00Z"));
        assert!(!c.is_met(&never) && !c.is_met(&empty) && !c.is_met(&Default::default()));
        assert!(c.is_met(&at));
        // Same instant in another offset, and a fraction later or earlier.
        assert!(!Condition::steady_state_after(t("2024-01-01T11:00:00.5+01:00")).is_met(&at));
        assert!(Condition::steady_state_after(t("2024-01-01T11:00:00.4999999+01:00")).is_met(&at));
        // After the job's own (unset) instant: any real steady state.
        let since = Condition::steady_state_after_job(&never);
        assert_eq!(since.to_string(), "steady state");
        assert!(since.is_met(&at) && !since.is_met(&never));
        let since = Condition::steady_state_after_job(&at);
        assert!(!since.is_met(&at));
    }

    #[test]
    fn cycles_and_quarantine() {
        let ran = job(
            r#"{"status": {"lastExecution": {"timeEnded": "2024-01-01T10:00:01Z", "state": "Failed"}}}"#,
        );
        assert!(Condition::cycle_completed_after(t("2024-01-01T10:00:00Z")).is_met(&ran));
        assert!(!Condition::cycle_completed_after_job(&ran).is_met(&ran));
        let q = job(r#"{"status": {"code": "Quarantine"}}"#);
        assert!(Condition::quarantined().is_met(&q) && is_quarantined(&q));
        assert_eq!(Condition::quarantined().to_string(), "quarantine");
    }

    #[test]
    fn backoff_doubles_honours_retry_after_and_is_capped() {
        let o = Options {
            interval: Duration::from_secs(10),
            max_interval: Duration::from_secs(60),
            timeout: Duration::ZERO,
            fail_on_quarantine: true,
            clock: Arc::new(TokioClock),
        };
        assert_eq!(backoff(&o, 1, None), Duration::from_secs(20));
        assert_eq!(backoff(&o, 2, None), Duration::from_secs(40));
        assert_eq!(backoff(&o, 3, None), Duration::from_secs(60));
        assert_eq!(backoff(&o, u32::MAX, None), Duration::from_secs(60));
        assert_eq!(
            backoff(&o, 1, Some(Duration::from_secs(90))),
            Duration::from_secs(90)
        );
        assert_eq!(
            backoff(&o, 1, Some(Duration::from_secs(1))),
            Duration::from_secs(10)
        );
    }

    #[test]
    fn progress_ignores_unset_steady_state_and_sees_quarantine_changes() {
        let a = JobProgress::of(&job(
            r#"{"status": {"code": "Active", "steadyStateLastAchievedTime": "0001-01-01T00:00:00Z"}}"#,
        ));
        assert_eq!(a.steady_state_last_achieved_time, None);
        let b = JobProgress::of(&job(
            r#"{"status": {"code": "Active", "quarantine": {"seriesCount": 1}}}"#,
        ));
        assert_ne!(a, b);
        assert_eq!(
            b.to_string(),
            "status Active; quarantined (no reason given, series 1)"
        );
        assert_eq!(
            JobProgress::of(&Default::default()).to_string(),
            "status unknown"
        );
    }
}
