//! Fails when `generated/src/generated` does not match `spec/` and the generator, so the README's test
//! command catches drift as well as CI's `cargo xtask codegen --check` (rust-analyzer's pattern).

use std::path::Path;

use msgraph_sync_codegen::{Config, EmitOptions, default_out, run};

#[test]
fn generated_code_is_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root");
    let config = Config {
        spec: root.join("spec/msgraph-sync.yaml"),
        spec_name: "spec/msgraph-sync.yaml".into(),
        out: default_out(root),
        check: true,
        emit: EmitOptions::default(),
    };
    let summary = run(&config).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        summary.report.is_clean(),
        "generated code is stale: {:?} {:?}\nrun `cargo xtask codegen` and commit the result with the spec change",
        summary.report.changed,
        summary.report.removed
    );
    assert_eq!(summary.files, 5);
}
