//! Requests per second through the client against raw `reqwest` + `serde_json::from_slice`, on a
//! loopback server answering canned bodies: a job create (`201` with the seeded job) and a page of 100
//! jobs, one request at a time and 64 at once.
//!
//! Run with `cargo bench -p msgraph-sync --bench http` (with `-- --test`: each case once, quickly, checking
//! the answers; `-- --only client` or `value` or `typed` runs just that side for a profiler). The sides:
//! - `client`: `jobs.create(&body)` / `jobs.list().top(100)`, decoded into `SynchronizationJob`s;
//! - `value`: a `reqwest::Client` a user builds, `bytes()` then `serde_json::from_slice::<Value>`;
//! - `typed`: the same, decoded into the crate's models, so only the runtime's own cost differs.
//!
//! Every round runs each side once, in turn (client, value, typed, client, ...), on the same server and
//! connections kept alive; the figures are medians over the rounds, and the ratios medians of the
//! per-round ratios. Figures and method: `BENCHMARKS.md`.

use std::time::{Duration, Instant};

use bytes::Bytes;
use msgraph_sync::{Client, Nullable, Page, SynchronizationJob};
use serde_json::Value;

#[path = "support/server.rs"]
mod server;
#[path = "support/spec.rs"]
#[allow(dead_code)] // shared by the benches, each uses a part
mod spec;

const SERVICE_PRINCIPAL: &str = "a1b2c3d4-0000-0000-0000-000000000000";
const TOKEN: &str = "bench-token";
const PAGE_ITEMS: usize = 100;
const ROUNDS: usize = 9;
/// How long one side's batch runs in a round.
const BATCH: Duration = Duration::from_millis(250);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Client,
    Value,
    Typed,
}

impl Side {
    const ALL: [Side; 3] = [Side::Client, Side::Value, Side::Typed];

    fn name(self) -> &'static str {
        match self {
            Side::Client => "client",
            Side::Value => "value",
            Side::Typed => "typed",
        }
    }
}

#[derive(Clone, Copy)]
enum Call {
    Create,
    List,
}

/// What every side needs: the crate's client and a user's plain `reqwest::Client`, both pointing at
/// the server.
#[derive(Clone)]
struct Sides {
    client: Client,
    http: reqwest::Client,
    jobs_url: String,
    list_url: String,
}

impl Sides {
    fn new(addr: std::net::SocketAddr) -> Sides {
        let base = format!("http://{addr}");
        let client = Client::builder()
            .base_url(&base)
            .static_token(TOKEN)
            .build()
            .expect("client builds");
        let jobs_url =
            format!("{base}/v1.0/servicePrincipals/{SERVICE_PRINCIPAL}/synchronization/jobs");
        Sides {
            client,
            http: reqwest::Client::new(),
            list_url: format!("{jobs_url}?$top={PAGE_ITEMS}"),
            jobs_url,
        }
    }

    /// One request; the number of jobs decoded, so the answer is checked and nothing is optimised away.
    async fn call(&self, side: Side, call: Call) -> usize {
        let jobs = self
            .client
            .v1()
            .service_principal(SERVICE_PRINCIPAL)
            .synchronization()
            .jobs();
        match (side, call) {
            (Side::Client, Call::Create) => {
                let body = SynchronizationJob {
                    template_id: Nullable::Value("BoxOutDelta".into()),
                    ..Default::default()
                };
                let job = jobs.create(&body).await.expect("create");
                usize::from(job.id.is_some())
            }
            (Side::Client, Call::List) => jobs
                .list()
                .top(PAGE_ITEMS as u32)
                .await
                .expect("list")
                .value
                .len(),
            (_, Call::Create) => {
                let body =
                    serde_json::to_vec(&serde_json::json!({"templateId": "BoxOutDelta"})).unwrap();
                let request = self
                    .http
                    .post(&self.jobs_url)
                    .bearer_auth(TOKEN)
                    .header("content-type", "application/json")
                    .body(body);
                let bytes = Self::bytes(request).await;
                if side == Side::Value {
                    let job: Value = serde_json::from_slice(&bytes).expect("a job");
                    usize::from(job["id"].is_string())
                } else {
                    let job: SynchronizationJob = serde_json::from_slice(&bytes).expect("a job");
                    usize::from(job.id.is_some())
                }
            }
            (_, Call::List) => {
                let bytes = Self::bytes(self.http.get(&self.list_url).bearer_auth(TOKEN)).await;
                if side == Side::Value {
                    let page: Value = serde_json::from_slice(&bytes).expect("a page");
                    page["value"].as_array().map_or(0, Vec::len)
                } else {
                    let page: Page<SynchronizationJob> =
                        serde_json::from_slice(&bytes).expect("a page");
                    page.value.len()
                }
            }
        }
    }

    async fn bytes(request: reqwest::RequestBuilder) -> Bytes {
        let response = request.send().await.expect("send");
        let response = response.error_for_status().expect("a success status");
        response.bytes().await.expect("body")
    }

    /// `n` requests, `concurrency` at a time; the time they took.
    async fn batch(&self, side: Side, call: Call, concurrency: usize, n: usize) -> Duration {
        let expected = match call {
            Call::Create => 1,
            Call::List => PAGE_ITEMS,
        };
        let start = Instant::now();
        if concurrency == 1 {
            for _ in 0..n {
                assert_eq!(self.call(side, call).await, expected);
            }
        } else {
            let tasks: Vec<_> = (0..concurrency)
                .map(|t| {
                    let sides = self.clone();
                    let share = n / concurrency + usize::from(t < n % concurrency);
                    tokio::spawn(async move {
                        for _ in 0..share {
                            assert_eq!(sides.call(side, call).await, expected);
                        }
                    })
                })
                .collect();
            for task in tasks {
                task.await.expect("task");
            }
        }
        start.elapsed()
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let test = args.iter().any(|a| a == "--test");
    let only = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1))
        .map(|name| {
            *Side::ALL
                .iter()
                .find(|s| s.name() == name)
                .expect("--only client|value|typed")
        });

    let spec = spec::load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../spec/msgraph-sync.yaml"
    ));
    let bodies = server::Bodies {
        created: spec::job(&spec).into(),
        page: spec::job_page(&spec, PAGE_ITEMS).into(),
    };
    println!(
        "bodies: created job {} bytes, page of {PAGE_ITEMS} jobs {} bytes",
        bodies.created.len(),
        bodies.page.len()
    );
    let server = server::Server::start(bodies, None);
    // The client side on this thread, the server on its own: one core each.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let sides = Sides::new(server.addr);
    let cases = [
        ("create", Call::Create, 1),
        ("create", Call::Create, 64),
        ("list100", Call::List, 1),
        ("list100", Call::List, 64),
    ];
    let chosen: Vec<Side> = match only {
        Some(side) => vec![side],
        None => Side::ALL.to_vec(),
    };

    runtime.block_on(async {
        for (name, call, concurrency) in cases {
            if test {
                for &side in &chosen {
                    sides.batch(side, call, concurrency, concurrency * 2).await;
                }
                println!("{name} x{concurrency}: every side answered and decoded");
                continue;
            }
            // Warm up (connections, allocator) and size the batch to about BATCH on the client.
            for &side in &chosen {
                sides.batch(side, call, concurrency, concurrency * 4).await;
            }
            let probe = (concurrency * 20).max(100);
            let took = sides.batch(chosen[0], call, concurrency, probe).await;
            let n = ((probe as f64 * BATCH.as_secs_f64() / took.as_secs_f64()) as usize)
                .max(concurrency);
            let mut rates = vec![Vec::new(); chosen.len()];
            for _ in 0..ROUNDS {
                for (i, &side) in chosen.iter().enumerate() {
                    let took = sides.batch(side, call, concurrency, n).await;
                    rates[i].push(n as f64 / took.as_secs_f64());
                }
            }
            report(name, concurrency, n, &chosen, &rates);
        }
    });
    drop(server);
}

/// One line per side: median requests per second, and against `value` and `typed` the median of the
/// per-round ratios with their range.
fn report(name: &str, concurrency: usize, n: usize, sides: &[Side], rates: &[Vec<f64>]) {
    println!("\n{name} x{concurrency}: {ROUNDS} rounds of {n} requests per side");
    for (side, r) in sides.iter().zip(rates) {
        println!(
            "  {:<6} median {:>9.0} req/s",
            side.name(),
            median(&mut r.clone())
        );
    }
    if sides.len() < 3 {
        return;
    }
    for (other, label) in [(1, "value"), (2, "typed")] {
        let mut ratios: Vec<f64> = rates[0]
            .iter()
            .zip(&rates[other])
            .map(|(a, b)| a / b)
            .collect();
        let (min, max) = ratios
            .iter()
            .fold((f64::MAX, f64::MIN), |(lo, hi), r| (lo.min(*r), hi.max(*r)));
        println!(
            "  client / {label}: median {:.3} (min {min:.3}, max {max:.3})",
            median(&mut ratios)
        );
    }
}
