//! Percent-encoding helpers shared by paths and query strings.

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// RFC 3986 unreserved characters: `A-Z a-z 0-9 - . _ ~`.
pub(crate) const fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// Appends `input` to `out`, percent-encoding (upper-case hex, UTF-8) every byte for which `keep`
/// returns false.
pub(crate) fn encode_into(out: &mut String, input: &str, keep: impl Fn(u8) -> bool) {
    for &b in input.as_bytes() {
        if keep(b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
    }
}

/// Percent-encodes everything but unreserved characters.
pub(crate) fn encode_component(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    encode_into(&mut out, input, is_unreserved);
    out
}

/// Returns the longest prefix of `s` that is at most `max` bytes and ends on a char boundary.
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
    }
}
