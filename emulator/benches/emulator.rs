//! The emulator's speed and size on loopback.
//!
//! `cargo bench -p msgraph-sync-emulator` reports:
//! - `get_job/*`: a GET of one job, one request at a time and 64 at once, through a plain reqwest
//!   client and through `msgraph-sync`; divan's items/s is requests per second.
//! - `seed_1000_jobs`: creating 1,000 jobs over HTTP and giving each a schema of its own (PUT);
//!   printed once, the process's resident memory before, with the jobs sharing their template's
//!   schema, and after the PUTs (Linux `/proc/self/statm`).
//!
//! Start-up time is the binary's: `msgraph-sync-emulator --port 0 --exit-when-ready`, timed as a
//! whole process. `cargo test` runs each benchmark once as a test.

use std::sync::OnceLock;

use divan::Bencher;
use divan::counter::ItemsCount;
use msgraph_sync_emulator::{App, Emulator};
use tokio::runtime::Runtime;

const SP: &str = "a1b2c3d4-0000-0000-0000-000000000000";

fn main() {
    // The TLS provider msgraph-sync's features select (aws-lc-rs by default), for reqwest.
    msgraph_sync::install_crypto_provider();
    divan::main();
}

/// One multi-threaded runtime, the emulator on it, and one job.
struct Fixture {
    runtime: Runtime,
    emulator: Emulator,
    job_url: String,
    job_id: String,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap();
        let (emulator, job_id) = runtime.block_on(async {
            let emulator = Emulator::builder()
                .app(App::new(SP).template("BoxOutDelta").valid_credentials())
                .request_log_limit(0)
                .start()
                .await
                .unwrap();
            let response = reqwest::Client::new()
                .post(format!(
                    "{}/v1.0/servicePrincipals/{SP}/synchronization/jobs",
                    emulator.base_url()
                ))
                .bearer_auth("t")
                .header("content-type", "application/json")
                .body(r#"{"templateId":"BoxOutDelta"}"#)
                .send()
                .await
                .unwrap();
            let job: serde_json::Value = response.json().await.unwrap();
            (emulator, job["id"].as_str().unwrap().to_owned())
        });
        let job_url = format!(
            "{}/v1.0/servicePrincipals/{SP}/synchronization/jobs/{job_id}",
            emulator.base_url()
        );
        Fixture {
            runtime,
            emulator,
            job_url,
            job_id,
        }
    })
}

mod get_job {
    use super::*;

    #[divan::bench(args = [1, 64])]
    fn reqwest(bencher: Bencher, concurrency: usize) {
        let f = fixture();
        let client = reqwest::Client::new();
        bencher.counter(ItemsCount::new(concurrency)).bench(|| {
            f.runtime.block_on(async {
                let requests = (0..concurrency).map(|_| async {
                    let response = client
                        .get(&f.job_url)
                        .bearer_auth("t")
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(response.status(), 200);
                    response.bytes().await.unwrap()
                });
                futures_util::future::join_all(requests).await
            })
        });
    }

    #[divan::bench(args = [1, 64])]
    fn msgraph_sync(bencher: Bencher, concurrency: usize) {
        let f = fixture();
        let client = msgraph_sync::Client::builder()
            .base_url(f.emulator.base_url())
            .static_token("t")
            .build()
            .unwrap();
        let jobs = client.v1().service_principal(SP).synchronization().jobs();
        bencher.counter(ItemsCount::new(concurrency)).bench(|| {
            f.runtime.block_on(async {
                let requests =
                    (0..concurrency).map(|_| async { jobs.job(&f.job_id).get().await.unwrap() });
                futures_util::future::join_all(requests).await
            })
        });
    }
}

/// Resident memory of this process in bytes (Linux), or 0.
fn rss() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| {
            s.split_whitespace()
                .nth(1)
                .and_then(|p| p.parse::<u64>().ok())
        })
        .map_or(0, |pages| pages * 4096)
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn seed_1000_jobs(bencher: Bencher) {
    static PRINTED: OnceLock<()> = OnceLock::new();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    bencher.bench_local(|| {
        runtime.block_on(async {
            let before = rss();
            let emulator = Emulator::builder()
                .app(App::new(SP).template("BoxOutDelta"))
                .request_log_limit(0)
                .start()
                .await
                .unwrap();
            let client = reqwest::Client::new();
            let url = format!(
                "{}/v1.0/servicePrincipals/{SP}/synchronization/jobs",
                emulator.base_url()
            );
            for _ in 0..1000 {
                let response = client
                    .post(&url)
                    .bearer_auth("t")
                    .header("content-type", "application/json")
                    .body(r#"{"templateId":"BoxOutDelta"}"#)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 201);
            }
            let ids = emulator.job_ids(SP);
            assert_eq!(ids.len(), 1000);
            let shared = rss();
            // Each job gets a schema of its own (PUT), as after editing: no sharing left.
            let schema = msgraph_sync_emulator::default_schema().to_string();
            for id in &ids {
                let response = client
                    .put(format!("{url}/{id}/schema"))
                    .bearer_auth("t")
                    .header("content-type", "application/json")
                    .body(schema.clone())
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 204);
            }
            let snapshot_bytes = emulator.snapshot().to_string().len();
            let own = rss();
            PRINTED.get_or_init(|| {
                let mib = |b: u64| b as f64 / 1048576.0;
                eprintln!(
                    "1,000 jobs: resident memory {:.1} MiB before, {:.1} MiB with the jobs sharing \
                     their template's schema, {:.1} MiB with a schema each (+{:.1} MiB); snapshot \
                     {:.1} MiB of JSON",
                    mib(before),
                    mib(shared),
                    mib(own),
                    mib(own.saturating_sub(before)),
                    snapshot_bytes as f64 / 1048576.0
                );
            });
            emulator
        })
    });
}
