//! Generator speed: the whole pipeline in memory (load → validate → lower → emit → format) on the curated
//! spec and on one 50 times larger, and each stage alone on the curated spec.
//!
//! Run with `cargo bench -p msgraph-sync-codegen`. Goals (issue #13): the 50x spec within 60 times the 1x
//! time; the stage benchmarks show where the time of a run goes. Whole-process time (`cargo xtask codegen`
//! under 100 ms) is measured on the command itself, not here.

use std::sync::LazyLock;

use msgraph_sync_codegen::{EmitOptions, emit, format, generate, load, lower, model, validate};

/// The 50x spec is built by the xtask's `scale-spec` code, shared here rather than made library API.
#[path = "../../xtask/src/scale.rs"]
mod scale;

const NAME: &str = "spec/msgraph-sync.yaml";

static SPEC: LazyLock<String> = LazyLock::new(|| {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../spec/msgraph-sync.yaml"
    ))
    .expect("curated spec is readable")
});

static LOADED: LazyLock<load::LoadedSpec> =
    LazyLock::new(|| load::load_str(NAME, &SPEC).expect("spec loads"));

static API: LazyLock<model::Api> = LazyLock::new(|| lower::lower(&LOADED).expect("spec lowers"));

static SPEC_X50: LazyLock<String> =
    LazyLock::new(|| scale::scale_spec(&SPEC, 50).expect("the curated spec scales"));

fn main() {
    divan::main();
}

/// Load and generate; the total length of the files, so nothing is optimised away.
fn full(text: &str) -> usize {
    let spec = load::load_str(NAME, text).expect("spec loads");
    let generated = generate(&spec, &EmitOptions::default()).expect("spec generates");
    generated.files.iter().map(|(_, t)| t.len()).sum()
}

#[divan::bench]
fn generate_all() -> usize {
    full(divan::black_box(&SPEC))
}

#[divan::bench(sample_count = 10)]
fn generate_all_x50() -> usize {
    full(divan::black_box(&SPEC_X50))
}

#[divan::bench]
fn stage_load() -> load::LoadedSpec {
    load::load_str(NAME, divan::black_box(&SPEC)).expect("spec loads")
}

#[divan::bench]
fn stage_validate() -> bool {
    validate::validate(divan::black_box(&LOADED)).is_ok()
}

#[divan::bench]
fn stage_lower() -> model::Api {
    lower::lower(divan::black_box(&LOADED)).expect("spec lowers")
}

#[divan::bench]
fn stage_emit() -> Vec<emit::EmittedFile> {
    emit::emit(divan::black_box(&API), &EmitOptions::default()).expect("files emit")
}

#[divan::bench]
fn stage_format(bencher: divan::Bencher) {
    bencher
        .with_inputs(|| emit::emit(&API, &EmitOptions::default()).expect("files emit"))
        .bench_values(|files| {
            files
                .into_iter()
                .map(|file| format::format(file.tokens, "").expect("formats").len())
                .sum::<usize>()
        });
}
