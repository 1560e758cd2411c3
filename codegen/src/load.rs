//! Loading the spec: YAML text in, a [`LoadedSpec`] out, or [`SpecErrors`] that name the place.
//!
//! Loading is the first half of checking the spec: YAML syntax (with serde_yaml's line), keys that YAML keeps
//! apart but JSON would merge, the `openapi` version (checked on the raw document before the typed
//! deserialization, so the message is about the version and not about a missing field), and finally the typed
//! [`openapiv3::OpenAPI`] document, whose errors are located by re-trying the parts of the document one by one.
//! Everything the generator does not support is refused later, by [`crate::validate`].

use std::fmt;
use std::path::Path;

use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, SeqAccess};
use serde_json::Value;
use serde_json::map::Entry;

use crate::diagnostic::{self, SpecError, SpecErrors, child, tokens};

/// A parsed spec with its source text.
pub struct LoadedSpec {
    /// File name as given (`spec/msgraph-sync.yaml`).
    pub name: String,
    /// Source text.
    pub text: String,
    /// Typed document.
    pub openapi: openapiv3::OpenAPI,
    /// The same document as JSON, for pointer look-ups and vendor extensions.
    pub raw: Value,
}

impl LoadedSpec {
    /// 1-based YAML line of the node a `#`-prefixed JSON pointer names (the line of its key, or of its `- `
    /// item marker), or `None` when the scan cannot tell.
    pub fn line_of(&self, pointer: &str) -> Option<usize> {
        line_of(&self.text, pointer)
    }

    /// An error at `pointer` in this spec, with the pointer's YAML line when it can be found.
    pub fn error(&self, pointer: &str, message: impl Into<String>) -> SpecError {
        SpecError {
            file: self.name.clone(),
            pointer: pointer.to_string(),
            line: self.line_of(pointer),
            message: message.into(),
        }
    }
}

impl std::fmt::Debug for LoadedSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoadedSpec")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// Reads and loads a spec file; an IO error becomes a [`SpecError`] at pointer `#`.
pub fn load_file(path: &Path) -> Result<LoadedSpec, SpecErrors> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        SpecErrors::one(SpecError::new(
            name.clone(),
            "#",
            format!("cannot read the spec file: {e}"),
        ))
    })?;
    load_str(&name, &text)
}

/// Loads a spec from its text; `name` is used in error messages and kept in [`LoadedSpec::name`].
pub fn load_str(name: &str, text: &str) -> Result<LoadedSpec, SpecErrors> {
    let at = |pointer: &str, message: String| SpecError {
        file: name.to_string(),
        pointer: pointer.to_string(),
        line: line_of(text, pointer),
        message,
    };

    let raw = parse_json(name, text)?;
    check_version(&raw).map_err(|(p, m)| SpecErrors::one(at(&p, m)))?;

    let openapi = match typed(&raw) {
        Ok(openapi) => openapi,
        Err(e) => {
            let (pointer, message) = locate_typed_error(&raw).unwrap_or_else(|| {
                (
                    "#".to_string(),
                    format!("not a valid OpenAPI 3.0 document: {e}"),
                )
            });
            return Err(SpecErrors::one(at(&pointer, message)));
        }
    };

    Ok(LoadedSpec {
        name: name.to_string(),
        text: text.to_string(),
        openapi,
        raw,
    })
}

/// The typed document, deserialized from a borrow of the JSON one.
///
/// `paths` and `components`, nearly all of a spec, are deserialized on their own (on two threads when the
/// machine has them) and the rest of the root with an empty `paths`; the fields are then put together.
/// Besides the thread, this skips a deep copy: `OpenAPI` flattens its extensions, so serde would first buffer
/// the whole document in its own tree. The result is the one [`typed_in_one_go`] gives, which is what runs
/// whenever a part fails (so errors are always its errors), and is checked against it in `tests/validate.rs`.
pub fn typed(raw: &Value) -> Result<openapiv3::OpenAPI, serde_json::Error> {
    typed_in_parts(raw).map_or_else(|| typed_in_one_go(raw), Ok)
}

/// `OpenAPI` deserialized from the whole document at once: the reference for [`typed`].
pub fn typed_in_one_go(raw: &Value) -> Result<openapiv3::OpenAPI, serde_json::Error> {
    serde::Deserialize::deserialize(raw)
}

fn typed_in_parts(raw: &Value) -> Option<openapiv3::OpenAPI> {
    use serde::Deserialize;
    let root = raw.as_object()?;
    let paths = root.get("paths")?;
    let components = root.get("components");
    let mut rest: serde_json::Map<String, Value> = root
        .iter()
        .filter(|(key, _)| !matches!(key.as_str(), "paths" | "components"))
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect();
    rest.insert("paths".into(), Value::Object(serde_json::Map::new()));
    let (paths, components) = crate::parallel::join(
        || openapiv3::Paths::deserialize(paths),
        || components.map(Option::<openapiv3::Components>::deserialize),
    );
    let mut openapi = openapiv3::OpenAPI::deserialize(&Value::Object(rest)).ok()?;
    openapi.paths = paths.ok()?;
    openapi.components = components.transpose().ok()?.flatten();
    Some(openapi)
}

/// Parses the YAML text into JSON (see [`Json`]): the YAML error, or every conversion problem, or the document.
///
/// A large spec is parsed section by section on several threads ([`yaml_to_json_in_sections`]); whenever that
/// fast path cannot vouch for its result, the whole text is parsed in one go, which also gives the errors.
fn parse_json(name: &str, text: &str) -> Result<Value, SpecErrors> {
    let workers = crate::cores();
    if workers > 1
        && text.len() >= SECTIONS_MIN_BYTES
        && let Some(value) = yaml_to_json_in_sections(text, workers)
    {
        return Ok(value);
    }
    yaml_to_json(name, text)
}

/// Below this size a spec is parsed on one thread: starting threads would cost more than they save.
const SECTIONS_MIN_BYTES: usize = 32 * 1024;

/// The fast path of loading: the document cut into runs of about equal cost, parsed on up to `threads` threads
/// and joined, or `None` when the result might differ from parsing the whole text.
///
/// Runs are cut where a line starts a top-level key (a letter at column 0, which in a block mapping at the root
/// can only be a key), or an entry of a top-level block mapping (`paths:` or `components:` alone on its line,
/// then a line at its entries' indentation); a run cut inside `paths:` is parsed as `paths:` followed by its
/// lines. Each run must parse cleanly on its own into a mapping, and no key may repeat where runs join.
/// Anything else (a YAML error, a conversion problem, an alias to an anchor in another run, a flow collection or
/// a quoted scalar that runs over a cut, a root that is not a block mapping) gives `None`, and the caller parses
/// the whole text, so errors are always those of the one-pass parse. The result is the value the one-pass parse
/// gives (checked against it on every mutated spec in `tests/validate.rs`).
pub fn yaml_to_json_in_sections(text: &str, threads: usize) -> Option<Value> {
    let runs = split_runs(text, threads);
    if runs.len() < 2 {
        return None;
    }
    // A run that panics is a run that failed: the one-pass parse runs instead.
    let parsed = crate::parallel::run(runs.len(), |i| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| runs[i].parse()))
            .ok()
            .flatten()
    });
    let mut root = serde_json::Map::new();
    for (run, map) in runs.iter().zip(parsed) {
        let mut entries = map?.into_iter();
        if run.continues.is_some() {
            // The first entry is the rest of the mapping the previous run ended in.
            let (key, Value::Object(more)) = entries.next()? else {
                return None;
            };
            if root.keys().next_back() != Some(&key) {
                return None;
            }
            let Some(Value::Object(mapping)) = root.get_mut(&key) else {
                return None;
            };
            join_new(mapping, more)?;
        }
        join_new(&mut root, entries)?;
    }
    Some(Value::Object(root))
}

/// Adds `entries` to `map`, or `None` when a key is in both (one pass would have refused or merged it).
fn join_new(
    map: &mut serde_json::Map<String, Value>,
    entries: impl IntoIterator<Item = (String, Value)>,
) -> Option<()> {
    for (key, value) in entries {
        match map.entry(key) {
            Entry::Vacant(slot) => {
                slot.insert(value);
            }
            Entry::Occupied(_) => return None,
        }
    }
    Some(())
}

/// One run of the text, parsed on its own thread.
struct Run<'t> {
    text: &'t str,
    /// For a run cut inside a top-level mapping: that mapping's header line (`paths:`).
    continues: Option<&'t str>,
}

impl Run<'_> {
    /// The run as a mapping, if it parses with no error and no conversion problem.
    fn parse(&self) -> Option<serde_json::Map<String, Value>> {
        let owned;
        let text = match self.continues {
            Some(header) => {
                owned = format!("{header}\n{}", self.text);
                owned.as_str()
            }
            None => self.text,
        };
        let mut clean = true;
        let value = Json {
            path: &diagnostic::Path::ROOT,
            report: true,
            error: &mut |_: &diagnostic::Path<'_>, _: String| clean = false,
        }
        .deserialize(serde_yaml::Deserializer::from_str(text))
        .ok()?;
        match value {
            Value::Object(map) if clean => Some(map),
            _ => None,
        }
    }
}

/// `text` cut into at most `runs` runs of about equal cost: each cut is the place nearest to its share of the
/// text's lines among those [`yaml_to_json_in_sections`] may cut at. Lines, not bytes, because parsing time
/// follows the line count (within 1% on the curated spec, where the halves by bytes differ by 20% in time).
fn split_runs(text: &str, runs: usize) -> Vec<Run<'_>> {
    // (offset of a line, its number, header line of the top-level mapping the line is an entry of, if it is one)
    let mut places: Vec<(usize, usize, Option<&str>)> = Vec::new();
    let mut header: Option<&str> = None;
    let mut indent: Option<usize> = None;
    let mut at = 0;
    let mut lines = 0;
    for line in text.split_inclusive('\n') {
        let start = at;
        at += line.len();
        lines += 1;
        let bytes = line.as_bytes();
        match bytes.first() {
            // Blank lines and comments at the left margin.
            None | Some(b'\n' | b'\r' | b'#') => continue,
            // An indented line matters only inside a header's mapping, and there only at its entries'
            // indentation: a byte check when that indentation is known.
            Some(b' ') => {
                let Some(header) = header else { continue };
                match indent {
                    Some(entries) => {
                        if entry_at(bytes, entries) {
                            places.push((start, lines - 1, Some(header)));
                        }
                    }
                    None => {
                        let content = line.trim_end_matches(['\n', '\r']);
                        if Scan::is_content(content) {
                            // Not before the first entry: a run must not end in a header with no entries.
                            indent = Some(Scan::indent(content));
                        }
                    }
                }
            }
            Some(_) => {
                let content = line.trim_end_matches(['\n', '\r']);
                if start > 0 && content.starts_with(|c: char| c.is_ascii_alphabetic()) {
                    places.push((start, lines - 1, None));
                }
                // Only a plain key alone on its line opens a mapping whose entries may start runs.
                let plain_key = content.starts_with(|c: char| c.is_ascii_alphabetic())
                    && content.ends_with(':')
                    && !content[..content.len() - 1]
                        .contains([':', '#', '&', '*', '!', '{', '[', '\'', '"']);
                header = plain_key.then_some(content);
                indent = None;
            }
        }
    }
    let mut cuts: Vec<(usize, Option<&str>)> = (1..runs)
        .filter_map(|k| {
            let share = lines * k / runs;
            places
                .iter()
                .min_by_key(|&&(_, line, _)| line.abs_diff(share))
                .map(|&(place, _, header)| (place, header))
        })
        .collect();
    cuts.dedup_by_key(|&mut (place, _)| place);
    let mut out = Vec::with_capacity(cuts.len() + 1);
    let (mut from, mut continues) = (0, None);
    for (cut, header) in cuts {
        out.push(Run {
            text: &text[from..cut],
            continues,
        });
        (from, continues) = (cut, header);
    }
    out.push(Run {
        text: &text[from..],
        continues,
    });
    out
}

/// Whether a line (with its line break) starts an entry at indentation `depth`: `depth` spaces, then content
/// that is not a comment, a sequence item, a complex key or value, or a tab.
fn entry_at(line: &[u8], depth: usize) -> bool {
    line.len() > depth
        && line[..depth].iter().all(|&b| b == b' ')
        && !matches!(
            line[depth],
            b' ' | b'\n' | b'\r' | b'#' | b'-' | b'?' | b':' | b'\t'
        )
}

/// Parses the whole YAML text into JSON in one pass: the YAML error, or every conversion problem, or the
/// document. This is the reference [`yaml_to_json_in_sections`] must agree with.
pub fn yaml_to_json(name: &str, text: &str) -> Result<Value, SpecErrors> {
    // YAML straight to JSON, without a `serde_yaml::Value` in between; a problem the conversion finds is kept
    // with its pointer and only located (its line) when the YAML itself parses.
    let mut problems: Vec<(String, String)> = Vec::new();
    let parsed = Json {
        path: &diagnostic::Path::ROOT,
        report: true,
        error: &mut |p: &diagnostic::Path<'_>, m: String| problems.push((p.to_pointer(), m)),
    }
    .deserialize(serde_yaml::Deserializer::from_str(text));
    let raw = parsed.map_err(|e| yaml_error(name, text, &e))?;
    if !problems.is_empty() {
        let mut errors = SpecErrors(
            problems
                .into_iter()
                .map(|(pointer, message)| SpecError {
                    file: name.to_string(),
                    line: line_of(text, &pointer),
                    pointer,
                    message,
                })
                .collect(),
        );
        errors.sort();
        return Err(errors);
    }
    Ok(raw)
}

/// A YAML error, with serde_yaml's line; a repeated key names both of its lines.
fn yaml_error(name: &str, text: &str, e: &serde_yaml::Error) -> SpecErrors {
    let location = e.location().map(|l| (l.line(), l.column()));
    let (line, message) = match location
        .and_then(|(line, column)| duplicate_key(text, &e.to_string(), line, column))
    {
        Some((key, first, second)) => (
            Some(second),
            format!(
                "YAML error: the key `{key}` appears twice in the same mapping (lines {first} and {second}); keep one"
            ),
        ),
        None => (
            location.map(|(line, _)| line),
            format!("YAML syntax error: {e}"),
        ),
    };
    SpecErrors::one(SpecError {
        file: name.to_string(),
        pointer: "#".to_string(),
        line,
        message,
    })
}

/// For serde_yaml's "duplicate entry with key" error (located at the start of the mapping): the key and the
/// 1-based lines of its first and second occurrence, found by scanning the block mapping.
fn duplicate_key(
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

/// Deserializes YAML into JSON, refusing what JSON cannot say (tags, complex keys, non-finite numbers) and keys
/// that only differ in their YAML type (`200` and `'200'`), which JSON would merge silently. Keys that YAML
/// itself repeats are the YAML error `serde_yaml::Value` gives, word for word.
///
/// The conversion is the one `serde_yaml::Value` makes, followed by a walk to JSON, in one pass: `serde_yaml`
/// calls the same visitor methods, and this visitor answers them as `serde_yaml::Value` does.
struct Json<'p, 'e> {
    /// Where the value is, for the errors.
    path: &'p diagnostic::Path<'p>,
    /// Whether conversion problems are reported: not below a node that is refused already.
    report: bool,
    error: &'e mut dyn FnMut(&diagnostic::Path<'_>, String),
}

impl Json<'_, '_> {
    fn report(&mut self, message: impl FnOnce() -> String) {
        if self.report {
            (self.error)(self.path, message());
        }
    }
}

impl<'de> DeserializeSeed<'de> for Json<'_, '_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> de::Visitor<'de> for Json<'_, '_> {
    type Value = Value;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The words of `serde_yaml::Value`, which end up in the same error messages.
        formatter.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Value, E> {
        Ok(Value::from(i))
    }

    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Value, E> {
        Ok(Value::from(u))
    }

    fn visit_f64<E: de::Error>(mut self, f: f64) -> Result<Value, E> {
        Ok(match serde_json::Number::from_f64(f) {
            Some(n) => Value::Number(n),
            None => {
                self.report(|| {
                    let n = serde_yaml::Number::from(f);
                    format!("the number `{n}` cannot be represented in JSON; write a finite number")
                });
                Value::Null
            }
        })
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        loop {
            let path = self.path.child(items.len());
            let item = seq.next_element_seed(Json {
                path: &path,
                report: self.report,
                error: &mut *self.error,
            })?;
            match item {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Value, A::Error> {
        use serde_yaml::Value as Y;
        let mut out = serde_json::Map::new();
        // Rare: the keys that are not YAML strings, with their JSON key when the entry was kept; and YAML string
        // keys whose entry was dropped because a non-string key had taken their JSON spelling.
        let mut odd: Vec<(Y, Option<String>)> = Vec::new();
        let mut dropped: Vec<String> = Vec::new();
        while let Some(key) = map.next_key::<Y>()? {
            let (key, odd_at) = match key {
                Y::String(s) => (s, None),
                other => {
                    // A key YAML repeats is refused as `serde_yaml::Mapping` refuses it, before its value is
                    // read; a non-string key can only repeat another non-string key.
                    if let Some((first, _)) = odd.iter().find(|(k, _)| *k == other) {
                        return Err(de::Error::custom(DuplicateKey(first)));
                    }
                    let json = match &other {
                        Y::Number(n) => Some(n.to_string()),
                        Y::Bool(b) => Some(b.to_string()),
                        Y::Null => Some("null".to_string()),
                        Y::String(s) => Some(s.clone()),
                        Y::Sequence(_) | Y::Mapping(_) | Y::Tagged(_) => None,
                    };
                    odd.push((other, None));
                    match json {
                        Some(json) => (json, Some(odd.len() - 1)),
                        None => {
                            self.report(|| "a mapping key is a collection or a tagged value; keys must be plain strings".to_string());
                            map.next_value_seed(self.silent())?;
                            continue;
                        }
                    }
                }
            };
            match out.entry(key) {
                Entry::Vacant(slot) => {
                    let path = self.path.child(slot.key().as_str());
                    let value = map.next_value_seed(Json {
                        path: &path,
                        report: self.report,
                        error: &mut *self.error,
                    })?;
                    if let Some((_, json)) = odd_at.and_then(|i| odd.get_mut(i)) {
                        *json = Some(slot.key().clone());
                    }
                    slot.insert(value);
                }
                Entry::Occupied(entry) => {
                    let key = entry.key();
                    // A string key repeats a string key (a YAML error) unless the entry is a non-string key's
                    // and no string key was dropped for it yet.
                    if odd_at.is_none()
                        && (!odd.iter().any(|(_, j)| j.as_deref() == Some(key.as_str()))
                            || dropped.contains(key))
                    {
                        return Err(de::Error::custom(DuplicateKey(&Y::String(key.clone()))));
                    }
                    if self.report {
                        let path = self.path.child(key.as_str());
                        (self.error)(
                            &path,
                            format!(
                                "the key `{key}` appears twice in this mapping (once quoted, once not); keep one"
                            ),
                        );
                    }
                    if odd_at.is_none() {
                        dropped.push(key.clone());
                    }
                    map.next_value_seed(self.silent())?;
                }
            }
        }
        Ok(Value::Object(out))
    }

    fn visit_enum<A: de::EnumAccess<'de>>(mut self, data: A) -> Result<Value, A::Error> {
        use de::VariantAccess;
        // A tagged value: read (as `serde_yaml::Value` reads it, so its YAML errors are the same) and refused.
        let (tag, contents) = data.variant_seed(TagSeed)?;
        contents.newtype_variant_seed(self.silent())?;
        self.report(|| {
            format!("the YAML tag `{tag}` is not supported by the generator; remove it")
        });
        Ok(Value::Null)
    }
}

impl Json<'_, '_> {
    /// The same place, reporting nothing: for values that are dropped.
    fn silent(&mut self) -> Json<'_, '_> {
        Json {
            path: self.path,
            report: false,
            error: &mut *self.error,
        }
    }
}

/// serde_yaml's message for a key a mapping repeats.
struct DuplicateKey<'k>(&'k serde_yaml::Value);

impl fmt::Display for DuplicateKey<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use serde_yaml::Value as Y;
        f.write_str("duplicate entry ")?;
        match self.0 {
            Y::Null => f.write_str("with null key"),
            Y::Bool(b) => write!(f, "with key `{b}`"),
            Y::Number(n) => write!(f, "with key {n}"),
            Y::String(s) => write!(f, "with key {s:?}"),
            Y::Sequence(_) | Y::Mapping(_) | Y::Tagged(_) => f.write_str("in YAML map"),
        }
    }
}

/// A YAML tag, read as `serde_yaml::Value` reads it.
struct TagSeed;

impl<'de> DeserializeSeed<'de> for TagSeed {
    type Value = serde_yaml::value::Tag;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_string(self)
    }
}

impl de::Visitor<'_> for TagSeed {
    type Value = serde_yaml::value::Tag;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a YAML tag string")
    }

    fn visit_str<E: de::Error>(self, string: &str) -> Result<Self::Value, E> {
        self.visit_string(string.to_owned())
    }

    fn visit_string<E: de::Error>(self, string: String) -> Result<Self::Value, E> {
        if string.is_empty() {
            return Err(E::custom("empty YAML tag is not allowed"));
        }
        Ok(serde_yaml::value::Tag::new(string))
    }
}

/// The `openapi` field must be a `3.0.x` version string.
fn check_version(raw: &Value) -> Result<(), (String, String)> {
    let Some(root) = raw.as_object() else {
        return Err((
            "#".to_string(),
            "the document must be a YAML mapping with `openapi`, `info` and `paths`".to_string(),
        ));
    };
    match root.get("openapi") {
        None => Err((
            "#".to_string(),
            "`openapi` is missing; add `openapi: 3.0.3` at the top of the document".to_string(),
        )),
        Some(Value::String(v)) if is_openapi_30(v) => Ok(()),
        Some(Value::String(v)) => Err((
            "#/openapi".to_string(),
            format!(
                "`openapi` is `{v}`, but the generator supports OpenAPI 3.0.x only; write `openapi: 3.0.3`"
            ),
        )),
        Some(other) => Err((
            "#/openapi".to_string(),
            format!(
                "`openapi` must be a version string such as `3.0.3`, not `{other}`; quote it: `openapi: '3.0.3'`"
            ),
        )),
    }
}

fn is_openapi_30(version: &str) -> bool {
    version
        .strip_prefix("3.0.")
        .is_some_and(|patch| !patch.is_empty() && patch.bytes().all(|b| b.is_ascii_digit()))
}

/// What the typed deserialization of one part of the document expects.
#[derive(Clone, Copy)]
enum Part {
    Document,
    Info,
    Server,
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Responses,
    Response,
    MediaType,
    Schema,
    Components,
    SecurityScheme,
    SecurityRequirement,
    Example,
    Tag,
    ExternalDocs,
}

impl Part {
    fn noun(self) -> &'static str {
        match self {
            Part::Document => "document",
            Part::Info => "Info object",
            Part::Server => "Server object",
            Part::PathItem => "Path Item object",
            Part::Operation => "Operation object",
            Part::Parameter => "Parameter object",
            Part::RequestBody => "Request Body object",
            Part::Responses => "Responses object",
            Part::Response => "Response object",
            Part::MediaType => "Media Type object",
            Part::Schema => "Schema object",
            Part::Components => "Components object",
            Part::SecurityScheme => "Security Scheme object",
            Part::SecurityRequirement => "Security Requirement object",
            Part::Example => "Example object",
            Part::Tag => "Tag object",
            Part::ExternalDocs => "External Documentation object",
        }
    }

    fn probe(self, value: &Value) -> Result<(), String> {
        use openapiv3::ReferenceOr as R;
        fn p<T: DeserializeOwned>(value: &Value) -> Result<(), String> {
            serde_json::from_value::<T>(value.clone())
                .map(|_| ())
                .map_err(|e| e.to_string())
        }
        match self {
            Part::Document => p::<openapiv3::OpenAPI>(value),
            Part::Info => p::<openapiv3::Info>(value),
            Part::Server => p::<openapiv3::Server>(value),
            Part::PathItem => p::<R<openapiv3::PathItem>>(value),
            Part::Operation => p::<openapiv3::Operation>(value),
            Part::Parameter => p::<R<openapiv3::Parameter>>(value),
            Part::RequestBody => p::<R<openapiv3::RequestBody>>(value),
            Part::Responses => p::<openapiv3::Responses>(value),
            Part::Response => p::<R<openapiv3::Response>>(value),
            Part::MediaType => p::<openapiv3::MediaType>(value),
            Part::Schema => p::<R<openapiv3::Schema>>(value),
            Part::Components => p::<openapiv3::Components>(value),
            Part::SecurityScheme => p::<R<openapiv3::SecurityScheme>>(value),
            Part::SecurityRequirement => p::<openapiv3::SecurityRequirement>(value),
            Part::Example => p::<R<openapiv3::Example>>(value),
            Part::Tag => p::<openapiv3::Tag>(value),
            Part::ExternalDocs => p::<openapiv3::ExternalDocumentation>(value),
        }
    }

    /// The typed sub-parts of `value`, with their pointers.
    fn children<'v>(self, value: &'v Value, pointer: &str) -> Vec<(Part, &'v Value, String)> {
        let mut out = Vec::new();
        let Some(map) = value.as_object() else {
            return out;
        };
        let mut one = |part: Part, key: &str| {
            if let Some(v) = map.get(key) {
                out.push((part, v, child(pointer, key)));
            }
        };
        match self {
            Part::Document => {
                one(Part::Info, "info");
                one(Part::Components, "components");
                one(Part::ExternalDocs, "externalDocs");
            }
            Part::Operation => {
                one(Part::RequestBody, "requestBody");
                one(Part::Responses, "responses");
                one(Part::ExternalDocs, "externalDocs");
            }
            Part::Parameter => one(Part::Schema, "schema"),
            Part::MediaType => one(Part::Schema, "schema"),
            Part::Schema => {
                one(Part::Schema, "items");
                one(Part::Schema, "not");
                if map
                    .get("additionalProperties")
                    .is_some_and(Value::is_object)
                {
                    one(Part::Schema, "additionalProperties");
                }
            }
            _ => {}
        }
        let mut each = |part: Part, key: &str| {
            let base = child(pointer, key);
            match map.get(key) {
                Some(Value::Object(m)) => {
                    out.extend(m.iter().map(|(k, v)| (part, v, child(&base, k))));
                }
                Some(Value::Array(a)) => {
                    out.extend(
                        a.iter()
                            .enumerate()
                            .map(|(i, v)| (part, v, child(&base, i))),
                    );
                }
                _ => {}
            }
        };
        match self {
            Part::Document => {
                each(Part::Server, "servers");
                each(Part::PathItem, "paths");
                each(Part::SecurityRequirement, "security");
                each(Part::Tag, "tags");
            }
            Part::PathItem => {
                each(Part::Parameter, "parameters");
                each(Part::Server, "servers");
                for method in [
                    "get", "put", "post", "delete", "options", "head", "patch", "trace",
                ] {
                    if let Some(op) = map.get(method) {
                        out.push((Part::Operation, op, child(pointer, method)));
                    }
                }
            }
            Part::Operation => {
                each(Part::Parameter, "parameters");
                each(Part::SecurityRequirement, "security");
                each(Part::Server, "servers");
            }
            Part::RequestBody | Part::Response => each(Part::MediaType, "content"),
            Part::Responses => {
                out.extend(
                    map.iter()
                        .map(|(k, v)| (Part::Response, v, child(pointer, k))),
                );
            }
            Part::MediaType => each(Part::Example, "examples"),
            Part::Schema => {
                each(Part::Schema, "properties");
                each(Part::Schema, "allOf");
                each(Part::Schema, "oneOf");
                each(Part::Schema, "anyOf");
            }
            Part::Components => {
                each(Part::Schema, "schemas");
                each(Part::Parameter, "parameters");
                each(Part::Response, "responses");
                each(Part::RequestBody, "requestBodies");
                each(Part::SecurityScheme, "securitySchemes");
                each(Part::Example, "examples");
            }
            _ => {}
        }
        out
    }
}

/// Finds the innermost part of the document that the typed deserialization refuses.
fn locate_typed_error(raw: &Value) -> Option<(String, String)> {
    fn first_failure(
        part: Part,
        value: &Value,
        pointer: &str,
        depth: usize,
    ) -> Option<(String, String)> {
        let message = part.probe(value).err()?;
        if depth < 64 {
            for (child_part, child_value, child_pointer) in part.children(value, pointer) {
                if let Some(found) =
                    first_failure(child_part, child_value, &child_pointer, depth + 1)
                {
                    return Some(found);
                }
            }
        }
        Some((
            pointer.to_string(),
            format!("not a valid OpenAPI 3.0 {}: {message}", part.noun()),
        ))
    }
    first_failure(Part::Document, raw, "#", 0)
}

/// 1-based YAML line of the node `pointer` names in `text`; see [`LoadedSpec::line_of`].
pub fn line_of(text: &str, pointer: &str) -> Option<usize> {
    let tokens = tokens(pointer)?;
    let scan = Scan::new(text);
    let root = scan.root()?;
    let mut node = root;
    let mut line = root.line;
    for (i, token) in tokens.iter().enumerate() {
        let (key_line, next) = scan.child(node, token)?;
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

    /// The child `token` of the node at `pos`: the line of its key (or item) and where its value starts
    /// (`None` for an empty value).
    fn child(&self, pos: Pos, token: &str) -> Option<(usize, Option<Pos>)> {
        let rest = self.rest(pos)?;
        if rest.starts_with('{') || rest.starts_with('[') {
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
            return Some((self.line_at(item), value));
        }
        if rest == "-" || rest.starts_with("- ") {
            let index: usize = token.parse().ok()?;
            return self.seq_child(pos, index);
        }
        if parse_key(rest).is_some() || rest == "?" || rest.starts_with("? ") {
            return self.map_child(pos, token);
        }
        None
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

    fn map_child(&self, pos: Pos, token: &str) -> Option<(usize, Option<Pos>)> {
        let col = pos.col;
        let mut line = pos.line;
        loop {
            let text = self.line(line)?;
            let at_start = line == pos.line;
            if at_start || (Self::is_content(text) && Self::indent(text) == col) {
                let rest = text.get(col..)?;
                if rest == "?" || rest.starts_with("? ") {
                    if let Some((key, colon_line)) = self.explicit_key(line, col)
                        && key == token
                    {
                        let value = self.value_after(colon_line, col + 1, col, true)?;
                        return Some((line, value));
                    }
                } else if !(rest == "-" || rest.starts_with("- "))
                    && let Some((key, after)) = parse_key(rest)
                    && key == token
                {
                    let value = self.value_after(line, col + after, col, true)?;
                    return Some((line, value));
                }
            } else if Self::is_content(text) && Self::indent(text) < col {
                return None;
            }
            line += 1;
            if line >= self.starts.len() {
                return None;
            }
        }
    }

    fn seq_child(&self, pos: Pos, index: usize) -> Option<(usize, Option<Pos>)> {
        let col = pos.col;
        let mut line = pos.line;
        let mut seen = 0usize;
        loop {
            let text = self.line(line)?;
            let at_start = line == pos.line;
            if at_start || (Self::is_content(text) && Self::indent(text) == col) {
                let rest = text.get(col..)?;
                if !(rest == "-" || rest.starts_with("- ")) {
                    return None;
                }
                if seen == index {
                    let value = self.value_after(line, col + 1, col, false)?;
                    return Some((line, value));
                }
                seen += 1;
            } else if Self::is_content(text) && Self::indent(text) < col {
                return None;
            }
            line += 1;
            if line >= self.starts.len() {
                return None;
            }
        }
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
fn quoted(s: &str) -> Option<(String, usize)> {
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

    /// The conversion as it was before [`Json`]: a `serde_yaml::Value`, then a walk to JSON with eager
    /// pointers. The oracle [`Json`] must agree with, value for value and error for error.
    fn reference_parse(name: &str, text: &str) -> Result<Value, SpecErrors> {
        fn yaml_to_json(
            value: &serde_yaml::Value,
            pointer: &str,
            error: &mut dyn FnMut(&str, String),
        ) -> Value {
            use serde_yaml::Value as Y;
            match value {
                Y::Null => Value::Null,
                Y::Bool(b) => Value::Bool(*b),
                Y::Number(n) => {
                    if let Some(i) = n.as_i64() {
                        Value::from(i)
                    } else if let Some(u) = n.as_u64() {
                        Value::from(u)
                    } else if let Some(f) = n.as_f64().and_then(serde_json::Number::from_f64) {
                        Value::Number(f)
                    } else {
                        error(
                            pointer,
                            format!(
                                "the number `{n}` cannot be represented in JSON; write a finite number"
                            ),
                        );
                        Value::Null
                    }
                }
                Y::String(s) => Value::String(s.clone()),
                Y::Sequence(items) => Value::Array(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, item)| yaml_to_json(item, &child(pointer, i), error))
                        .collect(),
                ),
                Y::Mapping(map) => {
                    let mut out = serde_json::Map::new();
                    for (key, item) in map {
                        let key = match key {
                            Y::String(s) => s.clone(),
                            Y::Number(n) => n.to_string(),
                            Y::Bool(b) => b.to_string(),
                            Y::Null => "null".to_string(),
                            Y::Sequence(_) | Y::Mapping(_) | Y::Tagged(_) => {
                                error(pointer, "a mapping key is a collection or a tagged value; keys must be plain strings".to_string());
                                continue;
                            }
                        };
                        let item_pointer = child(pointer, &key);
                        if out.contains_key(&key) {
                            error(
                                &item_pointer,
                                format!(
                                    "the key `{key}` appears twice in this mapping (once quoted, once not); keep one"
                                ),
                            );
                            continue;
                        }
                        let item = yaml_to_json(item, &item_pointer, error);
                        out.insert(key, item);
                    }
                    Value::Object(out)
                }
                Y::Tagged(tagged) => {
                    error(
                        pointer,
                        format!(
                            "the YAML tag `{}` is not supported by the generator; remove it",
                            tagged.tag
                        ),
                    );
                    Value::Null
                }
            }
        }

        let yaml: serde_yaml::Value =
            serde_yaml::from_str(text).map_err(|e| yaml_error(name, text, &e))?;
        let mut errors = Vec::new();
        let raw = yaml_to_json(&yaml, "#", &mut |p, m| {
            errors.push(SpecError {
                file: name.to_string(),
                pointer: p.to_string(),
                line: line_of(text, p),
                message: m,
            });
        });
        if !errors.is_empty() {
            let mut errors = SpecErrors(errors);
            errors.sort();
            return Err(errors);
        }
        Ok(raw)
    }

    fn same_as_reference(text: &str) {
        let new = parse_json("t.yaml", text);
        let old = reference_parse("t.yaml", text);
        assert_eq!(new, old, "on {text:?}");
        // Key order is kept too.
        if let (Ok(new), Ok(old)) = (&new, &old) {
            assert_eq!(new.to_string(), old.to_string(), "on {text:?}");
        }
    }

    #[test]
    fn yaml_to_json_matches_the_reference() {
        let deep_seq = format!("{}1{}", "[".repeat(200), "]".repeat(200));
        let deep_map = format!("{}1{}", "{a: ".repeat(130), "}".repeat(130));
        let cases: &[&str] = &[
            "",
            "---",
            "~",
            "a: 1\n---\nb: 2\n",
            "a: [1, -2, 3.5, 1e3, 0x1F, 0o17, 18446744073709551615, 18446744073709551616, -9223372036854775809]\n",
            "a: .nan\nb: [.inf, -.inf]\nc: {d: .NaN}\n",
            "{200: a, '200': b}",
            "{'200': a, 200: b}",
            "{200: a, '200': b, '200': c}",
            "{'200': a, 200: b, 200: c}",
            "{200: a, '200': {x: 1, x: 2}}",
            "{200: a, '200': !t {x: 1, x: 2}}",
            "{200: a, '200': !t {x: 1}}",
            "{1.0: a, '1.0': b, 1.00: c}",
            "{0.0: a, -0.0: b}",
            "{.nan: a, .NaN: b}",
            "{true: a, 'true': b}",
            "{true: a, True: b}",
            "{null: a, ~: b}",
            "{null: a, 'null': b}",
            "{'null': a, null: b, 'null': c}",
            "{x: 1, x: 2}",
            "a:\n  b: 1\n  c: 2\n  b: 3\n",
            "a:\n  \"b\": 1\n  'b': 3\n",
            "? [a, b]\n: 1\n? [a, b]\n: 2\n",
            "? [a, b]\n: 1\nc: 2\n",
            "? {a: 1}\n: {x: .nan}\n",
            "!t k: v\n!t k: w\n",
            "!t k: v\nk: w\n",
            "a: !custom 1\nb: !!str 5\nc: !!int '7'\nd: !!float 1\nf: !!bool 'true'\n",
            "e: !!null ''\n",
            "e: !!null ~\nf: !!int x\n",
            "a: !!binary aGVsbG8=\nb: !!map {x: 1}\nc: !!seq [1]\nd: !<tag:example.com,2000:x> 1\n",
            "a: !custom {x: .nan, y: [1, 2]}\n",
            "a: !custom [1, {x: 1, x: 2}]\n",
            "a: ! x\n",
            "a: &anchor {b: 1, c: [1, 2]}\nd: *anchor\ne:\n  <<: *anchor\n  b: 2\n",
            "a: &x .inf\nb: *x\n",
            "a: *undefined\n",
            "a: [1, 2\n",
            "a: b: c\n",
            "\ta: 1\n",
            "- a\n- {'~/x': 1, 'a/b': [.inf]}\n",
            "a: {'~/x': {200: 1, '200': 2}}\n",
            "k: 'quoted'\nl: \"double\\n\"\nm: |\n  block\nn: >\n  folded\n",
            &deep_seq,
            &deep_map,
        ];
        for text in cases {
            same_as_reference(text);
        }
        let spec = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../spec/msgraph-sync.yaml"
        ))
        .expect("spec");
        same_as_reference(&spec);
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/broken-specs");
        for entry in std::fs::read_dir(corpus).expect("corpus") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "yaml") {
                same_as_reference(&std::fs::read_to_string(&path).expect("case"));
            }
        }
        // Line-level mutations of the spec: dropped, repeated, re-indented and rewritten lines.
        let lines: Vec<&str> = spec.lines().collect();
        for (i, line) in lines.iter().enumerate().step_by(97) {
            let with = |replacement: &[&str]| {
                let mut out: Vec<&str> = lines.get(..i).unwrap_or(&[]).to_vec();
                out.extend_from_slice(replacement);
                out.extend_from_slice(lines.get(i + 1..).unwrap_or(&[]));
                out.join("\n")
            };
            same_as_reference(&with(&[]));
            same_as_reference(&with(&[line, line]));
            let indented = format!("  {line}");
            same_as_reference(&with(&[&indented]));
            if let Some((key, _)) = line.split_once(": ") {
                for value in [
                    ".nan",
                    "!t x",
                    "{200: a, '200': b}",
                    "[a, {b: 1, b: 2}]",
                    "~",
                ] {
                    let rewritten = format!("{key}: {value}");
                    same_as_reference(&with(&[&rewritten]));
                }
                let quoted = format!("{key}: 1\n{key}: 2");
                same_as_reference(&with(&[&quoted]));
            }
        }
    }
}
