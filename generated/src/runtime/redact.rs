//! Keeping secrets out of errors and logs, whatever path a value takes.
//!
//! - Response bodies are never formatted: errors keep them as a [`ResponseBody`], whose `Debug`
//!   and `Display` show only the length (the bytes are behind an explicit accessor).
//! - Serde messages do not echo the offending value ([`without_echoed_value`]): a secret sent
//!   with the wrong type would otherwise be printed ("invalid type: integer `987654321`").
//! - Text the service sends back in an error (a Graph error's message, details, ...) is scrubbed
//!   of the secrets the request carried: the bearer token and every
//!   [`SecretString`](crate::SecretString) serialized into its body ([`Secrets`]).
//! - Header values other than a few diagnostic ones are marked sensitive ([`redact_headers`]),
//!   so `Debug` of a kept `HeaderMap` prints `Sensitive`.
//! - URLs are shown without userinfo, query and fragment ([`display_url`]).

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use http::HeaderMap;
use url::Url;

/// What replaces a secret in scrubbed text.
const REDACTED: &str = "[redacted]";

/// A response body kept in an error. `Debug` and `Display` show only its length, because a body
/// can carry secrets (a `GET .../synchronization` response holds the stored secret values); read
/// it explicitly with [`expose_bytes`](ResponseBody::expose_bytes) or
/// [`expose_text`](ResponseBody::expose_text), and keep what you read out of logs.
///
/// ```
/// # use msgraph_sync::ResponseBody;
/// let body = ResponseBody::from(&br#"{"value":"hunter2"}"#[..]);
/// assert_eq!(format!("{body} {body:?}"), "[19 bytes, not shown] ResponseBody { len: 19 }");
/// assert!(body.expose_text().contains("hunter2"));
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ResponseBody(Bytes);

impl ResponseBody {
    pub(crate) fn new(bytes: Bytes) -> Self {
        Self(bytes)
    }

    /// The length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the body is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The raw bytes (decompressed). They may carry secrets.
    pub fn expose_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The body as text, invalid UTF-8 replaced by `U+FFFD`. It may carry secrets.
    pub fn expose_text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.0)
    }
}

impl From<&[u8]> for ResponseBody {
    fn from(bytes: &[u8]) -> Self {
        Self(Bytes::copy_from_slice(bytes))
    }
}

impl fmt::Debug for ResponseBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseBody")
            .field("len", &self.0.len())
            .finish()
    }
}

impl fmt::Display for ResponseBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{} bytes, not shown]", self.0.len())
    }
}

thread_local! {
    /// The secrets serialized so far by the innermost [`collecting_secrets`] on this thread.
    static COLLECTED: RefCell<Option<Vec<String>>> = const { RefCell::new(None) };
}

/// Records `secret` if a request body is being serialized on this thread (called by
/// `SecretString`'s `Serialize`).
pub(crate) fn note_secret(secret: &str) {
    if secret.is_empty() {
        return;
    }
    COLLECTED.with(|collected| {
        if let Some(list) = collected.borrow_mut().as_mut() {
            list.push(secret.to_owned());
        }
    });
}

/// Runs `serialize` (a synchronous body serialization) and returns its result with every secret
/// value serialized inside it.
pub(crate) fn collecting_secrets<R>(serialize: impl FnOnce() -> R) -> (R, Secrets) {
    let outer = COLLECTED.with(|c| c.replace(Some(Vec::new())));
    let result = serialize();
    let found = COLLECTED.with(|c| c.replace(outer)).unwrap_or_default();
    (result, Secrets::from_strings(found))
}

/// The secret values one request carries, to scrub from text the service sends back.
/// `Debug` shows only how many there are.
#[derive(Clone, Default)]
pub(crate) struct Secrets(Arc<[String]>);

impl Secrets {
    fn from_strings(mut list: Vec<String>) -> Self {
        // Longest first, so a secret that contains another is replaced whole.
        list.sort_by_key(|s| std::cmp::Reverse(s.len()));
        list.dedup();
        Self(list.into())
    }

    /// These secrets and `more`.
    pub(crate) fn and(&self, more: &str) -> Self {
        let mut list = self.0.to_vec();
        list.push(more.to_owned());
        Self::from_strings(list)
    }

    /// `text` with every secret replaced by `[redacted]`.
    pub(crate) fn scrub<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut out = Cow::Borrowed(text);
        for secret in self.0.iter().filter(|s| !s.is_empty()) {
            if out.contains(secret.as_str()) {
                out = Cow::Owned(out.replace(secret.as_str(), REDACTED));
            }
        }
        out
    }

    /// The JSON text `json` with every secret replaced by `[redacted]` inside its strings (object
    /// keys included), matched on their decoded text, so an escaped spelling (`"\u0068unter2"`) is
    /// caught too. Everything else (numbers of any size, spacing) is kept byte for byte.
    pub(crate) fn scrub_json<'a>(&self, json: &'a str) -> Cow<'a, str> {
        let bytes = json.as_bytes();
        let (mut out, mut copied, mut at) = (String::new(), 0, 0);
        while let Some(start) = bytes[at..].iter().position(|&b| b == b'"').map(|p| at + p) {
            // The closing quote: the first one not escaped.
            let mut end = start + 1;
            while let Some(&b) = bytes.get(end) {
                match b {
                    b'\\' => end += 2,
                    b'"' => break,
                    _ => end += 1,
                }
            }
            let Some(token) = json.get(start..=end) else {
                break;
            };
            at = end + 1;
            let inner = &token[1..token.len() - 1];
            let text: Cow<'_, str> = if inner.contains('\\') {
                match serde_json::from_str::<String>(token) {
                    Ok(text) => Cow::Owned(text),
                    Err(_) => continue,
                }
            } else {
                Cow::Borrowed(inner)
            };
            if let Cow::Owned(clean) = self.scrub(&text) {
                out.push_str(&json[copied..start]);
                match serde_json::to_string(&clean) {
                    Ok(quoted) => out.push_str(&quoted),
                    Err(_) => out.push_str("\"[redacted]\""),
                }
                copied = at;
            }
        }
        if copied == 0 {
            return Cow::Borrowed(json);
        }
        out.push_str(&json[copied..]);
        Cow::Owned(out)
    }
}

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secrets({})", self.0.len())
    }
}

/// Response headers whose values are diagnostics, shown in `Debug`; every other value is marked
/// sensitive (a gateway can echo a credential in any header, and `Location` can carry a `?sig=`).
const SHOWN_HEADERS: &[&str] = &[
    "client-request-id",
    "content-encoding",
    "content-length",
    "content-type",
    "date",
    "request-id",
    "retry-after",
    "x-ms-ags-diagnostic",
    "x-ms-resource-unit",
    "x-ms-throttle-information",
    "x-ms-throttle-limit-percentage",
    "x-ms-throttle-scope",
];

/// `headers` with every value outside [`SHOWN_HEADERS`], or holding one of `secrets`, marked
/// sensitive (values are unchanged; `Debug` prints `Sensitive` for them).
pub(crate) fn redact_headers(mut headers: HeaderMap, secrets: &Secrets) -> HeaderMap {
    for (name, value) in headers.iter_mut() {
        let echoes = || {
            let text = String::from_utf8_lossy(value.as_bytes());
            matches!(secrets.scrub(&text), Cow::Owned(_))
        };
        if !SHOWN_HEADERS.contains(&name.as_str()) || echoes() {
            value.set_sensitive(true);
        }
    }
    headers
}

/// `url` without userinfo, query or fragment, for errors and logs.
pub(crate) fn display_url(url: &Url) -> String {
    let mut shown = url.clone();
    shown.set_query(None);
    shown.set_fragment(None);
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    shown.to_string()
}

/// A `Location` header value as shown in errors: resolved against `base` when it is a valid URL
/// and shown by [`display_url`]; otherwise only its length.
pub(crate) fn display_location(base: &Url, location: &str) -> String {
    match base.join(location) {
        Ok(url) => display_url(&url),
        Err(_) => format!("[{} bytes, not a URL]", location.len()),
    }
}

/// Serde's descriptions of an unexpected value, without the value: `integer `5`` → `integer`.
const VALUE_KINDS: &[&str] = &[
    "boolean",
    "integer",
    "floating point",
    "character",
    "string",
    "byte array",
    "unit value",
    "Option value",
    "newtype struct",
    "sequence",
    "map",
    "enum",
    "unit variant",
    "newtype variant",
    "tuple variant",
    "struct variant",
    "null",
];

/// A serde error message without the value it echoes: `invalid type: integer `987654321`,
/// expected a string` becomes `invalid type: integer, expected a string` (the same for
/// `invalid value:`). Other messages are returned as they are.
pub(crate) fn without_echoed_value(message: &str) -> Cow<'_, str> {
    for prefix in ["invalid type: ", "invalid value: "] {
        let Some(rest) = message.strip_prefix(prefix) else {
            continue;
        };
        // The value comes first and may itself contain ", expected "; the expectation (from
        // the type, not the data) is the text after the last one.
        let (unexpected, expected) = match rest.rfind(", expected ") {
            Some(at) => rest.split_at(at),
            None => (rest, ""),
        };
        let kind = VALUE_KINDS
            .iter()
            .filter(|kind| unexpected.starts_with(**kind))
            .max_by_key(|kind| kind.len())
            .copied()
            .unwrap_or("a value");
        return Cow::Owned(format!("{prefix}{kind} (not shown){expected}"));
    }
    Cow::Borrowed(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_echoes_are_removed() {
        assert_eq!(
            without_echoed_value(
                "invalid type: integer `987654321`, expected a string at line 1 column 9"
            ),
            "invalid type: integer (not shown), expected a string at line 1 column 9"
        );
        assert_eq!(
            without_echoed_value(r#"invalid value: string "a, expected b", expected c"#),
            "invalid value: string (not shown), expected c"
        );
        assert_eq!(
            without_echoed_value("invalid type: floating point `1.5`, expected u8"),
            "invalid type: floating point (not shown), expected u8"
        );
        assert_eq!(
            without_echoed_value("invalid type: whatever"),
            "invalid type: a value (not shown)"
        );
        assert_eq!(
            without_echoed_value("missing field `id`"),
            "missing field `id`"
        );
    }

    #[test]
    fn collected_secrets_are_scrubbed() {
        let ((), secrets) = collecting_secrets(|| {
            note_secret("hunter2");
            note_secret("hunter2-long");
            note_secret("");
        });
        note_secret("not collected");
        let secrets = secrets.and("tok");
        assert_eq!(format!("{secrets:?}"), "Secrets(3)");
        assert_eq!(
            secrets.scrub("a hunter2-long b hunter2 c tok"),
            "a [redacted] b [redacted] c [redacted]"
        );
        assert_eq!(
            secrets
                .scrub_json(r#"{"k": ["x hunter2", 1e400], "hunter2" :1, "e":"\u0068unter2\"\\"}"#),
            r#"{"k": ["x [redacted]", 1e400], "[redacted]" :1, "e":"[redacted]\"\\"}"#
        );
        let clean = r#"{"a":"\"hunter","b":123456789012345678901234567890}"#;
        assert!(matches!(secrets.scrub_json(clean), Cow::Borrowed(_)));
        assert!(matches!(secrets.scrub("clean"), Cow::Borrowed(_)));
    }

    #[test]
    fn urls_and_headers_are_shown_without_credentials() {
        let u = Url::parse("https://user:pw@evil.example/x?sig=secret#f").unwrap();
        assert_eq!(display_url(&u), "https://evil.example/x");
        assert_eq!(display_location(&u, "/y?sig=s"), "https://evil.example/y");
        let mut h = HeaderMap::new();
        h.insert("request-id", "rid".parse().unwrap());
        h.insert("x-echo", "hunter2".parse().unwrap());
        h.insert("client-request-id", "tok-echo".parse().unwrap());
        let ((), secrets) = collecting_secrets(|| note_secret("tok-echo"));
        let shown = format!("{:?}", redact_headers(h, &secrets));
        assert!(
            shown.contains("rid") && !shown.contains("hunter2"),
            "{shown}"
        );
        assert!(!shown.contains("tok-echo"), "{shown}");
    }
}
