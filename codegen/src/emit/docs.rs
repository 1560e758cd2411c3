//! Spec text stays text: a description becomes documentation, and no part of it is ever a doctest.
//!
//! Rustdoc compiles and runs every Markdown code block whose language is Rust or unnamed: fenced with
//! `` ``` `` or `~~~`, or indented by four spaces, at the top level or inside a block quote, a list item or a
//! footnote. [`neutralize_code_blocks`] moves every code block it finds into a `text` fence of its own, and
//! takes away the indentation of any other indented line, so whatever a CommonMark reader makes of the
//! result has no code block but those fences. It errs towards seeing code: a line read as code that was
//! prose is only shown in a box.

/// Rewrites Markdown `text` so that its only code blocks are `text` fences (never compiled or run): fenced
/// and indented code blocks become `text` fences holding their lines, other indented lines lose their
/// indentation. Text without code blocks comes back unchanged.
pub fn neutralize_code_blocks(text: &str) -> String {
    let mut out = Output::default();
    let mut lines = text.lines().peekable();
    // Whether the previous line was paragraph text, which an indented line continues instead of starting
    // a code block.
    let mut in_paragraph = false;
    while let Some(line) = lines.next() {
        let (prefix, rest) = split_container(line);
        if let Some((fence, len)) = fence_start(rest) {
            // A fenced block: its lines up to a closing fence (or the end), without the opener's container.
            let mut code = Vec::new();
            for line in lines.by_ref() {
                let (_, rest) = split_container(line);
                if is_fence_end(rest, fence, len) {
                    break;
                }
                code.push(strip_prefix(line, prefix));
            }
            out.code(&code);
            in_paragraph = false;
        } else if indent(rest) >= 4 && !in_paragraph {
            // An indented block: this line and the following indented or blank ones.
            let mut code = vec![strip_indent(rest)];
            while let Some(next) = lines.peek() {
                let (_, rest) = split_container(next);
                if rest.trim().is_empty() || indent(rest) >= 4 {
                    code.push(strip_indent(rest));
                    lines.next();
                } else {
                    break;
                }
            }
            // Blank lines after the block stay outside the fence.
            let mut blanks = 0;
            while code.last().is_some_and(|l| l.trim().is_empty()) {
                code.pop();
                blanks += 1;
            }
            out.code(&code);
            for _ in 0..blanks {
                out.prose("");
            }
            in_paragraph = false;
        } else if indent(rest) >= 4 {
            // An indented line continuing a paragraph: the same text without the indentation.
            out.prose(&format!("{prefix}{}", escape_html_start(rest.trim_start())));
        } else {
            let rest = escape_html_start(rest);
            out.prose(&format!("{prefix}{rest}"));
            in_paragraph = is_paragraph_text(&rest);
        }
    }
    out.text
}

#[derive(Default)]
struct Output {
    text: String,
}

impl Output {
    fn prose(&mut self, line: &str) {
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        self.text.push_str(line);
    }

    /// A `text` fence holding `lines`, with more backticks than any run in them (so none of them closes it).
    fn code(&mut self, lines: &[&str]) {
        let longest = lines
            .iter()
            .flat_map(|l| l.split(|c| c != '`'))
            .map(str::len)
            .max()
            .unwrap_or(0);
        let fence = "`".repeat(longest.max(2) + 1);
        self.prose(&format!("{fence}text"));
        for line in lines {
            self.prose(line);
        }
        self.prose(&fence);
    }
}

/// `rest` with a leading `<` that could open an HTML block written `&lt;`: an HTML block swallows the lines
/// after it (up to a blank line, or up to its end tag, which may lie inside a code block), so a fence written
/// after it could be read as raw HTML and its closing fence as the opening of a Rust block. Autolinks
/// (`<https://...>`, `<name@host>`) open no HTML block and are kept.
fn escape_html_start(rest: &str) -> std::borrow::Cow<'_, str> {
    let text = rest.trim_start();
    let opens_html = text.strip_prefix('<').is_some_and(|tag| {
        let autolink = tag.split_once('>').is_some_and(|(inner, _)| {
            !inner.contains(char::is_whitespace) && inner.contains([':', '@'])
        });
        tag.starts_with(|c: char| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?'))
            && !autolink
    });
    if opens_html {
        let indent = &rest[..rest.len() - text.len()];
        format!("{indent}&lt;{}", &text[1..]).into()
    } else {
        rest.into()
    }
}

/// Splits a line into its container prefix (block-quote markers, list markers, a footnote label) and the rest.
fn split_container(line: &str) -> (&str, &str) {
    let mut pos = 0;
    loop {
        let rest = &line[pos..];
        let spaces = rest.len() - rest.trim_start_matches(' ').len();
        if spaces > 3 {
            break;
        }
        let after = &rest[spaces..];
        let marker = if after.starts_with('>') {
            1
        } else {
            list_marker(after)
                .or_else(|| footnote_label(after))
                .unwrap_or(0)
        };
        if marker == 0 {
            break;
        }
        pos += spaces + marker;
        if line[pos..].starts_with([' ', '\t']) {
            pos += 1;
        }
    }
    line.split_at(pos)
}

/// The length of a list marker (`-`, `*`, `+`, `1.`, `1)`) at the start of `s`, when a space, a tab or the
/// end of the line follows it.
fn list_marker(s: &str) -> Option<usize> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let len = match s.as_bytes().get(digits) {
        Some(b'.' | b')') if (1..=9).contains(&digits) => digits + 1,
        Some(b'-' | b'*' | b'+') if digits == 0 => 1,
        _ => return None,
    };
    (s.len() == len || s[len..].starts_with([' ', '\t'])).then_some(len)
}

/// The length of a footnote definition's label (`[^note]:`) at the start of `s`.
fn footnote_label(s: &str) -> Option<usize> {
    let close = s.strip_prefix("[^")?.find("]:")?;
    Some(close + 4)
}

/// The width of a line's indentation, a tab counting as four columns.
fn indent(rest: &str) -> usize {
    rest.chars()
        .map_while(|c| match c {
            ' ' => Some(1),
            '\t' => Some(4),
            _ => None,
        })
        .sum()
}

/// An indented code line without its four columns of indentation.
fn strip_indent(rest: &str) -> &str {
    let mut columns = 0;
    for (i, c) in rest.char_indices() {
        if columns >= 4 {
            return &rest[i..];
        }
        match c {
            ' ' => columns += 1,
            '\t' => columns += 4,
            _ => return &rest[i..],
        }
    }
    ""
}

/// A line of a fenced block without the opening line's container prefix (or that many spaces).
fn strip_prefix<'a>(line: &'a str, prefix: &str) -> &'a str {
    if let Some(rest) = line.strip_prefix(prefix) {
        return rest;
    }
    let spaces = line.len() - line.trim_start_matches(' ').len();
    &line[spaces.min(prefix.len())..]
}

/// The fence character and length when `rest` opens a fenced block (any indentation: more than three spaces
/// is read as a fence too, which is the safe side).
fn fence_start(rest: &str) -> Option<(char, usize)> {
    let rest = rest.trim_start();
    ['`', '~'].into_iter().find_map(|fence| {
        let len = rest.len() - rest.trim_start_matches(fence).len();
        (len >= 3).then_some((fence, len))
    })
}

fn is_fence_end(rest: &str, fence: char, len: usize) -> bool {
    let rest = rest.trim();
    rest.len() >= len && rest.chars().all(|c| c == fence)
}

/// Whether a line (without its container prefix) is paragraph text, which a following indented line
/// continues: not blank, not a heading, not a thematic break.
fn is_paragraph_text(rest: &str) -> bool {
    let trimmed = rest.trim();
    if trimmed.is_empty() || trimmed.starts_with('#') {
        return false;
    }
    let breaks = ['-', '*', '_'].into_iter().any(|c| {
        trimmed.chars().filter(|&x| x == c).count() >= 3
            && trimmed.chars().all(|x| x == c || x == ' ' || x == '\t')
    });
    !breaks && !trimmed.starts_with('<') && !trimmed.starts_with('|')
}

#[cfg(test)]
mod tests {
    use super::neutralize_code_blocks;

    #[test]
    fn prose_comes_back_unchanged() {
        for text in [
            "One line.",
            "A paragraph\nover two lines.\n\n- a list\n- of items\n\n> quoted",
            "Inline `code` and ``more``.",
            "An autolink:\n<https://learn.microsoft.com/graph>",
        ] {
            assert_eq!(neutralize_code_blocks(text), text);
        }
    }

    #[test]
    fn fences_become_text_fences() {
        assert_eq!(
            neutralize_code_blocks("Before.\n```rust\nassert!(false);\n```\nAfter."),
            "Before.\n```text\nassert!(false);\n```\nAfter."
        );
        assert_eq!(
            neutralize_code_blocks("~~~\nassert!(false);\n~~~~"),
            "```text\nassert!(false);\n```"
        );
        // A longer run of backticks inside makes a longer fence.
        assert_eq!(
            neutralize_code_blocks("````\n```\n````"),
            "````text\n```\n````"
        );
    }

    #[test]
    fn indented_blocks_become_text_fences_and_continuations_lose_indentation() {
        assert_eq!(
            neutralize_code_blocks("Intro.\n\n    assert!(false);\n\n    more();\nAfter."),
            "Intro.\n\n```text\nassert!(false);\n\nmore();\n```\nAfter."
        );
        assert_eq!(
            neutralize_code_blocks("    one();\n\nAfter."),
            "```text\none();\n```\n\nAfter."
        );
        assert_eq!(
            neutralize_code_blocks("A paragraph\n    continued."),
            "A paragraph\ncontinued."
        );
        assert_eq!(
            neutralize_code_blocks("# Heading\n    code"),
            "# Heading\n```text\ncode\n```"
        );
    }

    #[test]
    fn html_block_starts_are_escaped_so_no_fence_is_swallowed() {
        assert_eq!(
            neutralize_code_blocks("<div>\n    assert!(false);\n\n</div>"),
            "&lt;div>\nassert!(false);\n\n&lt;/div>"
        );
        assert_eq!(
            neutralize_code_blocks("> <pre>\n```\ncode\n```"),
            "> &lt;pre>\n```text\ncode\n```"
        );
    }

    #[test]
    fn code_in_containers_is_found() {
        assert_eq!(
            neutralize_code_blocks("> ```\n> assert!(false);\n> ```"),
            "```text\nassert!(false);\n```"
        );
        assert_eq!(
            neutralize_code_blocks("- item\n\n      assert!(false);"),
            "- item\n\n```text\n  assert!(false);\n```"
        );
    }
}
