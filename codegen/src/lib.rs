//! The msgraph-sync generator: one straight pipeline from the curated spec to formatted Rust files.
//!
//! ```text
//! load → validate → lower → emit → format → write
//! ```
//!
//! Each stage is a module named for what it does. [`generate`] runs the stages up to formatted text;
//! [`run`] also writes (or checks) the output folder. The `xtask` crate is a thin front-end over [`run`].

pub mod diagnostic;
pub mod emit;
pub mod format;
pub mod load;
pub mod lower;
pub mod model;
mod parallel;
pub mod scale;
pub mod validate;
pub mod write;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
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

/// Runs load's successors on an already loaded spec: validate, lower, emit, format.
pub fn generate(spec: &LoadedSpec, options: &EmitOptions) -> Result<Generated, Error> {
    options.validate()?;
    let mut stages = Vec::with_capacity(4);
    let mut clock = Instant::now();
    let mut lap = |stage: &'static str, stages: &mut Vec<(&'static str, Duration)>| {
        let now = Instant::now();
        stages.push((stage, now - clock));
        clock = now;
    };
    // Lowering only reads the spec, so it runs beside validation; its result counts only when the spec is
    // valid (validation's errors explain whatever lowering may trip over in an invalid spec). The content
    // hash for the headers is worked out on the validating side too.
    let ((validated, hash), lowered) = parallel::join(
        || (validate::validate(spec), format::content_hash(&spec.raw)),
        || std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| lower::lower(spec))),
    );
    validated?;
    let api = match lowered {
        Ok(lowered) => lowered?,
        Err(panic) => std::panic::resume_unwind(panic),
    };
    lap("validate+lower", &mut stages);
    let header = format::header(&spec.name, &hash);
    let files = emit_and_format(&api, options, &header)?;
    lap("emit+format", &mut stages);
    let counts = Counts {
        operations: api.operation_count(),
        types: api.objects.len(),
        enums: api.enums.len(),
    };
    Ok(Generated {
        files,
        counts,
        stages,
    })
}

/// Emits and formats every file, part by part (see [`emit::FileEmitter`]), on as many threads as the machine
/// has; the output does not depend on the number of threads or on scheduling.
fn emit_and_format(
    api: &model::Api,
    options: &EmitOptions,
    header: &str,
) -> Result<Vec<(String, String)>, Error> {
    // Biggest files first, so the last parts handed out are small and the threads finish together.
    let mut units: Vec<(usize, usize)> = emit::FILES
        .iter()
        .enumerate()
        .flat_map(|(file, emitter)| (0..(emitter.parts)(api)).map(move |part| (file, part)))
        .collect();
    units.sort_by_key(|&(file, _)| std::cmp::Reverse((emit::FILES[file].parts)(api)));
    let threads = cores().clamp(1, units.len().max(1));
    let next = AtomicUsize::new(0);
    let work = || -> Result<Vec<(usize, String)>, syn::Error> {
        let cx = emit::Context::new(api, options)?;
        let mut done = Vec::new();
        loop {
            let unit = next.fetch_add(1, Ordering::Relaxed);
            let Some(&(file, part)) = units.get(unit) else {
                return Ok(done);
            };
            let tree = (emit::FILES[file].part)(&cx, part)?;
            done.push((unit, format::unparse(&tree)));
        }
    };
    let finished = parallel::run(threads, |_| work());
    let mut formatted: Vec<(usize, String)> = Vec::with_capacity(units.len());
    for result in finished {
        formatted.extend(result.map_err(Error::Emit)?);
    }
    // Back in file and part order.
    formatted.sort_unstable_by_key(|&(unit, _)| units[unit]);
    let mut files: Vec<String> = emit::FILES
        .iter()
        .map(|_| header.to_string() + "\n")
        .collect();
    for (unit, text) in formatted {
        files[units[unit].0].push_str(&text);
    }
    Ok(emit::FILES
        .iter()
        .zip(files)
        .map(|(emitter, text)| (emitter.name.to_string(), text))
        .collect())
}

/// How many threads the stages that work in parallel use: one per core (1 when that cannot be told).
///
/// Asked once per process: on Linux the answer reads the cgroup's CPU quota from three files.
pub(crate) fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES
        .get_or_init(|| std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get))
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

/// What a full run did.
#[derive(Debug, Clone)]
pub struct Summary {
    /// What was generated.
    pub counts: Counts,
    /// What changed on disk (or would have, in check mode).
    pub report: write::WriteReport,
    /// Files generated.
    pub files: usize,
    /// Wall time of the run.
    pub elapsed: Duration,
    /// Wall time of each stage, in pipeline order (`load`, `validate+lower`, `emit+format`, `write`).
    pub stages: Vec<(&'static str, Duration)>,
}

/// Loads the spec, generates, and writes or checks `config.out`.
pub fn run(config: &Config) -> Result<Summary, Error> {
    let start = Instant::now();
    // The helper threads start while the spec is read.
    parallel::start();
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
        elapsed: start.elapsed(),
        stages,
    })
}

/// The default output folder inside the workspace: `generated/src/generated`.
pub fn default_out(workspace: &Path) -> PathBuf {
    workspace.join("generated").join("src").join("generated")
}
