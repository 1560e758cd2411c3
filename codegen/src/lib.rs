//! The msgraph-sync generator: one straight pipeline from the curated spec to formatted Rust files.
//!
//! ```text
//! load → validate → lower → emit → format → write
//! ```
//!
//! Each stage is a module named for what it does. [`generate`] runs the stages up to formatted text;
//! [`run`] also writes (or checks) the output folder. The `xtask` crate is a thin front-end over [`run`].

pub mod conventions;
pub mod diagnostic;
pub mod emit;
pub mod format;
pub mod load;
pub mod locate;
pub mod lower;
pub mod model;
pub mod validate;
pub mod write;

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use diagnostic::{SpecError, SpecErrors};
pub use emit::EmitOptions;
pub use load::LoadedSpec;

/// Anything that stops a generator run.
#[derive(Debug)]
pub enum Error {
    /// The spec is invalid; every problem is listed with its place.
    Spec(SpecErrors),
    /// The [`EmitOptions`] are invalid (a `runtime` that is not a Rust path).
    Options(String),
    /// The emitted tokens did not parse as Rust (a generator bug).
    Emit(syn::Error),
    /// Reading or writing files failed.
    Io(std::io::Error),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Spec(e) => write!(f, "invalid spec:\n{e}"),
            Error::Options(message) => write!(f, "invalid options: {message}"),
            Error::Emit(e) => write!(f, "generator bug: emitted code does not parse: {e}"),
            Error::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Spec(e) => Some(e),
            Error::Options(_) => None,
            Error::Emit(e) => Some(e),
            Error::Io(e) => Some(e),
        }
    }
}

impl From<SpecErrors> for Error {
    fn from(e: SpecErrors) -> Self {
        Error::Spec(e)
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e)
    }
}

/// The files of one generation, in memory.
#[derive(Debug, Clone)]
pub struct Generated {
    /// `(file name, formatted text)`, in a fixed order.
    pub files: Vec<(String, String)>,
    /// Operations (builder methods), types, enums emitted.
    pub counts: Counts,
    /// Wall time of each stage, in pipeline order.
    pub stages: Vec<(&'static str, Duration)>,
}

/// What a generation contains.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Builder methods that send a request.
    pub operations: usize,
    /// Object types.
    pub types: usize,
    /// Enums and flag sets.
    pub enums: usize,
}

/// Runs load's successors on an already loaded spec, in order on this thread: validate, lower, emit, format.
pub fn generate(spec: &LoadedSpec, options: &EmitOptions) -> Result<Generated, Error> {
    options.validate()?;
    let mut clock = Clock::start();
    validate::validate(spec)?;
    clock.lap("validate");
    let api = lower::lower(spec)?;
    clock.lap("lower");
    let emitted = emit::emit(&api, options)?;
    clock.lap("emit");
    let header = format::header(&spec.name, &format::content_hash(&spec.raw));
    let files = emitted
        .into_iter()
        .map(|file| Ok((file.name.to_string(), format::format(file.tokens, &header)?)))
        .collect::<Result<Vec<_>, syn::Error>>()
        .map_err(Error::Emit)?;
    clock.lap("format");
    let counts = Counts {
        operations: api.operation_count(),
        types: api.objects.len(),
        enums: api.enums.len(),
    };
    Ok(Generated {
        files,
        counts,
        stages: clock.stages,
    })
}

/// Wall time of each stage, in pipeline order.
struct Clock {
    last: Instant,
    stages: Vec<(&'static str, Duration)>,
}

impl Clock {
    fn start() -> Self {
        Clock {
            last: Instant::now(),
            stages: Vec::new(),
        }
    }

    /// Records the time since the previous lap as `stage`'s.
    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.stages.push((stage, now - self.last));
        self.last = now;
    }
}

/// A full run's settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// The spec file.
    pub spec: PathBuf,
    /// Name of the spec recorded in headers (stable across machines, e.g. `spec/msgraph-sync.yaml`).
    pub spec_name: String,
    /// The folder that receives the generated files.
    pub out: PathBuf,
    /// Compare instead of writing.
    pub check: bool,
    /// Emit settings.
    pub emit: EmitOptions,
}

/// What a full run did; its `Display` is the one-line report of the run (what was generated, what was written or
/// checked, what was removed).
#[derive(Debug, Clone)]
pub struct Summary {
    /// What was generated.
    pub counts: Counts,
    /// What changed on disk (or would have, in check mode).
    pub report: write::WriteReport,
    /// Files generated.
    pub files: usize,
    /// Whether the run only compared.
    pub check: bool,
    /// Wall time of the run.
    pub elapsed: Duration,
    /// Wall time of each stage, in pipeline order (`load`, `validate`, `lower`, `emit`, `format`, `write`).
    pub stages: Vec<(&'static str, Duration)>,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = self.counts;
        write!(
            f,
            "{} operations, {} types, {} enums; ",
            c.operations, c.types, c.enums
        )?;
        let files = plural(self.files, "file");
        if self.check {
            let stale = self.report.changed.len() + self.report.removed.len();
            write!(f, "checked {files}, {stale} stale")?;
        } else {
            write!(f, "wrote {} of {files}", self.report.changed.len())?;
            if !self.report.removed.is_empty() {
                let removed = plural(self.report.removed.len(), "stale file");
                write!(f, ", removed {removed}")?;
            }
        }
        write!(f, " in {:.1} ms", self.elapsed.as_secs_f64() * 1000.0)
    }
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Loads the spec, generates, and writes or checks `config.out`.
pub fn run(config: &Config) -> Result<Summary, Error> {
    let start = Instant::now();
    let text = std::fs::read_to_string(&config.spec).map_err(|e| {
        Error::Spec(SpecErrors(vec![SpecError {
            file: config.spec.display().to_string(),
            pointer: "#".into(),
            line: None,
            message: format!("cannot read the spec: {e}"),
        }]))
    })?;
    let spec = load::load_str(&config.spec_name, &text)?;
    let loaded = Instant::now();
    let generated = generate(&spec, &config.emit)?;
    let generated_at = Instant::now();
    let report = write::write_files(&config.out, &generated.files, config.check)?;
    let mut stages = vec![("load", loaded - start)];
    stages.extend(generated.stages.iter().copied());
    stages.push(("write", generated_at.elapsed()));
    Ok(Summary {
        counts: generated.counts,
        report,
        files: generated.files.len(),
        check: config.check,
        elapsed: start.elapsed(),
        stages,
    })
}

/// The default output folder inside the workspace: `generated/src/generated`.
pub fn default_out(workspace: &Path) -> PathBuf {
    workspace.join("generated").join("src").join("generated")
}
