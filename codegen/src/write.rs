//! Writing: formatted files land in the output folder, or, in check mode, stale files are reported.
//!
//! Only files carrying the generated header are ever touched or removed.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::format::is_generated;

/// What a write or a check did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Files whose content changed (written, or stale in check mode).
    pub changed: Vec<PathBuf>,
    /// Generated files no longer produced (removed, or stale in check mode).
    pub removed: Vec<PathBuf>,
    /// Files already up to date.
    pub unchanged: usize,
}

impl WriteReport {
    /// Whether the output folder already matched.
    pub fn is_clean(&self) -> bool {
        self.changed.is_empty() && self.removed.is_empty()
    }
}

/// Writes `files` (name, text) into `dir`, or only compares when `check` is set.
pub fn write_files(dir: &Path, files: &[(String, String)], check: bool) -> io::Result<WriteReport> {
    let mut report = WriteReport::default();
    if !check {
        fs::create_dir_all(dir)?;
    }
    for (name, text) in files {
        let path = dir.join(name);
        let current = match fs::read_to_string(&path) {
            Ok(current) => Some(current),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        if current.as_deref() == Some(text.as_str()) {
            report.unchanged += 1;
            continue;
        }
        if let Some(current) = &current
            && !is_generated(current)
        {
            return Err(io::Error::other(format!(
                "{} exists and was not written by the generator; refusing to overwrite it",
                path.display()
            )));
        }
        if !check {
            fs::write(&path, text)?;
        }
        report.changed.push(path);
    }
    if dir.is_dir() {
        let mut entries: Vec<PathBuf> = fs::read_dir(dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for path in entries {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            if !name.ends_with(".rs") || files.iter().any(|(n, _)| *n == name) {
                continue;
            }
            if fs::read_to_string(&path)
                .map(|t| is_generated(&t))
                .unwrap_or(false)
            {
                if !check {
                    fs::remove_file(&path)?;
                }
                report.removed.push(path);
            }
        }
    }
    Ok(report)
}
