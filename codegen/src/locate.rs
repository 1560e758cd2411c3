//! Locating a JSON pointer's node in the YAML text: its 1-based line, for error messages.
//!
//! serde_yaml 0.9 gives a line and column only with a parse error (`serde_yaml::Error::location`), never for a
//! node it parsed, so the line of a node is found by a scan of the text that knows block mappings, block
//! sequences, quoted and explicit keys and flow collections, and answers `None` rather than guess (aliases and
//! block scalars). The scan is only asked when an error is reported, and a [`Locator`] remembers the entries
//! of every block mapping and sequence it has read, so that locating every error of a large broken spec costs
//! about one pass over the text, not one per error.

use std::collections::HashMap;

use crate::diagnostic::{SpecError, SpecErrors, tokens};

/// 1-based YAML line of the node `pointer` (a `#`-prefixed JSON pointer) names in `text`: the line of its key,
/// or of its `- ` item marker; `None` when the scan cannot tell. For many pointers, use one [`Locator`].
pub fn line_of(text: &str, pointer: &str) -> Option<usize> {
    Locator::new(text).line_of(pointer)
}

/// `errors` with their YAML lines (one [`Locator`] for all), sorted by pointer.
pub fn located(text: &str, mut errors: Vec<SpecError>) -> SpecErrors {
    let mut locator = Locator::new(text);
    for error in &mut errors {
        error.line = locator.line_of(&error.pointer);
    }
    let mut errors = SpecErrors(errors);
    errors.sort();
    errors
}

/// Where a child was found: the line of its key or item marker, and where its value starts (`None` for a
/// scalar or empty value); `None` when the scan cannot tell.
type Found = Option<(usize, Option<Pos>)>;

/// Finds the YAML lines of JSON pointers in one text, remembering what it has scanned.
pub struct Locator<'t> {
    scan: Scan<'t>,
    /// The keys of each block mapping read so far, by the mapping's position.
    maps: HashMap<(usize, usize), HashMap<String, Found>>,
    /// The items of each block sequence read so far, by the sequence's position.
    seqs: HashMap<(usize, usize), Vec<Found>>,
}

impl<'t> Locator<'t> {
    /// A locator over `text`; nothing is scanned until a line is asked for.
    pub fn new(text: &'t str) -> Self {
        Locator {
            scan: Scan::new(text),
            maps: HashMap::new(),
            seqs: HashMap::new(),
        }
    }

    /// 1-based YAML line of the node `pointer` names; see [`line_of`].
    pub fn line_of(&mut self, pointer: &str) -> Option<usize> {
        let tokens = tokens(pointer)?;
        let root = self.scan.root()?;
        let mut node = root;
        let mut line = root.line;
        for (i, token) in tokens.iter().enumerate() {
            let (key_line, next) = self.child(node, token)?;
            line = key_line;
            match next {
                Some(next) => node = next,
                // A scalar or empty value: only the last token may name it.
                None if i + 1 == tokens.len() => {}
                None => return None,
            }
        }
        Some(line + 1)
    }

    /// The child `token` of the node at `pos`: the line of its key (or item) and where its value starts
    /// (`None` for an empty value).
    fn child(&mut self, pos: Pos, token: &str) -> Found {
        let rest = self.scan.rest(pos)?;
        if rest.starts_with('{') || rest.starts_with('[') {
            return self.scan.flow_node(pos, token);
        }
        let at = (pos.line, pos.col);
        if rest == "-" || rest.starts_with("- ") {
            let index: usize = token.parse().ok()?;
            let scan = &self.scan;
            let items = self.seqs.entry(at).or_insert_with(|| scan.seq_items(pos));
            return items.get(index).copied().flatten();
        }
        if parse_key(rest).is_some() || rest == "?" || rest.starts_with("? ") {
            let scan = &self.scan;
            let keys = self.maps.entry(at).or_insert_with(|| scan.map_entries(pos));
            return keys.get(token).copied().flatten();
        }
        None
    }
}

/// Where a node's text starts: line index and byte column.
#[derive(Clone, Copy, Debug)]
struct Pos {
    line: usize,
    col: usize,
}

/// An indentation-aware scan of YAML text, good for block mappings, block sequences, quoted keys and flow
/// collections; it answers `None` rather than guess (aliases, explicit keys, block scalars).
struct Scan<'t> {
    text: &'t str,
    /// Byte offset of each line start.
    starts: Vec<usize>,
}

impl<'t> Scan<'t> {
    fn new(text: &'t str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Scan { text, starts }
    }

    /// Line `i` without its line break.
    fn line(&self, i: usize) -> Option<&'t str> {
        let start = *self.starts.get(i)?;
        let end = self
            .starts
            .get(i + 1)
            .map_or(self.text.len(), |&next| next.saturating_sub(1));
        let line = self.text.get(start..end)?;
        Some(line.strip_suffix('\r').unwrap_or(line))
    }

    fn rest(&self, pos: Pos) -> Option<&'t str> {
        self.line(pos.line)?.get(pos.col..)
    }

    fn offset(&self, pos: Pos) -> Option<usize> {
        Some(self.starts.get(pos.line)? + pos.col)
    }

    fn line_at(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    fn is_content(line: &str) -> bool {
        let t = line.trim_start_matches(' ');
        !(t.is_empty() || t.starts_with('#'))
    }

    fn indent(line: &str) -> usize {
        line.len() - line.trim_start_matches(' ').len()
    }

    fn next_content(&self, from: usize) -> Option<usize> {
        (from..self.starts.len()).find(|&i| self.line(i).is_some_and(Self::is_content))
    }

    fn root(&self) -> Option<Pos> {
        let mut i = self.next_content(0)?;
        loop {
            let line = self.line(i)?;
            if line.starts_with('%') || line.trim_end() == "---" {
                i = self.next_content(i + 1)?;
            } else if let Some(rest) = line.strip_prefix("--- ") {
                let col = line.len() - rest.trim_start().len();
                return Some(Pos { line: i, col });
            } else {
                return Some(Pos {
                    line: i,
                    col: Self::indent(line),
                });
            }
        }
    }

    /// The child `token` of the flow collection at `pos`.
    fn flow_node(&self, pos: Pos, token: &str) -> Found {
        let offset = self.offset(pos)?;
        let (item, value) = self.flow_child(offset, token)?;
        let value = match self.text.as_bytes().get(value) {
            Some(b'{' | b'[') => {
                let line = self.line_at(value);
                Some(Pos {
                    line,
                    col: value - self.starts.get(line)?,
                })
            }
            _ => None,
        };
        Some((self.line_at(item), value))
    }

    /// An explicit key (`? key` then `: value` at the same indentation, as PyYAML writes keys longer than
    /// 128 characters) at `line`, column `col`: the key, and the line and column of its `:`.
    fn explicit_key(&self, line: usize, col: usize) -> Option<(String, usize)> {
        let rest = self.line(line)?.get(col..)?.strip_prefix('?')?;
        let mut key = rest.trim().to_string();
        let mut i = line + 1;
        loop {
            let text = self.line(i)?;
            if !Self::is_content(text) {
                i += 1;
                continue;
            }
            let indent = Self::indent(text);
            let after = text.get(indent..)?;
            if indent == col && (after == ":" || after.starts_with(": ")) {
                break;
            }
            if indent <= col {
                return None;
            }
            // A folded continuation of a long plain key.
            key.push(' ');
            key.push_str(after.trim());
            i += 1;
        }
        let key = match key.chars().next() {
            Some('"' | '\'') => quoted(&key).filter(|(_, len)| *len == key.len())?.0,
            _ => key,
        };
        Some((key, i))
    }

    /// Where the value after a key's `:` (or an item's `- `) begins.
    fn value_after(
        &self,
        line: usize,
        col: usize,
        parent_indent: usize,
        same_indent_seq: bool,
    ) -> Option<Option<Pos>> {
        let text = self.line(line)?;
        let mut col = col;
        loop {
            let rest = text.get(col..)?;
            let trimmed = rest.trim_start_matches(' ');
            col += rest.len() - trimmed.len();
            if trimmed.starts_with('&') || trimmed.starts_with('!') {
                // Anchor or tag: skip the token.
                let len = trimmed.find(' ').unwrap_or(trimmed.len());
                col += len;
                continue;
            }
            if trimmed.starts_with('*') || trimmed.starts_with('|') || trimmed.starts_with('>') {
                return Some(None);
            }
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                return Some(Some(Pos { line, col }));
            }
            break;
        }
        let Some(next) = self.next_content(line + 1) else {
            return Some(None);
        };
        let next_text = self.line(next)?;
        let indent = Self::indent(next_text);
        let rest = next_text.get(indent..)?;
        let is_dash = rest == "-" || rest.starts_with("- ");
        if indent > parent_indent || (same_indent_seq && indent == parent_indent && is_dash) {
            Some(Some(Pos {
                line: next,
                col: indent,
            }))
        } else {
            Some(None)
        }
    }

    /// Every key of the block mapping at `pos` (the first of a repeated key), read in one pass.
    fn map_entries(&self, pos: Pos) -> HashMap<String, Found> {
        let col = pos.col;
        let mut entries = HashMap::new();
        for line in pos.line..self.starts.len() {
            let Some(text) = self.line(line) else { break };
            if line == pos.line || (Self::is_content(text) && Self::indent(text) == col) {
                let Some(rest) = text.get(col..) else { break };
                if rest == "?" || rest.starts_with("? ") {
                    if let Some((key, colon_line)) = self.explicit_key(line, col) {
                        let value = self.value_after(colon_line, col + 1, col, true);
                        entries
                            .entry(key)
                            .or_insert_with(|| value.map(|v| (line, v)));
                    }
                } else if !(rest == "-" || rest.starts_with("- "))
                    && let Some((key, after)) = parse_key(rest)
                {
                    entries.entry(key).or_insert_with(|| {
                        self.value_after(line, col + after, col, true)
                            .map(|v| (line, v))
                    });
                }
            } else if Self::is_content(text) && Self::indent(text) < col {
                break;
            }
        }
        entries
    }

    /// Every item of the block sequence at `pos`, read in one pass.
    fn seq_items(&self, pos: Pos) -> Vec<Found> {
        let col = pos.col;
        let mut items = Vec::new();
        for line in pos.line..self.starts.len() {
            let Some(text) = self.line(line) else { break };
            if line == pos.line || (Self::is_content(text) && Self::indent(text) == col) {
                let Some(rest) = text.get(col..) else { break };
                if !(rest == "-" || rest.starts_with("- ")) {
                    break;
                }
                items.push(
                    self.value_after(line, col + 1, col, false)
                        .map(|v| (line, v)),
                );
            } else if Self::is_content(text) && Self::indent(text) < col {
                break;
            }
        }
        items
    }

    /// In the flow collection at byte `offset`, the child `token`: offsets of the entry and of its value.
    fn flow_child(&self, offset: usize, token: &str) -> Option<(usize, usize)> {
        let bytes = self.text.as_bytes();
        let open = *bytes.get(offset)?;
        let close = if open == b'{' { b'}' } else { b']' };
        let index: Option<usize> = if open == b'[' {
            Some(token.parse().ok()?)
        } else {
            None
        };
        let mut i = offset + 1;
        let mut n = 0usize;
        loop {
            i = skip_flow_space(bytes, i);
            match bytes.get(i) {
                None => return None,
                Some(&b) if b == close => return None,
                _ => {}
            }
            let entry = i;
            if let Some(index) = index {
                if n == index {
                    return Some((entry, entry));
                }
            } else {
                let (key, after) = flow_key(self.text, i)?;
                let value = skip_flow_space(bytes, after);
                if key == token {
                    return Some((entry, value));
                }
                i = value;
            }
            i = skip_flow_value(bytes, i)?;
            i = skip_flow_space(bytes, i);
            if bytes.get(i) != Some(&b',') {
                return None;
            }
            i += 1;
            n += 1;
        }
    }
}

/// A block mapping key at the start of `rest`: the key and the byte length up to and including its `:`.
fn parse_key(rest: &str) -> Option<(String, usize)> {
    let bytes = rest.as_bytes();
    let (key, end) = match bytes.first()? {
        b'"' | b'\'' => {
            let (key, end) = quoted(rest)?;
            let after = rest.get(end..)?;
            let spaces = after.len() - after.trim_start_matches(' ').len();
            (key, end + spaces)
        }
        b'-' | b'?' | b'[' | b'{' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'%' | b'@'
        | b'`' | b',' => {
            if !(bytes.first() == Some(&b'-') && bytes.get(1).is_some_and(|b| *b != b' ')) {
                return None;
            }
            plain_key(rest)?
        }
        _ => plain_key(rest)?,
    };
    if bytes.get(end) != Some(&b':') {
        return None;
    }
    match bytes.get(end + 1) {
        None | Some(b' ') => Some((key, end + 1)),
        _ => None,
    }
}

/// A plain (unquoted) key: up to the first `: ` or a `:` at the end of the line.
fn plain_key(rest: &str) -> Option<(String, usize)> {
    let bytes = rest.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes.get(i) {
            Some(b':') if matches!(bytes.get(i + 1), None | Some(b' ')) => {
                return Some((rest.get(..i)?.trim_end().to_string(), i));
            }
            Some(b'#') if i > 0 && bytes.get(i - 1) == Some(&b' ') => return None,
            _ => i += 1,
        }
    }
    None
}

/// A quoted scalar at the start of `s`: its value and the byte length including the quotes.
pub(crate) fn quoted(s: &str) -> Option<(String, usize)> {
    let mut chars = s.char_indices();
    let (_, quote) = chars.next()?;
    let mut out = String::new();
    while let Some((i, c)) = chars.next() {
        if c == quote {
            if quote == '\'' && s.get(i + 1..)?.starts_with('\'') {
                chars.next();
                out.push('\'');
                continue;
            }
            return Some((out, i + 1));
        }
        if quote == '"' && c == '\\' {
            let (_, e) = chars.next()?;
            out.push(match e {
                'n' => '\n',
                't' => '\t',
                '0' => '\0',
                other => other,
            });
            continue;
        }
        out.push(c);
    }
    None
}

fn skip_flow_space(bytes: &[u8], mut i: usize) -> usize {
    loop {
        match bytes.get(i) {
            Some(b' ' | b'\t' | b'\r' | b'\n') => i += 1,
            Some(b'#') if i == 0 || matches!(bytes.get(i - 1), Some(b' ' | b'\t' | b'\n')) => {
                while !matches!(bytes.get(i), None | Some(b'\n')) {
                    i += 1;
                }
            }
            _ => return i,
        }
    }
}

/// A flow mapping key at byte `i`: the key and the offset just after its `:`.
fn flow_key(text: &str, i: usize) -> Option<(String, usize)> {
    let bytes = text.as_bytes();
    let rest = text.get(i..)?;
    let (key, end) = match bytes.get(i)? {
        b'"' | b'\'' => {
            let (key, len) = quoted(rest)?;
            (key, skip_flow_space(bytes, i + len))
        }
        _ => {
            let mut j = i;
            loop {
                match bytes.get(j) {
                    None | Some(b',' | b'}' | b']' | b'{' | b'[') => return None,
                    Some(b':')
                        if matches!(bytes.get(j + 1), Some(b' ' | b'\n' | b'\r' | b',' | b'}')) =>
                    {
                        break;
                    }
                    _ => j += 1,
                }
            }
            (text.get(i..j)?.trim_end().to_string(), j)
        }
    };
    if bytes.get(end) != Some(&b':') {
        return None;
    }
    Some((key, end + 1))
}

/// The offset just after the flow value at `i` (scalar, quoted scalar or nested collection).
fn skip_flow_value(bytes: &[u8], mut i: usize) -> Option<usize> {
    let mut depth = 0usize;
    loop {
        match *bytes.get(i)? {
            b'"' => {
                i += 1;
                loop {
                    match *bytes.get(i)? {
                        b'\\' => i += 2,
                        b'"' => break,
                        _ => i += 1,
                    }
                }
                i += 1;
            }
            b'\'' => {
                i += 1;
                loop {
                    match *bytes.get(i)? {
                        b'\'' if bytes.get(i + 1) == Some(&b'\'') => i += 2,
                        b'\'' => break,
                        _ => i += 1,
                    }
                }
                i += 1;
            }
            b'{' | b'[' => {
                depth += 1;
                i += 1;
            }
            b'}' | b']' if depth == 0 => return Some(i),
            b'}' | b']' => {
                depth -= 1;
                i += 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            b',' if depth == 0 => return Some(i),
            _ => i += 1,
        }
    }
}

/// For serde_yaml's "duplicate entry with key" error (located at the start of the mapping): the key and the
/// 1-based lines of its first and second occurrence, found by scanning the block mapping.
pub(crate) fn duplicate_key(
    text: &str,
    message: &str,
    line: usize,
    column: usize,
) -> Option<(String, usize, usize)> {
    let quoted_key = message.split("duplicate entry with key ").nth(1)?;
    let (key, _) = quoted(quoted_key)?;
    let scan = Scan::new(text);
    let start = Pos {
        line: line.checked_sub(1)?,
        col: column.checked_sub(1)?,
    };
    let mut lines = Vec::new();
    let mut i = start.line;
    while i < scan.starts.len() && lines.len() < 2 {
        let row = scan.line(i)?;
        if i == start.line || (Scan::is_content(row) && Scan::indent(row) == start.col) {
            if let Some((k, _)) = row.get(start.col..).and_then(parse_key)
                && k == key
            {
                lines.push(i + 1);
            }
        } else if Scan::is_content(row) && Scan::indent(row) < start.col {
            break;
        }
        i += 1;
    }
    match lines.as_slice() {
        [first, second] => Some((key, *first, *second)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "\
openapi: 3.0.3   # version
info:
  title: t
  x-graph-versions: [v1.0, beta]

paths:
  '/a/{b}':
    get:
      parameters:
        - $ref: '#/components/parameters/b'
        -
          name: c
      responses: {'200': {description: ok, content: {x: 1}}, default: {$ref: r}}
  \"/q\":
    post:
      tags:
      - one
      - two
      x: |
        text
      y: &anchor
        z: 1
";

    #[test]
    fn finds_block_flow_and_quoted_nodes() {
        let at = |p: &str| line_of(DOC, p);
        assert_eq!(at("#"), Some(1));
        assert_eq!(at("#/openapi"), Some(1));
        assert_eq!(at("#/info/title"), Some(3));
        assert_eq!(at("#/info/x-graph-versions/1"), Some(4));
        assert_eq!(at("#/paths/~1a~1{b}"), Some(7));
        assert_eq!(at("#/paths/~1a~1{b}/get/parameters/0/$ref"), Some(10));
        assert_eq!(at("#/paths/~1a~1{b}/get/parameters/1"), Some(11));
        assert_eq!(at("#/paths/~1a~1{b}/get/parameters/1/name"), Some(12));
        assert_eq!(at("#/paths/~1a~1{b}/get/responses/200/content/x"), Some(13));
        assert_eq!(at("#/paths/~1a~1{b}/get/responses/default/$ref"), Some(13));
        assert_eq!(at("#/paths/~1q/post/tags/1"), Some(18));
        assert_eq!(at("#/paths/~1q/post/x"), Some(19));
        assert_eq!(at("#/paths/~1q/post/y/z"), Some(22));
        assert_eq!(at("#/paths/~1q/post/x/0"), None);
        assert_eq!(at("#/paths/~1q/post/tags/2"), None);
        assert_eq!(at("#/nope"), None);
        assert_eq!(at("paths"), None);
    }

    #[test]
    fn explicit_keys() {
        let doc = "paths:\n  ? /a/very/long\n    /key\n  : get:\n      x: 1\n  /b:\n    y: 2\n";
        assert_eq!(line_of(doc, "#/paths/~1a~1very~1long ~1key"), Some(2));
        assert_eq!(line_of(doc, "#/paths/~1a~1very~1long ~1key/get/x"), Some(5));
        assert_eq!(line_of(doc, "#/paths/~1b/y"), Some(7));
    }

    #[test]
    fn flow_collections_across_lines() {
        let doc = "a: {b: [1,\n  {c: 2}],\n  'd e': x}\n";
        assert_eq!(line_of(doc, "#/a/b/1/c"), Some(2));
        assert_eq!(line_of(doc, "#/a/d e"), Some(3));
    }
}
