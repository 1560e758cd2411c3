//! The spec validator against a corpus of broken specs (`tests/broken-specs/`), the real spec, and mutated
//! inputs that must never panic.
//!
//! Each `NN-short-name.yaml` in the corpus is `00-valid.yaml` broken in exactly one way; its sidecar
//! `NN-short-name.expected` says what the one error must be:
//!
//! ```text
//! pointer: #/paths/~1servicePrincipals~1{servicePrincipal-id}~1synchronization~1jobs/get/parameters/1
//! line: 42            (or `line: none`)
//! message: is declared but the path     (a substring of the message)
//! ```

use std::fs;
use std::path::{Path, PathBuf};

use msgraph_sync_codegen::diagnostic::{SpecError, SpecErrors};
use msgraph_sync_codegen::load::{load_file, load_str};
use msgraph_sync_codegen::locate::Locator;
use msgraph_sync_codegen::validate::validate;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("broken-specs")
}

/// Runs the whole generator in memory; the errors of whichever stage refused the spec (lowering refuses what
/// only shows once names become Rust names, such as two schemas that become one type). A spec it accepts must
/// generate code that parses.
fn check(name: &str, text: &str) -> Result<(), SpecErrors> {
    let spec = load_str(name, text)?;
    match msgraph_sync_codegen::generate(&spec, &Default::default()) {
        Ok(_) => Ok(()),
        Err(msgraph_sync_codegen::Error::Spec(errors)) => Err(errors),
        Err(other) => panic!("{name}: {other}"),
    }
}

struct Expected {
    pointer: String,
    line: Option<usize>,
    message: String,
}

fn parse_expected(path: &Path) -> Expected {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let field = |name: &str| {
        text.lines()
            .find_map(|l| {
                l.strip_prefix(name)
                    .and_then(|r| r.strip_prefix(':'))
                    .map(str::trim)
            })
            .unwrap_or_else(|| panic!("{}: no `{name}:` line", path.display()))
            .to_string()
    };
    let line = field("line");
    Expected {
        pointer: field("pointer"),
        line: if line == "none" {
            None
        } else {
            Some(
                line.parse()
                    .unwrap_or_else(|_| panic!("{}: bad line `{line}`", path.display())),
            )
        },
        message: field("message"),
    }
}

fn corpus() -> Vec<(String, PathBuf)> {
    let mut cases: Vec<(String, PathBuf)> = fs::read_dir(corpus_dir())
        .expect("tests/broken-specs exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| {
            (
                p.file_name()
                    .expect("file name")
                    .to_string_lossy()
                    .into_owned(),
                p,
            )
        })
        .collect();
    cases.sort();
    cases
}

#[test]
fn the_valid_base_validates() {
    let path = corpus_dir().join("00-valid.yaml");
    let text = fs::read_to_string(&path).expect("00-valid.yaml");
    if let Err(errors) = check("00-valid.yaml", &text) {
        panic!("00-valid.yaml must validate cleanly:\n{errors}");
    }
}

/// The validator trusts the typed OpenAPI model for the types of the fields it has (it reads the JSON only for
/// what that model drops: unknown keys, extensions, what sits beside a `$ref`, example values). Every such
/// field with a wrong type is refused by loading, at its object and line, before validation runs.
#[test]
fn wrongly_typed_fields_are_refused_by_load_at_their_object() {
    let base = fs::read_to_string(corpus_dir().join("00-valid.yaml")).expect("00-valid.yaml");
    let cases: &[(&str, &str, &str, usize)] = &[
        (
            "  title: Microsoft Graph synchronization (corpus base)",
            "  title: 5",
            "#/info",
            3,
        ),
        (
            "      summary: List synchronization jobs",
            "      summary: [a]",
            "#/paths/~1servicePrincipals~1{servicePrincipal-id}~1synchronization~1jobs/get",
            19,
        ),
        (
            "          description: A page of jobs.",
            "          description: {a: 1}",
            "#/paths/~1servicePrincipals~1{servicePrincipal-id}~1synchronization~1jobs/get/responses/200",
            37,
        ),
        (
            "        required: true\n        content:",
            "        required: yes\n        content:",
            "#/paths/~1servicePrincipals~1{servicePrincipal-id}~1synchronization~1jobs/post/requestBody",
            57,
        ),
        (
            "      description: The unique identifier of servicePrincipal",
            "      description: 5",
            "#/components/parameters/servicePrincipal-id",
            249,
        ),
        (
            "      title: synchronizationJob",
            "      title: 5",
            "#/components/schemas/synchronizationJob",
            308,
        ),
        (
            "          type: string\n          readOnly: true",
            "          type: string\n          readOnly: yes",
            "#/components/schemas/synchronizationJob/properties/id",
            313,
        ),
        (
            "          type: string\n          nullable: true",
            "          type: [string, 'null']\n          nullable: true",
            "#/components/schemas/synchronizationJob/properties/templateId",
            316,
        ),
        (
            "          nullable: true\n          description: Schedule",
            "          nullable: 7\n          description: Schedule",
            "#/components/schemas/synchronizationJob/properties/schedule",
            319,
        ),
        (
            "      description: Error",
            "      description: 5",
            "#/components/responses/error",
            297,
        ),
        (
            "  - url: https://graph.microsoft.com/{version}",
            "  - url: [x]",
            "#/servers/0",
            8,
        ),
        (
            "    variables:\n      version:",
            "    variables: 5\n    x-v:\n      version:",
            "#/servers/0",
            8,
        ),
        (
            "        - $ref: '#/components/parameters/top'",
            "        - 5",
            "#/paths/~1servicePrincipals~1{servicePrincipal-id}~1synchronization~1jobs/get/parameters/0",
            31,
        ),
        (
            "        id:\n          type: string",
            "        id:\n          type: string\n          format: 5",
            "#/components/schemas/synchronizationJob/properties/id",
            313,
        ),
    ];
    // Each replaces the first place of `from`.
    for (from, to, pointer, line) in cases {
        assert!(base.contains(from), "`{from}` is not in the base");
        let text = base.replacen(from, to, 1);
        let errors = match load_str("t.yaml", &text) {
            Ok(_) => panic!("`{to}` loaded"),
            Err(errors) => errors,
        };
        assert_eq!(errors.0.len(), 1, "{errors}");
        let error = &errors.0[0];
        assert_eq!(
            (error.pointer.as_str(), error.line),
            (*pointer, Some(*line)),
            "{errors}"
        );
        assert!(
            error.message.starts_with("not a valid OpenAPI 3.0 "),
            "{errors}"
        );
    }
}

#[test]
fn every_broken_spec_fails_with_its_one_expected_error() {
    let cases: Vec<_> = corpus()
        .into_iter()
        .filter(|(name, _)| name != "00-valid.yaml")
        .collect();
    assert!(
        cases.len() >= 18,
        "the corpus has only {} broken specs",
        cases.len()
    );
    let mut failures = Vec::new();
    for (name, path) in &cases {
        let expected = parse_expected(&path.with_extension("expected"));
        let text = fs::read_to_string(path).expect("readable case");
        let errors = match check(name, &text) {
            Ok(()) => {
                failures.push(format!(
                    "{name}: validated, but it should fail with `{}`",
                    expected.message
                ));
                continue;
            }
            Err(errors) => errors,
        };
        let matches = |e: &SpecError| {
            e.file == *name
                && e.pointer == expected.pointer
                && e.line == expected.line
                && e.message.contains(&expected.message)
        };
        if errors.0.len() != 1 || !errors.0.iter().all(matches) {
            failures.push(format!(
                "{name}: expected exactly one error at {} line {:?} containing `{}`, got:\n{errors}",
                expected.pointer, expected.line, expected.message
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_case_has_a_sidecar_and_every_sidecar_a_case() {
    for entry in fs::read_dir(corpus_dir()).expect("corpus") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        match path.extension().and_then(|e| e.to_str()) {
            Some("yaml") if name != "00-valid.yaml" => {
                assert!(
                    path.with_extension("expected").exists(),
                    "{name} has no .expected sidecar"
                );
            }
            Some("expected") => assert!(
                path.with_extension("yaml").exists(),
                "{name} has no .yaml case"
            ),
            _ => {}
        }
    }
}

#[test]
fn the_real_spec_validates() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("spec")
        .join("msgraph-sync.yaml");
    if !path.exists() {
        eprintln!("SKIPPED: {} does not exist yet", path.display());
        return;
    }
    let spec = load_file(&path).unwrap_or_else(|e| panic!("the real spec does not load:\n{e}"));
    if let Err(errors) = validate(&spec) {
        panic!("the real spec does not validate:\n{errors}");
    }
}

#[test]
fn errors_display_with_place_and_count() {
    let errors = check("bad.yaml", "openapi: 2.0\ninfo: {}\n").expect_err("2.0 is refused");
    let text = errors.to_string();
    assert!(text.starts_with("bad.yaml:1: #/openapi: "), "{text}");
    assert!(text.ends_with("\n1 error"), "{text}");
}

/// Two methods of one builder that become one Rust name are refused, whatever they are: here an action whose
/// segment is `get` beside the job's GET (corpus 83 has a navigation beside an action).
#[test]
fn an_action_named_like_a_crud_method_is_refused() {
    let base = fs::read_to_string(corpus_dir().join("00-valid.yaml")).expect("00-valid.yaml");
    let from = "/jobs/{synchronizationJob-id}/restart:";
    assert!(base.contains(from));
    let text = base.replacen(from, "/jobs/{synchronizationJob-id}/get:", 1);
    let errors = check("t.yaml", &text).expect_err("refused");
    assert_eq!(errors.0.len(), 1, "{errors}");
    let error = &errors.0[0];
    assert_eq!(
        error.pointer,
        "#/paths/~1servicePrincipals~1{servicePrincipal-id}~1synchronization~1jobs~1{synchronizationJob-id}~1get/post"
    );
    assert_eq!(error.line, Some(140));
    assert!(
        error.message.starts_with(
            "the action `get` and the `GET` operation at `/servicePrincipals/{servicePrincipal-id}/synchronization/jobs/{synchronizationJob-id}` both become the method `get` of `SynchronizationJobRequests`"
        ),
        "{error}"
    );
}

/// Two navigations that become one method name (`schema` and `Schema` below a job) are refused too.
#[test]
fn two_segments_that_become_one_method_are_refused() {
    let base = fs::read_to_string(corpus_dir().join("00-valid.yaml")).expect("00-valid.yaml");
    let start = base
        .find("  /servicePrincipals/{servicePrincipal-id}/synchronization/jobs/{synchronizationJob-id}/schema/functions:")
        .expect("the functions path");
    let end = start
        + base[start..]
            .find("  /servicePrincipals(appId=")
            .expect("the next path");
    let copy = base[start..end]
        .replace("/schema/functions:", "/Schema/functions:")
        .replace(".schema.functions", ".Schema.functions");
    let text = format!("{}{copy}{}", &base[..end], &base[end..]);
    let errors = check("t.yaml", &text).expect_err("refused");
    assert_eq!(errors.0.len(), 1, "{errors}");
    let error = &errors.0[0];
    assert_eq!(
        error.pointer,
        "#/paths/~1servicePrincipals~1{servicePrincipal-id}~1synchronization~1jobs~1{synchronizationJob-id}~1schema~1functions"
    );
    assert!(
        error.message.starts_with(
            "the navigation to `schema` (first used by `/servicePrincipals/{servicePrincipal-id}/synchronization/jobs/{synchronizationJob-id}/schema/functions`) and the navigation to `Schema` (first used by "
        ) && error.message.contains("both become the method `schema` of `SynchronizationJobRequests`"),
        "{error}"
    );
}

#[test]
fn missing_file_is_an_error_not_a_panic() {
    let errors = load_file(Path::new("/nonexistent/spec.yaml"))
        .map(|_| ())
        .expect_err("no such file");
    let error = errors.0.first().expect("one error");
    assert_eq!(error.pointer, "#");
    assert!(error.message.contains("cannot read"), "{error}");
}

/// Every node of `spec` as `(pointer, key)`: the key is `None` for list items.
fn all_pointers(value: &serde_json::Value, pointer: &str, out: &mut Vec<(String, Option<String>)>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, item) in map {
                let child = msgraph_sync_codegen::diagnostic::child(pointer, key);
                out.push((child.clone(), Some(key.clone())));
                all_pointers(item, &child, out);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let child = msgraph_sync_codegen::diagnostic::child(pointer, i);
                out.push((child.clone(), None));
                all_pointers(item, &child, out);
            }
        }
        _ => {}
    }
}

/// The locator finds every node of the valid base and of the real spec, on a line that names its key; one
/// `Locator` answers them all (a fresh `line_of` per node would scan the text each time).
#[test]
fn line_of_finds_every_node_on_the_right_line() {
    let mut specs = vec![(corpus_dir().join("00-valid.yaml"), true)];
    let real = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("spec")
        .join("msgraph-sync.yaml");
    if real.exists() {
        specs.push((real, false));
    }
    for (path, must_find_all) in specs {
        let spec = load_file(&path).unwrap_or_else(|e| panic!("{e}"));
        let lines: Vec<&str> = spec.text.lines().collect();
        let mut pointers = Vec::new();
        all_pointers(&spec.raw, "#", &mut pointers);
        let mut locator = Locator::new(&spec.text);
        let mut missing = Vec::new();
        for (pointer, key) in &pointers {
            if must_find_all {
                // The one-off look-up agrees with the shared locator.
                assert_eq!(spec.line_of(pointer), locator.line_of(pointer), "{pointer}");
            }
            match locator.line_of(pointer) {
                None => missing.push(pointer.clone()),
                Some(line) => {
                    let text = lines.get(line - 1).copied().unwrap_or("");
                    if let Some(key) = key {
                        assert!(
                            text.contains(key.as_str()),
                            "{}: {pointer} → line {line} `{text}`",
                            path.display()
                        );
                    }
                }
            }
        }
        if must_find_all {
            assert!(
                missing.is_empty(),
                "{}: no line for {missing:?}",
                path.display()
            );
        } else if !missing.is_empty() {
            eprintln!(
                "{}: no line for {} of {} nodes, e.g. {:?}",
                path.display(),
                missing.len(),
                pointers.len(),
                missing.first()
            );
        }
    }
}

/// The valid base, truncated at many places and mutated line by line and byte by byte.
fn mutated_specs() -> Vec<String> {
    let base = fs::read_to_string(corpus_dir().join("00-valid.yaml")).expect("base");
    let mut inputs: Vec<String> = Vec::new();
    // Truncations at many places (on char boundaries).
    let mut cut = 0;
    while cut < base.len() {
        if base.is_char_boundary(cut) {
            inputs.push(base[..cut].to_string());
        }
        cut += 37;
    }
    // Line-level mutations: drop a line, duplicate it, change its indentation, replace its value.
    let lines: Vec<&str> = base.lines().collect();
    for (i, line) in lines.iter().enumerate().step_by(4) {
        let with = |replacement: Option<String>| {
            let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
            match replacement {
                Some(r) => out[i] = r,
                None => {
                    out.remove(i);
                }
            }
            out.join("\n")
        };
        inputs.push(with(None));
        inputs.push(with(Some(format!("{line}\n{line}"))));
        inputs.push(with(Some(format!("  {line}"))));
        inputs.push(with(Some(line.trim_start().to_string())));
        if let Some((key, _)) = line.split_once(": ") {
            for value in [
                "null",
                "[]",
                "{}",
                "-1",
                "99999999999999999999",
                "'{'",
                "[{$ref: '#/x'}]",
                "*alias",
                "!tag x",
            ] {
                inputs.push(with(Some(format!("{key}: {value}"))));
            }
        }
    }
    // Byte-level noise.
    for (i, noise) in [
        "{", "}", "[", "'", "\"", ":", "- ", "\t", "#", "~1", "&a ", "*a",
    ]
    .iter()
    .cycle()
    .take(400)
    .enumerate()
    {
        let at = (i * 7919) % base.len();
        if base.is_char_boundary(at) {
            inputs.push(format!("{}{noise}{}", &base[..at], &base[at..]));
        }
    }
    inputs
}

/// Truncations and mutations of the valid base: load + validate must answer, never panic.
#[test]
fn mutated_specs_never_panic() {
    let inputs = mutated_specs();
    for (i, input) in inputs.iter().enumerate() {
        let result = std::panic::catch_unwind(|| check("mutated.yaml", input));
        assert!(result.is_ok(), "input #{i} panicked:\n{input}");
        if let Ok(Err(errors)) = result {
            for error in &errors.0 {
                assert!(
                    error.pointer.starts_with('#'),
                    "input #{i}: bad pointer in {error}"
                );
                assert!(!error.message.is_empty());
            }
        }
    }
}

/// A runtime path that is not a Rust path is the caller's mistake, said as such, never a "generator bug".
#[test]
fn a_runtime_that_is_not_a_path_is_an_options_error() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let text = std::fs::read_to_string(root.join("tests/golden/tree/spec.yaml")).expect("readable");
    let spec = load_str("tree.yaml", &text).unwrap_or_else(|e| panic!("{e}"));
    for runtime in ["not a path!", "", "crate::"] {
        let options = msgraph_sync_codegen::EmitOptions {
            runtime: runtime.into(),
        };
        match msgraph_sync_codegen::generate(&spec, &options) {
            Err(msgraph_sync_codegen::Error::Options(message)) => {
                assert!(message.contains(&format!("`{runtime}`")), "{message}");
            }
            other => panic!("{runtime:?}: expected an options error, got {other:?}"),
        }
    }
}
