//! Located spec errors: what is wrong, and where (file, JSON pointer, YAML line).
//!
//! Every error a person reads names the place and, where there is one, the fix. Pointers are RFC 6901 JSON
//! pointers in URI-fragment form (`#/paths/~1servicePrincipals~1{servicePrincipal-id}~1synchronization/get`),
//! built with [`child`] so that `/` and `~` in keys are escaped. The walks of the loader and the validator carry
//! a `Path` instead, which costs nothing per node and becomes the same text only when an error is reported.

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

/// One step of a [`Path`]: a mapping key or a list index.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Token<'a> {
    /// A mapping key, unescaped.
    Key(&'a str),
    /// A list index.
    Index(usize),
}

impl<'a> From<&'a str> for Token<'a> {
    fn from(key: &'a str) -> Self {
        Token::Key(key)
    }
}

impl<'a> From<&'a String> for Token<'a> {
    fn from(key: &'a String) -> Self {
        Token::Key(key)
    }
}

impl From<usize> for Token<'_> {
    fn from(index: usize) -> Self {
        Token::Index(index)
    }
}

/// A JSON pointer that costs nothing until it is read: a chain of [`Token`]s linked through the stack of the
/// walk that builds it, turned into text ([`Path::to_pointer`], or [`fmt::Display`]) only when an error names
/// the node. The text is the same as [`child`] builds.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    step: Step<'a>,
}

#[derive(Clone, Copy, Debug)]
enum Step<'a> {
    /// A `#`-prefixed, already escaped pointer (`#`, `#/components/schemas/x`).
    Base(&'a str),
    Token(Token<'a>),
}

impl<'a> Path<'a> {
    /// The document root, `#`.
    pub(crate) const ROOT: Path<'static> = Path::at("#");

    /// The node at `pointer`, a `#`-prefixed, already escaped JSON pointer.
    pub(crate) const fn at(pointer: &'a str) -> Self {
        Path {
            parent: None,
            step: Step::Base(pointer),
        }
    }

    /// Member `token` (a key or an index) of this node.
    pub(crate) fn child<'b>(&'b self, token: impl Into<Token<'b>>) -> Path<'b>
    where
        'a: 'b,
    {
        Path {
            parent: Some(self),
            step: Step::Token(token.into()),
        }
    }

    /// The RFC 6901 pointer in URI-fragment form (`#/paths/~1a~1{b}/get`).
    pub(crate) fn to_pointer(self) -> String {
        let mut out = String::new();
        // Writing to a `String` cannot fail.
        let _ = self.write(&mut out);
        out
    }

    fn write(&self, out: &mut impl fmt::Write) -> fmt::Result {
        if let Some(parent) = self.parent {
            parent.write(out)?;
        }
        match self.step {
            Step::Base(pointer) => out.write_str(pointer),
            Step::Token(Token::Index(index)) => write!(out, "/{index}"),
            Step::Token(Token::Key(key)) => {
                out.write_char('/')?;
                let mut rest = key;
                while let Some(at) = rest.find(['~', '/']) {
                    out.write_str(rest.get(..at).unwrap_or(""))?;
                    out.write_str(if rest.as_bytes().get(at) == Some(&b'~') {
                        "~0"
                    } else {
                        "~1"
                    })?;
                    rest = rest.get(at + 1..).unwrap_or("");
                }
                out.write_str(rest)
            }
        }
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f)
    }
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
    fn lazy_paths_match_child() {
        let root = Path::ROOT;
        let paths = root.child("paths");
        let item = paths.child("/a/{b}~c");
        let op = item.child("get");
        let param = op.child("parameters");
        let first = param.child(0usize);
        assert_eq!(root.to_pointer(), "#");
        assert_eq!(
            first.to_pointer(),
            child(
                &child(
                    &child(&child(&child("#", "paths"), "/a/{b}~c"), "get"),
                    "parameters"
                ),
                0
            )
        );
        assert_eq!(first.to_string(), "#/paths/~1a~1{b}~0c/get/parameters/0");
        let base = Path::at("#/components/schemas");
        assert_eq!(
            base.child("~/x/~").to_pointer(),
            "#/components/schemas/~0~1x~1~0"
        );
        assert_eq!(base.child("").to_pointer(), "#/components/schemas/");
        assert_eq!(
            base.child("é/ü").to_pointer(),
            child("#/components/schemas", "é/ü")
        );
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
