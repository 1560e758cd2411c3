//! A measurement, not a regular test (`#[ignore]`, real time, ~20 s): 8 workers send 240
//! single-operation bulkUploads to one job of the emulator, whose clock follows real time and
//! which answers 429 beyond 40 requests per second per job. Compares no client-side limits, the
//! shared throttle gate alone, and the documented limits with the gate:
//!
//! `cargo test -p msgraph-sync-tests --test toolkit_throttle_load -- --ignored --nocapture`

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use msgraph_sync::toolkit::bulk::{upload, user_operation};
use msgraph_sync::{Client, Nullable, RateLimits, SynchronizationJob};
use msgraph_sync_emulator::{App, Emulator};
use serde_json::json;

const SP: &str = "a1b2c3d4-0000-0000-0000-000000000003";
const OPERATIONS: usize = 240;
const WORKERS: usize = 8;

async fn run(limits: RateLimits) -> (usize, usize, f64) {
    let emulator = Emulator::builder()
        .realtime_clock(true)
        .request_log_limit(100_000)
        .app(App::new(SP).template("BoxOutDelta").valid_credentials())
        .start()
        .await
        .unwrap();
    let client = Client::builder()
        .base_url(emulator.base_url())
        .static_token("t")
        .rate_limits(limits)
        .build()
        .unwrap();
    let jobs = client.v1().service_principal(SP).synchronization().jobs();
    let body = SynchronizationJob {
        template_id: Nullable::Value("BoxOutDelta".into()),
        ..Default::default()
    };
    let id = jobs.create(&body).await.unwrap().id.unwrap();
    let next = Arc::new(AtomicUsize::new(0));
    let failed = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let (job, next, failed) = (
                jobs.job(id.as_str()),
                Arc::clone(&next),
                Arc::clone(&failed),
            );
            tokio::spawn(async move {
                while next.fetch_add(1, Ordering::SeqCst) < OPERATIONS {
                    let op = user_operation(
                        "b",
                        json!({"externalId": "x", "userName": "x@contoso.com"}),
                    )
                    .unwrap();
                    if !upload(&job, [op]).await.all_accepted() {
                        failed.fetch_add(1, Ordering::SeqCst);
                    }
                }
            })
        })
        .collect();
    for w in workers {
        w.await.unwrap();
    }
    let elapsed = started.elapsed().as_secs_f64();
    let sent = emulator
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/bulkUpload"))
        .count();
    (
        sent - OPERATIONS + failed.load(Ordering::SeqCst),
        failed.load(Ordering::SeqCst),
        elapsed,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement in real time; run with --ignored --nocapture"]
async fn throttled_answers_with_and_without_the_gate_and_limits() {
    for (name, limits) in [
        ("no client-side limits, no gate", RateLimits::none()),
        (
            "shared gate only",
            RateLimits::documented().with_bulk_upload(None),
        ),
        (
            "documented limits + gate (default)",
            RateLimits::documented(),
        ),
    ] {
        let (throttled, failed, secs) = run(limits).await;
        println!(
            "{name}: {OPERATIONS} uploads by {WORKERS} workers: {throttled} answered 429, {failed} failed after retries, {secs:.1} s"
        );
    }
}
