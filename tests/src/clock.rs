//! A clock for the client's retry handler that records the requested waits and returns at once.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

/// Records every wait the retry handler asks for; `now` starts at a fixed instant and advances by
/// each recorded wait, so no test sleeps for real.
#[derive(Clone, Debug)]
pub struct RecordingClock {
    state: Arc<Mutex<State>>,
}

#[derive(Debug)]
struct State {
    now: SystemTime,
    sleeps: Vec<Duration>,
}

impl RecordingClock {
    /// The fixed start instant: `Wed, 21 Oct 2015 07:28:00 GMT`.
    pub const START_UNIX_SECS: u64 = 1_445_412_480;

    /// A clock starting at [`RecordingClock::START_UNIX_SECS`].
    pub fn new() -> Self {
        Self::at(SystemTime::UNIX_EPOCH + Duration::from_secs(Self::START_UNIX_SECS))
    }

    /// A clock starting at `now`.
    pub fn at(now: SystemTime) -> Self {
        Self {
            state: Arc::new(Mutex::new(State {
                now,
                sleeps: Vec::new(),
            })),
        }
    }

    /// The waits requested so far, in order.
    pub fn sleeps(&self) -> Vec<Duration> {
        self.lock().sleeps.clone()
    }

    /// The sum of the waits requested so far.
    pub fn total(&self) -> Duration {
        self.lock().sleeps.iter().sum()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Default for RecordingClock {
    fn default() -> Self {
        Self::new()
    }
}

impl msgraph_sync::Clock for RecordingClock {
    fn now(&self) -> SystemTime {
        self.lock().now
    }

    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + 'static>> {
        let mut state = self.lock();
        state.sleeps.push(duration);
        state.now += duration;
        Box::pin(std::future::ready(()))
    }
}
