//! Spec text that becomes code: no string of the document (key or value) may hold a bidirectional control
//! character or a carriage return without a line feed. Descriptions, names and paths end up in doc comments,
//! identifiers and string literals of the generated crate, where a bidi control makes the source read
//! differently from how it compiles (rustc refuses them in literals and comments) and a bare CR is refused in
//! doc comments. Example values are data, sent and compared as JSON, never emitted; they are skipped (but a
//! property or parameter *named* `example` is a name, and is walked).

use super::Ctx;
use crate::conventions::forbidden_text_char;
use crate::diagnostic::Path;

/// Checks one string of the document (`what`: "text" or "key"); [`super::refs`] walks every node.
pub(super) fn check(cx: &mut Ctx<'_>, text: &str, pointer: &Path<'_>, what: &str) {
    if let Some((c, name)) = forbidden_text_char(text) {
        let fix = if c == '\r' {
            "end lines with a line feed (`\\n`) alone or with `\\r\\n`"
        } else {
            "remove it (write the text in logical order)"
        };
        cx.err(
            pointer,
            format!(
                "the {what} holds U+{:04X}, {name}, which must not reach generated code; {fix}",
                u32::from(c)
            ),
        );
    }
}
