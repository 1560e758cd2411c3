//! Located spec errors: what is wrong, and where (file, JSON pointer, YAML line).
//!
//! Every error a person reads names the place and, where there is one, the fix. Pointers are RFC 6901 JSON
//! pointers in URI-fragment form (`#/paths/~1servicePrincipals~1{servicePrincipal-id}~1synchronization/get`),
//! built with [`child`] so that `/` and `~` in keys are escaped.

use std::fmt;

/// One problem in the spec, located by JSON pointer and, when known, YAML line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// Spec file name, as given to the loader (`spec/msgraph-sync.yaml`).
    pub file: String,
    /// JSON pointer of the offending node, `#`-prefixed and RFC 6901 escaped (`#/paths/~1a~1{b}/get`).
    pub pointer: String,
    /// 1-based YAML line of that node, when it could be found.
    pub line: Option<usize>,
    /// What is wrong and, where possible, how to fix it.
    pub message: String,
}

impl SpecError {
    /// An error at `pointer` in `file`, without a line.
    pub fn new(
        file: impl Into<String>,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        SpecError {
            file: file.into(),
            pointer: pointer.into(),
            line: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(
                f,
                "{}:{}: {}: {}",
                self.file, line, self.pointer, self.message
            ),
            None => write!(f, "{}: {}: {}", self.file, self.pointer, self.message),
        }
    }
}

impl std::error::Error for SpecError {}

/// All problems found in a spec, in a deterministic order (by pointer, then message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecErrors(pub Vec<SpecError>);

impl SpecErrors {
    /// A list of one error.
    pub fn one(error: SpecError) -> Self {
        SpecErrors(vec![error])
    }

    /// Sorts by pointer, then line, then message, and drops exact duplicates.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (a.pointer.as_str(), a.line, a.message.as_str()).cmp(&(
                b.pointer.as_str(),
                b.line,
                b.message.as_str(),
            ))
        });
        self.0.dedup();
    }

    /// Whether there are no errors.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Number of errors.
    pub fn len(&self) -> usize {
        self.0.len()
    }
}

impl fmt::Display for SpecErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for e in &self.0 {
            writeln!(f, "{e}")?;
        }
        match self.0.len() {
            1 => write!(f, "1 error"),
            n => write!(f, "{n} errors"),
        }
    }
}

impl std::error::Error for SpecErrors {}

/// Escapes one reference token for a JSON pointer (RFC 6901: `~` → `~0`, `/` → `~1`).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Undoes [`escape_token`].
pub fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// The pointer of member `token` of the node at `pointer`.
pub fn child(pointer: &str, token: impl fmt::Display) -> String {
    format!("{pointer}/{}", escape_token(&token.to_string()))
}

/// Splits a `#`-prefixed JSON pointer into unescaped reference tokens; `None` if it is not one.
pub fn tokens(pointer: &str) -> Option<Vec<String>> {
    let rest = pointer.strip_prefix('#')?;
    if rest.is_empty() {
        return Some(Vec::new());
    }
    let rest = rest.strip_prefix('/')?;
    Some(rest.split('/').map(unescape_token).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_round_trip() {
        let p = child(&child("#", "paths"), "/a/{b}~c");
        assert_eq!(p, "#/paths/~1a~1{b}~0c");
        assert_eq!(
            tokens(&p),
            Some(vec!["paths".to_string(), "/a/{b}~c".to_string()])
        );
        assert_eq!(tokens("#"), Some(vec![]));
        assert_eq!(tokens("paths"), None);
    }

    #[test]
    fn display() {
        let mut e = SpecError::new("s.yaml", "#/info", "missing");
        assert_eq!(e.to_string(), "s.yaml: #/info: missing");
        e.line = Some(3);
        assert_eq!(e.to_string(), "s.yaml:3: #/info: missing");
        assert_eq!(
            SpecErrors(vec![e.clone(), e]).to_string(),
            "s.yaml:3: #/info: missing\ns.yaml:3: #/info: missing\n2 errors"
        );
    }
}
