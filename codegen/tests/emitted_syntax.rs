//! Most emitted code is built as syn values, never parsed by the generator. Each file it prints must read
//! back as itself: syn parses the text, and prettyplease prints the parsed tree to the same bytes. A value
//! built in a shape syn's parser never makes (a missing group, a wrong token) would print text that
//! parses differently or not at all, and fail here.

use std::path::Path;

use msgraph_sync_codegen::{EmitOptions, generate, load};

fn assert_reads_back(spec_path: &Path, spec_name: &str) {
    let text = std::fs::read_to_string(spec_path).expect("spec is readable");
    let spec = load::load_str(spec_name, &text).unwrap_or_else(|e| panic!("{e}"));
    let generated = generate(&spec, &EmitOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    for (name, text) in &generated.files {
        let parsed = syn::parse_file(text)
            .unwrap_or_else(|e| panic!("{spec_name} → {name} does not parse: {e}"));
        let reprinted = prettyplease::unparse(&parsed);
        // The header is a plain comment, which the parser drops.
        let body = text
            .split_once("\n\n")
            .map(|(_, body)| body)
            .expect("header, blank line, body");
        if body != reprinted {
            let line = body
                .lines()
                .zip(reprinted.lines())
                .position(|(a, b)| a != b)
                .map_or(0, |i| i + 1);
            panic!("{spec_name} → {name} prints differently once parsed, from body line {line}");
        }
    }
}

#[test]
fn curated_spec_output_reads_back_as_itself() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    assert_reads_back(
        &root.join("spec/msgraph-sync.yaml"),
        "spec/msgraph-sync.yaml",
    );
}

#[test]
fn golden_fragments_output_reads_back_as_itself() {
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/golden");
    let mut cases = 0;
    for entry in std::fs::read_dir(&golden).expect("golden folder is readable") {
        let spec = entry.expect("golden entry").path().join("spec.yaml");
        if spec.is_file() {
            assert_reads_back(&spec, &spec.display().to_string());
            cases += 1;
        }
    }
    assert!(cases >= 2, "golden cases found: {cases}");
}
