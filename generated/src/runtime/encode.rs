//! Percent-encoding of path segments and query values, with the `percent-encoding` crate (UTF-8,
//! upper-case hex).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Everything but the RFC 3986 unreserved characters `A-Z a-z 0-9 - . _ ~` is encoded, so an
/// encoded value is exactly one path segment and one query value (`/`, `?`, `#`, `%`, `&`, `=`,
/// `,`, `'` and every non-ASCII byte are encoded).
pub(crate) const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// An OData alternate-key value inside `'...'`, its quotes already doubled: as [`SEGMENT`], but `'`
/// stays.
pub(crate) const ALT_KEY_VALUE: &AsciiSet = &SEGMENT.remove(b'\'');

/// Appends `input` to `out`, percent-encoding every byte in `set`.
pub(crate) fn push_encoded(out: &mut String, input: &str, set: &'static AsciiSet) {
    out.extend(utf8_percent_encode(input, set));
}

/// Percent-encodes everything but unreserved characters.
pub(crate) fn encode_component(input: &str) -> String {
    utf8_percent_encode(input, SEGMENT).to_string()
}

/// Returns the longest prefix of `s` that is at most `max` bytes and ends on a char boundary.
/// (`str::floor_char_boundary` does this from Rust 1.91; the crate supports 1.88.)
pub(crate) fn truncate_on_char_boundary(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_everything_but_unreserved() {
        assert_eq!(encode_component("aZ09-._~"), "aZ09-._~");
        assert_eq!(
            encode_component("a/b?c#d%e f'é"),
            "a%2Fb%3Fc%23d%25e%20f%27%C3%A9"
        );
        // Every ASCII byte but the unreserved ones, control characters included.
        for b in 0u8..128 {
            let c = char::from(b);
            let encoded = encode_component(c.encode_utf8(&mut [0; 4]));
            let unreserved = b.is_ascii_alphanumeric() || b"-._~".contains(&b);
            let expected = if unreserved {
                c.to_string()
            } else {
                format!("%{b:02X}")
            };
            assert_eq!(encoded, expected, "byte {b}");
        }
    }

    #[test]
    fn alternate_key_values_keep_quotes() {
        let mut out = String::new();
        push_encoded(&mut out, "o''brien/x", ALT_KEY_VALUE);
        assert_eq!(out, "o''brien%2Fx");
    }

    #[test]
    fn truncates_on_a_char_boundary() {
        assert_eq!(truncate_on_char_boundary("héllo", 2), "h");
        assert_eq!(truncate_on_char_boundary("héllo", 3), "hé");
        assert_eq!(truncate_on_char_boundary("abc", 9), "abc");
    }
}
