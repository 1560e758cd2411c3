//! Project automation. `cargo xtask codegen [--check] [--spec PATH] [--out DIR] [--runtime PATH]`
//! regenerates `generated/src/generated/` from `spec/msgraph-sync.yaml`; `--check` only compares and
//! fails naming every stale file and the command that fixes it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use msgraph_sync_codegen::{Config, EmitOptions, Error};

mod scale;

/// `println!` that cannot panic. When stdout is closed or its reader has gone (`cargo xtask codegen | head
/// -c0`), the line has nowhere to go: it is dropped, and the exit code still tells how the task went.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// `eprintln!` that cannot panic, for the same reason as [`say!`].
macro_rules! tell {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

const USAGE: &str =
    "usage: cargo xtask codegen [--check] [--spec PATH] [--out DIR] [--runtime PATH] [--timings]
       cargo xtask scale-spec [--factor N] [--out PATH]
       cargo xtask parse-only [--spec PATH]

  --check          compare only; exit 1 naming stale files
  --spec PATH      spec to read (default: spec/msgraph-sync.yaml)
  --out DIR        folder to write (default: generated/src/generated)
  --runtime PATH   runtime path seen from the emitted code (default: crate::runtime)
  --timings        also print the time of each pipeline stage

scale-spec writes a spec N times larger than the curated one (default 50, to target/spec-x50.yaml),
for measuring how the generator scales.

parse-only reads the spec and parses its YAML with serde_yaml, nothing else: the baseline of the
generator's speed goal (at most twice this), timed in the same process setting as `codegen`.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("codegen") => codegen(&args[1..]),
        Some("scale-spec") => scale_spec(&args[1..]),
        Some("parse-only") => parse_only(&args[1..]),
        Some("-h" | "--help") | None => {
            say!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some(other) => {
            tell!("unknown task `{other}`\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn codegen(args: &[String]) -> ExitCode {
    let root = workspace_root();
    let mut config = Config {
        spec: root.join("spec/msgraph-sync.yaml"),
        spec_name: "spec/msgraph-sync.yaml".into(),
        out: msgraph_sync_codegen::default_out(&root),
        check: false,
        emit: EmitOptions::default(),
    };
    let mut timings = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |flag: &str| match it.next() {
            Some(v) => Ok(v.clone()),
            None => Err(format!("{flag} needs a value")),
        };
        let result = match arg.as_str() {
            "-h" | "--help" => {
                say!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            "--check" => {
                config.check = true;
                Ok(())
            }
            "--timings" => {
                timings = true;
                Ok(())
            }
            "--spec" => value("--spec").map(|v| {
                config.spec_name = v.clone();
                config.spec = PathBuf::from(v);
            }),
            "--out" => value("--out").map(|v| config.out = PathBuf::from(v)),
            "--runtime" => value("--runtime").map(|v| config.emit.runtime = v),
            other => Err(format!("unknown option `{other}`")),
        };
        if let Err(message) = result {
            tell!("error: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    }

    if let Err(e) = config.emit.validate() {
        tell!("error: {e}\n{USAGE}");
        return ExitCode::from(2);
    }

    match msgraph_sync_codegen::run(&config) {
        Ok(summary) => {
            if config.check && !summary.report.is_clean() {
                tell!("error: generated code is stale:");
                for path in summary.report.changed.iter().chain(&summary.report.removed) {
                    tell!("  {}", path.display());
                }
                tell!(
                    "run `cargo xtask codegen` and commit the result together with the spec change"
                );
                return ExitCode::FAILURE;
            }
            if timings {
                let width = summary
                    .stages
                    .iter()
                    .map(|(stage, _)| stage.len())
                    .max()
                    .unwrap_or(0);
                for (stage, time) in &summary.stages {
                    say!("  {stage:<width$} {:>6.1} ms", time.as_secs_f64() * 1000.0);
                }
            }
            say!("codegen: {summary}");
            ExitCode::SUCCESS
        }
        Err(Error::Spec(errors)) => {
            tell!("error: the spec is invalid; nothing was written\n{errors}");
            ExitCode::FAILURE
        }
        Err(e) => {
            tell!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn scale_spec(args: &[String]) -> ExitCode {
    let root = workspace_root();
    let mut factor: usize = 50;
    let mut out: Option<PathBuf> = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        if matches!(arg.as_str(), "-h" | "--help") {
            say!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        match (arg.as_str(), it.next()) {
            ("--factor", Some(v)) => match v.parse() {
                Ok(n) if n >= 1 => factor = n,
                _ => {
                    tell!("error: --factor needs a positive integer, got `{v}`");
                    return ExitCode::from(2);
                }
            },
            ("--out", Some(v)) => out = Some(PathBuf::from(v)),
            _ => {
                tell!("error: unexpected argument `{arg}`\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let out = out.unwrap_or_else(|| root.join(format!("target/spec-x{factor}.yaml")));
    let spec = root.join("spec/msgraph-sync.yaml");
    let result = std::fs::read_to_string(&spec)
        .map_err(|e| format!("cannot read {}: {e}", spec.display()))
        .and_then(|text| scale::scale_spec(&text, factor))
        .and_then(|scaled| {
            std::fs::write(&out, scaled).map_err(|e| format!("cannot write {}: {e}", out.display()))
        });
    match result {
        Ok(()) => {
            say!("scale-spec: wrote {} ({factor}x)", out.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            tell!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn parse_only(args: &[String]) -> ExitCode {
    let mut spec = workspace_root().join("spec/msgraph-sync.yaml");
    match args {
        [] => {}
        [flag, path] if flag == "--spec" => spec = PathBuf::from(path),
        [flag] if matches!(flag.as_str(), "-h" | "--help") => {
            say!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            tell!("error: unexpected arguments {args:?}\n{USAGE}");
            return ExitCode::from(2);
        }
    }
    let start = std::time::Instant::now();
    let parsed = std::fs::read_to_string(&spec)
        .map_err(|e| format!("cannot read {}: {e}", spec.display()))
        .and_then(|text| {
            serde_yaml::from_str::<serde_yaml::Value>(&text).map_err(|e| e.to_string())
        });
    match parsed {
        Ok(_) => {
            say!(
                "parse-only: parsed {} in {:.1} ms",
                spec.display(),
                start.elapsed().as_secs_f64() * 1000.0
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            tell!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
