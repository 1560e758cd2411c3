//! Decodes and encodes the bench schemas (about 20 KB and 2 MB) as `serde_json::Value`, and prints the
//! fastest time of each over many batches. Built with and without `serde_json/preserve_order` by `run.sh`.

use std::time::{Duration, Instant};

use serde_json::Value;

#[path = "../../support/spec.rs"]
#[allow(dead_code)]
mod spec;

/// The fastest time of `f` over batches that each run for about 2 ms, for about `total` (the fastest
/// batch is the one least disturbed by other processes on a shared machine).
fn fastest_time(total: Duration, mut f: impl FnMut()) -> Duration {
    let start = Instant::now();
    f();
    let once = start.elapsed().max(Duration::from_nanos(1));
    let per_batch = (Duration::from_millis(2).as_nanos() / once.as_nanos()).max(1) as u32;
    let mut samples = Vec::new();
    let start = Instant::now();
    while start.elapsed() < total || samples.len() < 5 {
        let batch = Instant::now();
        for _ in 0..per_batch {
            f();
        }
        samples.push(batch.elapsed() / per_batch);
    }
    samples.into_iter().min().expect("samples")
}

fn main() {
    let spec = spec::load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../spec/msgraph-sync.yaml"
    ));
    let order = if cfg!(feature = "preserve_order") {
        "preserve_order"
    } else {
        "BTreeMap"
    };
    for (size, bytes) in [("20KB", 20_000), ("2MB", 2_000_000)] {
        let text = spec::schema(&spec, bytes);
        let value: Value = serde_json::from_str(&text).expect("valid JSON");
        let decode = fastest_time(Duration::from_millis(500), || {
            std::hint::black_box(
                serde_json::from_str::<Value>(std::hint::black_box(&text)).unwrap(),
            );
        });
        let encode = fastest_time(Duration::from_millis(500), || {
            std::hint::black_box(serde_json::to_vec(std::hint::black_box(&value)).unwrap());
        });
        println!(
            "{order} {size} ({} bytes): decode {:.1} us, encode {:.1} us",
            text.len(),
            decode.as_secs_f64() * 1e6,
            encode.as_secs_f64() * 1e6
        );
    }
}
