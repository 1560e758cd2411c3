//! Decoding and encoding a synchronization schema: the typed model (`SynchronizationSchema`, which keeps
//! unknown properties as raw JSON) against `serde_json::Value`, at about 20 KB and 2 MB.
//!
//! Run with `cargo bench -p msgraph-sync --bench schema` (`cargo test --benches` runs each bench once);
//! the inputs are made at start-up from the spec's examples (`support/spec.rs`). Goal (issue 16): typed
//! decode at least 2x faster than `Value`. Figures and method: `BENCHMARKS.md`.

use std::sync::LazyLock;

use divan::counter::BytesCount;
use divan::{Bencher, black_box};
use msgraph_sync::SynchronizationSchema;
use serde_json::Value;

#[path = "support/spec.rs"]
#[allow(dead_code)] // shared by the benches, each uses a part
mod spec;

const SIZES: [&str; 2] = ["20KB", "2MB"];

struct Input {
    text: String,
    typed: SynchronizationSchema,
    value: Value,
}

static INPUTS: LazyLock<[Input; 2]> = LazyLock::new(|| {
    let spec = spec::load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../spec/msgraph-sync.yaml"
    ));
    [20_000, 2_000_000].map(|bytes| {
        let text = spec::schema(&spec, bytes);
        let typed: SynchronizationSchema = serde_json::from_str(&text).expect("typed decode");
        let value: Value = serde_json::from_str(&text).expect("Value decode");
        // The typed model must carry everything: what it writes decodes to the same JSON.
        let written: Value = serde_json::from_slice(&serde_json::to_vec(&typed).unwrap()).unwrap();
        assert_eq!(
            written, value,
            "the typed model dropped or changed something"
        );
        Input { text, typed, value }
    })
});

fn input(size: &str) -> &'static Input {
    &INPUTS[SIZES.iter().position(|s| *s == size).expect("known size")]
}

fn main() {
    for (size, input) in SIZES.iter().zip(INPUTS.iter()) {
        println!("schema {size}: {} bytes of compact JSON", input.text.len());
    }
    divan::main();
}

#[divan::bench(args = SIZES)]
fn decode_typed(bencher: Bencher, size: &str) {
    let text = &input(size).text;
    bencher
        .counter(BytesCount::of_str(text))
        .bench(|| serde_json::from_str::<SynchronizationSchema>(black_box(text)).unwrap());
}

#[divan::bench(args = SIZES)]
fn decode_value(bencher: Bencher, size: &str) {
    let text = &input(size).text;
    bencher
        .counter(BytesCount::of_str(text))
        .bench(|| serde_json::from_str::<Value>(black_box(text)).unwrap());
}

#[divan::bench(args = SIZES)]
fn encode_typed(bencher: Bencher, size: &str) {
    let input = input(size);
    bencher
        .counter(BytesCount::of_str(&input.text))
        .bench(|| serde_json::to_vec(black_box(&input.typed)).unwrap());
}

#[divan::bench(args = SIZES)]
fn encode_value(bencher: Bencher, size: &str) {
    let input = input(size);
    bencher
        .counter(BytesCount::of_str(&input.text))
        .bench(|| serde_json::to_vec(black_box(&input.value)).unwrap());
}
