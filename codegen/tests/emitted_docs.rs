//! The documentation the generator emits, read as a reader of the generated crate meets it.
//!
//! - Every code block in an emitted doc comment is a `text` fence: spec text is never compiled or run (the
//!   golden `docs` case also runs as doctests in the tests crate, which is the real proof).
//! - Every link goes somewhere: an `http(s)` address, or a Rust path that rustdoc resolves (CI's
//!   `cargo doc` with warnings denied checks those). A fragment (`#...`) or a relative file is refused:
//!   rustdoc does not check those, which is how ``[`V1`](#rt::V1)`` once shipped.
//! - A run's one-line summary counts what it did.

use std::path::{Path, PathBuf};

use msgraph_sync_codegen::{Config, EmitOptions, generate, load, run};

/// The curated spec, every golden spec and the other tree's, with their names.
fn specs() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut specs = vec![(
        root.join("spec/msgraph-sync.yaml"),
        "spec/msgraph-sync.yaml".to_string(),
    )];
    let mut golden: Vec<PathBuf> = std::fs::read_dir(root.join("tests/golden"))
        .expect("golden folder is readable")
        .map(|entry| entry.expect("golden entry").path().join("spec.yaml"))
        .filter(|spec| spec.is_file())
        .collect();
    golden.sort();
    assert!(golden.len() >= 3, "golden cases found: {golden:?}");
    golden.push(root.join("codegen/tests/specs/other-tree.yaml"));
    specs.extend(golden.into_iter().map(|spec| {
        let name = spec.display().to_string();
        (spec, name)
    }));
    specs
}

/// Each doc comment of each generated file: `(file, first line, text)`.
fn doc_comments() -> Vec<(String, usize, String)> {
    let mut docs = Vec::new();
    for (path, name) in specs() {
        let text = std::fs::read_to_string(&path).expect("spec is readable");
        let spec = load::load_str(&name, &text).unwrap_or_else(|e| panic!("{e}"));
        let generated = generate(&spec, &EmitOptions::default()).unwrap_or_else(|e| panic!("{e}"));
        for (file, text) in &generated.files {
            let mut current: Option<(usize, String)> = None;
            for (i, line) in text.lines().enumerate() {
                let trimmed = line.trim_start();
                let doc = trimmed
                    .strip_prefix("///")
                    .or_else(|| trimmed.strip_prefix("//!"));
                match (doc, &mut current) {
                    (Some(doc), Some((_, block))) => {
                        block.push('\n');
                        block.push_str(doc.strip_prefix(' ').unwrap_or(doc));
                    }
                    (Some(doc), None) => {
                        current = Some((i + 1, doc.strip_prefix(' ').unwrap_or(doc).to_string()))
                    }
                    (None, _) => {
                        if let Some((line, block)) = current.take() {
                            docs.push((format!("{name} → {file}"), line, block));
                        }
                    }
                }
            }
        }
    }
    docs
}

#[test]
fn every_code_block_in_emitted_docs_is_a_text_fence() {
    let mut fences = 0;
    for (file, line, doc) in doc_comments() {
        let mut open: Option<(char, usize)> = None;
        for text in doc.lines() {
            let t = text.trim();
            let Some(fence) = ['`', '~']
                .into_iter()
                .find(|&c| t.starts_with(&String::from(c).repeat(3)))
            else {
                assert!(
                    open.is_some() || !text.starts_with("    "),
                    "{file}:{line}: an indented line outside a fence is a doctest: {text:?}"
                );
                continue;
            };
            let len = t.len() - t.trim_start_matches(fence).len();
            match open {
                Some((c, n)) if c == fence && len >= n && t.chars().all(|x| x == fence) => {
                    open = None
                }
                Some(_) => {}
                None => {
                    assert_eq!(
                        &t[len..],
                        "text",
                        "{file}:{line}: a code block that is not `text` would be a doctest"
                    );
                    fences += 1;
                    open = Some((fence, len));
                }
            }
        }
        assert!(open.is_none(), "{file}:{line}: a fence is left open");
    }
    // The golden `docs` case alone holds eight.
    assert!(fences >= 8, "text fences found: {fences}");
}

/// Inline link destinations, `[text](destination)`, outside code spans and fences.
fn link_destinations(doc: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut in_fence = false;
    for line in doc.lines() {
        if line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        let mut rest = line;
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let end = after.find(')').unwrap_or(after.len());
            found.push(after[..end].to_string());
            rest = &after[end..];
        }
    }
    found
}

fn is_rust_path(destination: &str) -> bool {
    !destination.is_empty()
        && destination.split("::").all(|segment| {
            let mut chars = segment.chars();
            chars
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

#[test]
fn every_emitted_link_is_a_web_address_or_a_rust_path() {
    let mut paths = 0;
    for (file, line, doc) in doc_comments() {
        for destination in link_destinations(&doc) {
            if destination.starts_with("https://") || destination.starts_with("http://") {
                continue;
            }
            assert!(
                is_rust_path(&destination),
                "{file}:{line}: the link to `{destination}` goes nowhere (neither an address nor a Rust path)"
            );
            paths += 1;
        }
    }
    assert!(paths > 0, "no intra-doc links found: the scan is broken");
    assert!(!is_rust_path("#rt::V1") && !is_rust_path("models.rs") && is_rust_path("rt::V1"));
}

fn fresh_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "msgraph-sync-codegen-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn the_summary_counts_files_written_and_removed_apart() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = fresh_dir("summary");
    let config = Config {
        spec: root.join("spec/msgraph-sync.yaml"),
        spec_name: "spec/msgraph-sync.yaml".into(),
        out: out.clone(),
        check: false,
        emit: EmitOptions::default(),
    };
    let first = run(&config).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((first.report.changed.len(), first.files), (5, 5));
    assert!(
        first.to_string().contains("; wrote 5 of 5 files in "),
        "{first}"
    );

    // One file edited, one stale generated file left behind: one written, one removed, never "2 of 5".
    let models = out.join("models.rs");
    let edited = std::fs::read_to_string(&models).unwrap() + "// edited\n";
    std::fs::write(&models, edited).unwrap();
    let stale = out.join("old.rs");
    std::fs::write(
        &stale,
        "// @generated by msgraph-sync-codegen from x (content hash 0).\n",
    )
    .unwrap();
    let check = run(&Config {
        check: true,
        ..config.clone()
    })
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        check.to_string().contains("; checked 5 files, 2 stale in "),
        "{check}"
    );
    let second = run(&config).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        second
            .to_string()
            .contains("; wrote 1 of 5 files, removed 1 stale file in "),
        "{second}"
    );
    assert!(!stale.exists());
    let third = run(&config).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        third.to_string().contains("; wrote 0 of 5 files in "),
        "{third}"
    );
    let _ = std::fs::remove_dir_all(&out);
}
