//! The OData and Microsoft Graph conventions the generator understands, in one place for every stage.
//!
//! Facts of one API (which entity sets are parents, which subtree hangs off them, which query options an
//! operation takes) are data in the spec (`docs/DESIGN.md` §1); what is here holds for any Graph API
//! description: how a key segment is spelt, the system query options, the namespace prefix of bound actions,
//! the permission kinds, and how spec names become Rust names.
//!
//! Rust names are heck's UpperCamelCase (types, variants) or snake_case (fields, methods, parameters) of the
//! spec name with every character but an ASCII letter or digit taken as a word break; a keyword then gets a
//! trailing `_` (`type_`), a name that does not start with a letter a leading `_` (`_2fa`), and an empty name
//! becomes `_unnamed`.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// The namespace prefix of bound actions and functions (`microsoft.graph.provisionOnDemand`).
pub const NAMESPACE_PREFIX: &str = "microsoft.graph.";

/// The OData system query options the runtime's query types carry, in the order of the runtime's builders.
pub const QUERY_OPTIONS: &[&str] = &["$top", "$filter", "$select", "$skiptoken", "$count"];

/// The query options of a single-entity GET.
pub const ENTITY_QUERY_OPTIONS: &[&str] = &["$select"];

/// The kinds of `x-graph-permissions`, each with its label in the documentation.
pub const PERMISSION_KINDS: &[(&str, &str)] = &[
    ("delegatedWork", "Delegated (work or school account)"),
    (
        "delegatedPersonal",
        "Delegated (personal Microsoft account)",
    ),
    ("application", "Application"),
];

/// The HTTP methods the generator supports, as OpenAPI spells them.
pub const METHODS: &[&str] = &["get", "put", "post", "delete", "patch"];

/// Whether an operation with this (lower-case) HTTP method may be sent again after a 503/504 or a transport
/// error when the spec says nothing (`x-graph-idempotent` overrides it): GET, PUT and DELETE.
pub fn idempotent_by_default(method: &str) -> bool {
    matches!(method, "get" | "put" | "delete")
}

/// A parent path as OData addresses one entity of a set: `/<set>/{<param>}` (by id) or
/// `/<set>(<key>='{<param>}')` (by an alternate key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeySegment<'a> {
    /// Entity set (`servicePrincipals`).
    pub set: &'a str,
    /// `None` for the id form, `Some(key)` for an alternate key (`appId`).
    pub key: Option<&'a str>,
    /// Path template parameter holding the id or key value (`servicePrincipal-id`, `appId`).
    pub param: &'a str,
}

impl<'a> KeySegment<'a> {
    /// Parses a whole parent path; `None` when it has neither form (or a set, key or parameter that is not a
    /// name of letters, digits, `-` and `_`).
    pub fn parse(path: &'a str) -> Option<Self> {
        let rest = path.strip_prefix('/')?;
        let parsed = match rest.split_once('/') {
            Some((set, param)) => KeySegment {
                set,
                key: None,
                param: param_of(param)?,
            },
            None => {
                let (set, inner) = rest.strip_suffix(')')?.split_once('(')?;
                let (key, value) = inner.split_once('=')?;
                let value = value.strip_prefix('\'')?.strip_suffix('\'')?;
                KeySegment {
                    set,
                    key: Some(key),
                    param: param_of(value)?,
                }
            }
        };
        let name = |s: &str| is_name(s) && !s.starts_with(|c: char| c.is_ascii_digit());
        (name(parsed.set) && parsed.key.is_none_or(name) && is_name(parsed.param)).then_some(parsed)
    }
}

/// Whether `s` is a non-empty name of ASCII letters, digits, `-` and `_` (path template parameters).
pub fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// `{synchronizationJob-id}` → `synchronizationJob-id`.
pub fn param_of(segment: &str) -> Option<&str> {
    segment.strip_prefix('{')?.strip_suffix('}')
}

/// The names of the `{...}` template parameters of a path, in order.
pub fn template_names(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        names.push(&after[..close]);
        rest = &after[close + 1..];
    }
    names
}

/// What stops a literal path segment from being sent as written, if anything: dot segments (which a client
/// or server resolves to another resource), percent-encoding, and characters that end or escape a segment.
pub fn literal_segment_problem(segment: &str) -> Option<&'static str> {
    let decoded_dots = segment.to_ascii_lowercase().replace("%2e", ".");
    if decoded_dots == "." || decoded_dots == ".." {
        return Some("is a dot segment, which resolves to another resource");
    }
    for c in segment.chars() {
        let problem = match c {
            '%' => {
                "holds `%`; percent-encoded segments are not supported, write the segment as it is sent"
            }
            '?' => "holds `?`, which starts the query",
            '#' => "holds `#`, which starts the fragment",
            '\\' => "holds `\\`, which some clients read as `/`",
            '{' | '}' => {
                "mixes a template parameter with text; a parameter must be a whole segment (`{name}`)"
            }
            c if c.is_whitespace() => "holds whitespace",
            c if c.is_control() => "holds a control character",
            _ => continue,
        };
        return Some(problem);
    }
    None
}

/// Characters that must not reach generated code from spec text: bidirectional controls (which make source
/// read differently from how it compiles) and a carriage return not followed by a line feed. Returns the
/// first one with a name for messages.
pub fn forbidden_text_char(text: &str) -> Option<(char, &'static str)> {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let name = match c {
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {
                "a bidirectional embedding, override or isolate control"
            }
            '\u{200E}' | '\u{200F}' | '\u{061C}' => "a bidirectional mark",
            '\r' if chars.peek() != Some(&'\n') => "a carriage return without a line feed",
            _ => continue,
        };
        return Some((c, name));
    }
    None
}

/// `microsoft.graph.Ping()` → `Ping`: a segment without the namespace prefix and the call parentheses.
pub fn clean_segment(segment: &str) -> &str {
    let s = segment.strip_prefix(NAMESPACE_PREFIX).unwrap_or(segment);
    s.strip_suffix("()").unwrap_or(s)
}

/// Singular of a collection name: `jobs` → `job`, `directories` → `directory`, `servicePrincipals` →
/// `servicePrincipal`.
pub fn singular(segment: &str) -> String {
    if let Some(stem) = segment.strip_suffix("ies") {
        format!("{stem}y")
    } else if let Some(stem) = segment.strip_suffix('s') {
        stem.to_string()
    } else {
        segment.to_string()
    }
}

/// Rust type name for a schema, entity set or segment name (see the module docs).
pub fn type_name(name: &str) -> String {
    usable_ident(ascii_words(name).to_upper_camel_case())
}

/// Rust field, method or parameter name (see the module docs).
pub fn snake_name(name: &str) -> String {
    usable_ident(ascii_words(name).to_snake_case())
}

/// Enum variant name for a wire member (see the module docs).
pub fn variant_name(wire: &str) -> String {
    usable_ident(ascii_words(wire).to_upper_camel_case())
}

/// `name` with every character other than an ASCII letter or digit turned into a word break.
fn ascii_words(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// A name made a Rust identifier: a keyword gets a trailing `_` (`type_`), a name that does not start with a
/// letter gets a leading `_` (`_2fa`), and an empty name becomes `_unnamed`. The name is heck's output from
/// [`ascii_words`], so it holds only ASCII letters, digits and `_`.
fn usable_ident(name: String) -> String {
    const KEYWORDS: &[&str] = &[
        "Self", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
        "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if",
        "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv",
        "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true", "try",
        "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
    ];
    if name.is_empty() {
        return "_unnamed".to_string();
    }
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return format!("_{name}");
    }
    if KEYWORDS.contains(&name.as_str()) {
        return format!("{name}_");
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every name the spec can hold becomes a Rust identifier (`Ident::new` panics on anything else).
    #[test]
    fn any_wire_name_becomes_a_usable_identifier() {
        let cases = [
            ("anchor", "anchor", "Anchor", "Anchor"),
            ("type", "type_", "Type", "Type"),
            ("self", "self_", "Self_", "Self_"),
            ("2fa", "_2fa", "_2fa", "_2fa"),
            ("@odata.type", "odata_type", "OdataType", "OdataType"),
            ("", "_unnamed", "_unnamed", "_unnamed"),
            ("@", "_unnamed", "_unnamed", "_unnamed"),
            ("Ünïcode", "n_code", "NCode", "NCode"),
            (
                "quarantineReason",
                "quarantine_reason",
                "QuarantineReason",
                "QuarantineReason",
            ),
        ];
        for (wire, snake, ty, variant) in cases {
            assert_eq!(snake_name(wire), snake, "{wire:?} as a field");
            assert_eq!(type_name(wire), ty, "{wire:?} as a type");
            assert_eq!(variant_name(wire), variant, "{wire:?} as a variant");
            for name in [snake_name(wire), type_name(wire), variant_name(wire)] {
                assert!(
                    syn::parse_str::<syn::Ident>(&name).is_ok(),
                    "{wire:?} gave {name:?}, which is not an identifier"
                );
            }
        }
    }

    #[test]
    fn key_segments_in_both_forms() {
        assert_eq!(
            KeySegment::parse("/servicePrincipals/{servicePrincipal-id}"),
            Some(KeySegment {
                set: "servicePrincipals",
                key: None,
                param: "servicePrincipal-id"
            })
        );
        assert_eq!(
            KeySegment::parse("/servicePrincipals(appId='{appId}')"),
            Some(KeySegment {
                set: "servicePrincipals",
                key: Some("appId"),
                param: "appId"
            })
        );
        for bad in [
            "servicePrincipals/{id}",
            "/servicePrincipals/id",
            "/a/{b}/c",
            "/a(k={v})",
            "/a(k='{v}'",
            "/a b/{id}",
            "/a/{}",
            "/(k='{v}')",
        ] {
            assert_eq!(KeySegment::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn literal_segments_that_change_the_resource_are_refused() {
        for bad in [
            ".", "..", "%2e%2e", "%2E.", ".%2e", "%2e", "a?b", "a#", "a%20b", "a\\b", "a b",
            "a\tb", "a\u{7f}", "{a}b", "x{a}",
        ] {
            assert!(literal_segment_problem(bad).is_some(), "{bad:?}");
        }
        for good in ["jobs", "microsoft.graph.start", "...", "a.b", "ping()"] {
            assert_eq!(literal_segment_problem(good), None, "{good:?}");
        }
    }

    #[test]
    fn bidi_controls_and_bare_carriage_returns_are_found() {
        for (text, c) in [
            ("a\u{202E}b", '\u{202E}'),
            ("\u{2066}", '\u{2066}'),
            ("x\u{200F}", '\u{200F}'),
            ("\u{061C}", '\u{061C}'),
            ("line\rnext", '\r'),
            ("end\r", '\r'),
        ] {
            assert_eq!(
                forbidden_text_char(text).map(|(found, _)| found),
                Some(c),
                "{text:?}"
            );
        }
        assert_eq!(forbidden_text_char("ok\r\nnext é ü 日本"), None);
    }
}
