//! Memory: peak resident memory with 1,000 requests in flight at once, and the memory each idle client
//! takes, for the crate's `Client` against a plain `reqwest::Client` (+ `serde_json::Value`).
//!
//! Run with `cargo bench -p msgraph-sync --bench memory` (with `-- --test`, or under `cargo test
//! --benches`, each case once, small). Each measurement runs in a child process of its own (this binary
//! again, with `--child`), so that its `VmHWM` (peak resident set, from `/proc/self/status`) is its own;
//! the loopback server runs in this, the parent, process. Children alternate client, reqwest, client,
//! reqwest, ...; figures are medians.
//! Figures and method: `BENCHMARKS.md`.

use std::process::Command;

use futures_util::future::BoxFuture;

#[path = "support/calls.rs"]
#[allow(dead_code)] // shared by the benches, each uses a part
mod calls;
#[path = "support/server.rs"]
mod server;
#[path = "support/spec.rs"]
#[allow(dead_code)] // shared by the benches, each uses a part
mod spec;

const ROUNDS: usize = 5;

/// `VmRSS` and `VmHWM` of this process, in KiB.
fn rss_hwm() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or_else(|| panic!("no {name} in /proc/self/status"))
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--child") {
        let arg = |k: usize| args.get(i + k).expect("--child MODE SIDE URL N").as_str();
        let n = arg(4).parse().expect("a count");
        return child(arg(1), arg(2), arg(3), n);
    }
    // `cargo bench` passes `--bench`; without it (`cargo test --benches`) or with `--test`, run each
    // case once, small, as CI does.
    let test = args.iter().any(|a| a == "--test") || !args.iter().any(|a| a == "--bench");
    let (in_flight, idle, rounds) = if test {
        (20, 4, 1)
    } else {
        (1000, 200, ROUNDS)
    };

    let spec = spec::load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../spec/msgraph-sync.yaml"
    ));
    let bodies = server::Bodies {
        created: spec::job(&spec).into(),
        page: spec::job_page(&spec, 1).into(),
    };
    for (mode, n) in [("inflight", in_flight), ("idle", idle)] {
        let mut figures: Vec<Vec<Vec<f64>>> = vec![Vec::new(), Vec::new()];
        let mut infos = std::collections::BTreeSet::new();
        for _ in 0..rounds {
            for (s, side) in ["client", "reqwest"].into_iter().enumerate() {
                // A fresh server per child, its gate set to hold answers until all are in flight.
                let server =
                    server::Server::start(bodies.clone(), (mode == "inflight").then_some(n));
                let url = format!("http://{}", server.addr);
                let out = Command::new(std::env::current_exe().expect("this binary"))
                    .args(["--child", mode, side, &url, &n.to_string()])
                    .output()
                    .expect("child runs");
                let stdout = String::from_utf8_lossy(&out.stdout);
                assert!(
                    out.status.success(),
                    "child failed: {stdout}{}",
                    String::from_utf8_lossy(&out.stderr)
                );
                if let Some(info) = stdout.lines().find_map(|l| l.strip_prefix("INFO ")) {
                    infos.insert(info.to_owned());
                }
                let line = stdout
                    .lines()
                    .find_map(|l| l.strip_prefix("RESULT "))
                    .expect("a RESULT line");
                figures[s].push(
                    line.split_whitespace()
                        .map(|v| v.parse().expect("a number"))
                        .collect(),
                );
            }
        }
        report(mode, n, &figures);
        for info in infos {
            println!("  {info}");
        }
    }
}

fn report(mode: &str, n: usize, figures: &[Vec<Vec<f64>>]) {
    let labels: &[&str] = if mode == "inflight" {
        &[
            "baseline RSS KiB",
            "peak RSS KiB (VmHWM)",
            "peak - baseline KiB",
            "per request KiB",
        ]
    } else {
        &[
            "baseline RSS KiB",
            "per idle client KiB (built)",
            "per client KiB after 1 request",
        ]
    };
    println!(
        "\n{mode} (n = {n}), medians over {} rounds:",
        figures[0].len()
    );
    for (k, label) in labels.iter().enumerate() {
        let med = |s: usize| {
            let mut v: Vec<f64> = figures[s].iter().map(|f| f[k]).collect();
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        let (a, b) = (med(0), med(1));
        println!(
            "  {label:<32} client {a:>10.1}  reqwest {b:>10.1}  client/reqwest {:.3}",
            a / b
        );
    }
}

/// One measurement, printed as `RESULT` and numbers in KiB.
fn child(mode: &str, side: &str, url: &str, n: usize) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let build = || -> Box<dyn Fn() -> BoxFuture<'static, ()>> {
        if side == "client" {
            let client = calls::client(url);
            Box::new(move || {
                let client = client.clone();
                Box::pin(async move {
                    assert!(calls::client_create(&client).await.id.is_some());
                })
            })
        } else {
            let (http, jobs_url) = (reqwest::Client::new(), calls::jobs_url(url));
            Box::new(move || {
                let (http, jobs_url) = (http.clone(), jobs_url.clone());
                Box::pin(async move {
                    let bytes = calls::raw_create(&http, &jobs_url).await;
                    let job: serde_json::Value = serde_json::from_slice(&bytes).expect("a job");
                    assert!(job["id"].is_string());
                })
            })
        }
    };
    runtime.block_on(async {
        if mode == "inflight" {
            if side == "client" {
                // What one call keeps while in flight, besides its connection: its boxed future.
                let client = calls::client(url);
                let body = msgraph_sync::SynchronizationJob::default();
                let jobs = client
                    .v1()
                    .service_principal(calls::SERVICE_PRINCIPAL)
                    .synchronization()
                    .jobs();
                let future = std::future::IntoFuture::into_future(jobs.create(&body));
                println!(
                    "INFO the client's request future: {} bytes",
                    size_of_val(&*future)
                );
            }
            let call = build();
            let (baseline, _) = rss_hwm();
            let tasks: Vec<_> = (0..n).map(|_| tokio::spawn(call())).collect();
            for task in tasks {
                task.await.expect("request");
            }
            let (_, peak) = rss_hwm();
            let grown = peak.saturating_sub(baseline) as f64;
            println!("RESULT {baseline} {peak} {grown} {:.2}", grown / n as f64);
        } else {
            let (baseline, _) = rss_hwm();
            let clients: Vec<_> = (0..n).map(|_| build()).collect();
            let (built, _) = rss_hwm();
            for call in &clients {
                call().await;
            }
            let (used, _) = rss_hwm();
            let per = |after: u64| after.saturating_sub(baseline) as f64 / n as f64;
            println!("RESULT {baseline} {:.2} {:.2}", per(built), per(used));
        }
    });
}
