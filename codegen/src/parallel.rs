//! Parallel work: one pool of threads for the whole process, shared by every stage that splits its work.
//!
//! A run of the generator takes a few milliseconds and splits its work four times (the YAML in sections, the
//! typed document, validate beside lower, emit + format). Spawning threads for each split cost 0.05–0.25 ms
//! before a new thread ran (measured in fresh processes on a 2-vCPU VM), against 0.003–0.015 ms to wake a
//! thread that is already there; so the stages hand their work to rayon's pool, which [`start`] creates once,
//! with one thread per core.

use std::sync::{Mutex, OnceLock, PoisonError};

use rayon_core::ThreadPool;

/// The pool: one thread fewer than the cores, as the calling thread does a share of every split itself. `None`
/// on one core (or when no thread can be spawned): then everything runs on the calling thread.
fn pool() -> Option<&'static ThreadPool> {
    static POOL: OnceLock<Option<ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| {
        let helpers = crate::cores().saturating_sub(1);
        if helpers == 0 {
            return None;
        }
        rayon_core::ThreadPoolBuilder::new()
            .num_threads(helpers)
            .thread_name(|i| format!("msgraph-sync-codegen-{}", i + 1))
            .build()
            .ok()
    })
    .as_ref()
}

/// Starts the pool's threads now, so that they are running by the time the first stage splits its work.
/// Calling it is optional (the first split starts them) and calling it again does nothing.
pub(crate) fn start() {
    pool();
}

/// Calls `f(0)`, `f(1)`, … `f(n - 1)`, `f(0)` on this thread and the others on the pool, and returns the
/// results in that order. A panic in a call is resumed here once every call has finished.
pub(crate) fn run<R: Send>(n: usize, f: impl Fn(usize) -> R + Sync) -> Vec<R> {
    let Some(pool) = pool() else {
        return (0..n).map(f).collect();
    };
    let slots: Vec<Mutex<Option<R>>> = (0..n).map(|_| Mutex::new(None)).collect();
    let call = |i: usize, slot: &Mutex<Option<R>>| {
        let result = f(i);
        *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(result);
    };
    pool.in_place_scope(|scope| {
        for (i, slot) in slots.iter().enumerate().skip(1) {
            let call = &call;
            scope.spawn(move |_| call(i, slot));
        }
        if let Some(first) = slots.first() {
            call(0, first);
        }
    });
    slots
        .into_iter()
        .map(|slot| {
            slot.into_inner()
                .unwrap_or_else(PoisonError::into_inner)
                .expect("the scope ends after every call has filled its slot")
        })
        .collect()
}

/// Runs `a` on this thread and `b` on the pool, and returns both results. A panic in either is resumed here
/// once both have finished.
pub(crate) fn join<A, B: Send>(a: impl FnOnce() -> A, b: impl FnOnce() -> B + Send) -> (A, B) {
    let Some(pool) = pool() else {
        return (a(), b());
    };
    let slot = Mutex::new(None);
    let a = pool.in_place_scope(|scope| {
        scope.spawn(|_| *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(b()));
        a()
    });
    let b = slot
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
        .expect("the scope ends after `b` has filled its slot");
    (a, b)
}

#[cfg(test)]
mod tests {
    use super::{join, run};

    #[test]
    fn run_calls_every_index_once_and_keeps_order() {
        for n in [0, 1, 2, 3, 17] {
            let calls = std::sync::atomic::AtomicUsize::new(0);
            let out = run(n, |i| {
                calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                i * 10
            });
            assert_eq!(out, (0..n).map(|i| i * 10).collect::<Vec<_>>());
            assert_eq!(calls.into_inner(), n);
        }
    }

    #[test]
    fn calls_may_borrow_the_callers_data() {
        let words: Vec<String> = (0..64).map(|i| format!("word{i}")).collect();
        let lengths = run(words.len(), |i| words[i].len());
        assert_eq!(
            lengths.iter().sum::<usize>(),
            words.iter().map(String::len).sum::<usize>()
        );
        let (a, b) = join(|| words[..32].concat(), || words[32..].concat());
        assert_eq!(a + &b, words.concat());
    }

    #[test]
    fn a_panic_is_resumed_after_every_call_finished() {
        let finished = std::sync::atomic::AtomicUsize::new(0);
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            run(8, |i| {
                if i == 3 {
                    panic!("call 3 fails");
                }
                std::thread::sleep(std::time::Duration::from_millis(2));
                finished.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            })
        }));
        let payload = caught.expect_err("the panic reaches the caller");
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"call 3 fails"));
        assert_eq!(finished.into_inner(), 7);
    }
}
