//! Requests per second through the client against raw `reqwest` + `serde_json::from_slice`, on a
//! loopback server answering canned bodies: a job create (`201` with the seeded job) and a page of 100
//! jobs, one request at a time and 64 at once.
//!
//! Run with `cargo bench -p msgraph-sync --bench http`. With `-- --test`, or under `cargo test --benches`
//! as CI runs it, each case runs once, small, checking the answers; `-- --only SIDE` and
//! `-- --case list100x64` (say) run just that side or case, for a profiler. The sides:
//! - `client`: `jobs.create(&body)` / `jobs.list().top(100)`, decoded into `SynchronizationJob`s;
//! - `value`: a `reqwest::Client` a user builds, `bytes()` then `serde_json::from_slice::<Value>`;
//! - `typed`: the same, decoded into the crate's models with `serde_json::from_slice`, so only the
//!   runtime's own cost differs from `client`;
//! - `tracked`: the same, decoded with the runtime's `decode_json` (which tracks the JSON path of a
//!   failure with `serde_path_to_error`), so `client` against `tracked` is the transport alone.
//!
//! Every round runs each side once, in turn (client, value, typed, client, ...), on the same server and
//! connections kept alive; the figures are medians over the rounds, and the ratios medians of the
//! per-round ratios. Figures and method: `BENCHMARKS.md`.

use std::time::{Duration, Instant};

use msgraph_sync::{Client, Page, SynchronizationJob, decode_json};
use serde_json::Value;

#[path = "support/calls.rs"]
mod calls;
#[path = "support/server.rs"]
mod server;
#[path = "support/spec.rs"]
#[allow(dead_code)] // shared by the benches, each uses a part
mod spec;

const PAGE_ITEMS: usize = 100;
const ROUNDS: usize = 15;
/// How long one side's batch runs in a round.
const BATCH: Duration = Duration::from_millis(150);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Client,
    Value,
    Typed,
    Tracked,
}

impl Side {
    const ALL: [Side; 4] = [Side::Client, Side::Value, Side::Typed, Side::Tracked];

    fn name(self) -> &'static str {
        match self {
            Side::Client => "client",
            Side::Value => "value",
            Side::Typed => "typed",
            Side::Tracked => "tracked",
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
        let jobs_url = calls::jobs_url(&base);
        Sides {
            client: calls::client(&base),
            http: reqwest::Client::new(),
            list_url: format!("{jobs_url}?$top={PAGE_ITEMS}"),
            jobs_url,
        }
    }

    /// One request; the number of jobs decoded, so the answer is checked and nothing is optimised away.
    async fn call(&self, side: Side, call: Call) -> usize {
        match (side, call) {
            (Side::Client, Call::Create) => {
                usize::from(calls::client_create(&self.client).await.id.is_some())
            }
            (Side::Client, Call::List) => calls::client_list(&self.client, PAGE_ITEMS as u32)
                .await
                .value
                .len(),
            (_, Call::Create) => {
                let bytes = calls::raw_create(&self.http, &self.jobs_url).await;
                match side {
                    Side::Value => {
                        let job: Value = serde_json::from_slice(&bytes).expect("a job");
                        usize::from(job["id"].is_string())
                    }
                    Side::Typed => {
                        let job: SynchronizationJob =
                            serde_json::from_slice(&bytes).expect("a job");
                        usize::from(job.id.is_some())
                    }
                    _ => {
                        let job: SynchronizationJob = decode_json(&bytes).expect("a job");
                        usize::from(job.id.is_some())
                    }
                }
            }
            (_, Call::List) => {
                let bytes = calls::raw_get(&self.http, &self.list_url).await;
                match side {
                    Side::Value => {
                        let page: Value = serde_json::from_slice(&bytes).expect("a page");
                        page["value"].as_array().map_or(0, Vec::len)
                    }
                    Side::Typed => {
                        let page: Page<SynchronizationJob> =
                            serde_json::from_slice(&bytes).expect("a page");
                        page.value.len()
                    }
                    _ => {
                        let page: Page<SynchronizationJob> = decode_json(&bytes).expect("a page");
                        page.value.len()
                    }
                }
            }
        }
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
    // `cargo bench` passes `--bench`; without it (`cargo test --benches`) or with `--test`, run each
    // case once, small, as CI does.
    let test = args.iter().any(|a| a == "--test") || !args.iter().any(|a| a == "--bench");
    let only = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1))
        .map(|name| {
            *Side::ALL
                .iter()
                .find(|s| s.name() == name)
                .expect("--only client|value|typed|tracked")
        });
    let case = args
        .iter()
        .position(|a| a == "--case")
        .and_then(|i| args.get(i + 1));

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
            if case.is_some_and(|c| *c != format!("{name}x{concurrency}")) {
                continue;
            }
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

/// One line per side: median requests per second, and against each other side the median of the
/// per-round ratios with their range.
fn report(name: &str, concurrency: usize, n: usize, sides: &[Side], rates: &[Vec<f64>]) {
    println!("\n{name} x{concurrency}: {ROUNDS} rounds of {n} requests per side");
    for (side, r) in sides.iter().zip(rates) {
        println!(
            "  {:<7} median {:>9.0} req/s",
            side.name(),
            median(&mut r.clone())
        );
    }
    if sides.len() < Side::ALL.len() {
        return;
    }
    for (other, label) in [(1, "value"), (2, "typed"), (3, "tracked")] {
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
