//! Generator speed: the whole pipeline in memory (load → validate → lower → emit → format) against
//! parsing the same YAML only, on the curated spec and on one 50 times larger (`scale::scale_spec`).
//!
//! Run with `cargo bench -p msgraph-sync-codegen`. Goals (issue #4): full run under 100 ms and at most
//! twice the YAML parse; the 50x spec at most 60 times the 1x time.
//!
//! The `stage_*` benchmarks take the pipeline apart on one thread, so each stage's share can be weighed
//! against the parse: `validate`, `lower`, building the syntax trees of every part of every file, and
//! building and formatting them (in all, and file by file).

use std::sync::LazyLock;

use msgraph_sync_codegen::{
    EmitOptions, emit, format, generate, load, lower, model, scale, validate,
};

// The allocator `cargo xtask codegen` runs with, for the baseline as much as for the generator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    LazyLock::new(|| scale::scale_spec(NAME, &SPEC, 50).expect("the curated spec scales"));

fn main() {
    divan::main();
}

fn full(text: &str) -> usize {
    let spec = load::load_str(NAME, text).expect("spec loads");
    let generated = generate(&spec, &EmitOptions::default()).expect("spec generates");
    generated.files.iter().map(|(_, t)| t.len()).sum()
}

#[divan::bench]
fn parse_yaml_only() -> serde_yaml::Value {
    serde_yaml::from_str(divan::black_box(&SPEC)).expect("YAML")
}

#[divan::bench]
fn parse_yaml_into_openapi() -> openapiv3::OpenAPI {
    serde_yaml::from_str(divan::black_box(&SPEC)).expect("OpenAPI")
}

#[divan::bench]
fn load_only() -> load::LoadedSpec {
    load::load_str(NAME, divan::black_box(&SPEC)).expect("spec loads")
}

#[divan::bench]
fn generate_all() -> usize {
    full(divan::black_box(&SPEC))
}

#[divan::bench(sample_count = 10)]
fn parse_yaml_only_x50() -> serde_yaml::Value {
    serde_yaml::from_str(divan::black_box(&SPEC_X50)).expect("YAML")
}

#[divan::bench(sample_count = 10)]
fn parse_yaml_into_openapi_x50() -> openapiv3::OpenAPI {
    serde_yaml::from_str(divan::black_box(&SPEC_X50)).expect("OpenAPI")
}

#[divan::bench(sample_count = 10)]
fn generate_all_x50() -> usize {
    full(divan::black_box(&SPEC_X50))
}

#[divan::bench]
fn stage_validate() -> bool {
    validate::validate(divan::black_box(&LOADED)).is_ok()
}

#[divan::bench]
fn stage_lower() -> model::Api {
    lower::lower(divan::black_box(&LOADED)).expect("spec lowers")
}

/// Runs `each` on the syntax tree of every part of every file, on this thread.
fn each_part(mut each: impl FnMut(syn::File) -> usize) -> usize {
    let api = divan::black_box(&*API);
    let cx = emit::Context::new(api, &EmitOptions::default()).expect("runtime path parses");
    let mut total = 0;
    for file in emit::FILES {
        for part in 0..(file.parts)(api) {
            total += each((file.part)(&cx, part).expect("part emits"));
        }
    }
    total
}

#[divan::bench]
fn stage_emit() -> usize {
    each_part(|tree| tree.items.len())
}

#[divan::bench]
fn stage_emit_and_format() -> usize {
    each_part(|tree| format::unparse(&tree).len())
}

/// `stage_emit_and_format` for one file at a time (the argument is its index in `emit::FILES`).
#[divan::bench(args = [1, 2, 3, 4])]
fn stage_emit_and_format_file(file: usize) -> usize {
    let api = divan::black_box(&*API);
    let cx = emit::Context::new(api, &EmitOptions::default()).expect("runtime path parses");
    let emitter = emit::FILES[file];
    (0..(emitter.parts)(api))
        .map(|part| format::unparse(&(emitter.part)(&cx, part).expect("part emits")).len())
        .sum()
}
