//! Spec text stays text, judged by rustdoc itself: thousands of random Markdown descriptions built from the
//! pieces that make code blocks (fences of both kinds, indented lines, block quotes, list items, footnotes,
//! headings, tabs, HTML blocks), each put through `neutralize_code_blocks` and written as the doc comment of
//! an item; `rustdoc --test` on that file must find no doctest at all (listed, not compiled). The same file
//! without neutralising has hundreds, so the descriptions are hostile.

use std::path::PathBuf;
use std::process::Command;

use msgraph_sync_codegen::emit::neutralize_code_blocks;

const PIECES: &[&str] = &[
    "```",
    "```rust",
    "```should_panic",
    "~~~",
    "~~~~",
    "````",
    "```text",
    "    assert!(false, \"ran\");",
    "\tassert!(false, \"ran\");",
    "      assert!(false, \"ran\");",
    "assert!(false, \"ran\");",
    "> ```",
    "> assert!(false, \"ran\");",
    ">     assert!(false, \"ran\");",
    ">",
    "> > ```",
    "- item",
    "-     assert!(false, \"ran\");",
    "- ```",
    "1. ```",
    "   assert!(false, \"ran\");",
    "  ```",
    "    ```",
    "+ ~~~rust",
    "[^n]: ```",
    "# Heading",
    "---",
    "<div>",
    "</div>",
    "<pre>",
    "</pre>",
    "<!--",
    "-->",
    "<script>",
    "<https://learn.microsoft.com/graph>",
    "| a | b |",
    "Text with ``` inside.",
    "",
    "",
    "Plain text.",
];

/// A small deterministic generator (xorshift), so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

fn descriptions() -> Vec<String> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    (0..2000)
        .map(|_| {
            let lines = 2 + rng.below(12);
            (0..lines)
                .map(|_| PIECES[rng.below(PIECES.len())])
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect()
}

/// A crate whose items carry `docs` as their doc comments.
fn crate_source(docs: &[String]) -> String {
    let mut source = String::from("//! Doc comments under test.\n");
    for (i, doc) in docs.iter().enumerate() {
        for line in doc.lines() {
            source.push_str("/// ");
            source.push_str(line);
            source.push('\n');
        }
        source.push_str(&format!("pub struct Item{i};\n"));
    }
    source
}

/// The doctests `rustdoc --test` finds in `source` (listed, not compiled): their names.
fn doctests(name: &str, source: &str) -> Vec<String> {
    let dir: PathBuf = std::env::temp_dir().join(format!(
        "msgraph-sync-codegen-{name}-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(dir.join("lib.rs"), source).expect("source written");
    let rustdoc = std::env::var_os("RUSTDOC").unwrap_or_else(|| "rustdoc".into());
    let output = Command::new(rustdoc)
        .args([
            "--test",
            "--edition",
            "2021",
            "--crate-name",
            "docs",
            "lib.rs",
        ])
        .args(["--test-args", "--list"])
        .current_dir(&dir)
        .output()
        .expect("rustdoc runs");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        output.status.success(),
        "rustdoc failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.strip_suffix(": test"))
        .map(str::to_string)
        .collect()
}

#[test]
fn no_random_description_becomes_a_doctest() {
    let raw = descriptions();
    let neutralized: Vec<String> = raw.iter().map(|d| neutralize_code_blocks(d)).collect();
    let found = doctests("neutralized", &crate_source(&neutralized));
    assert!(
        found.is_empty(),
        "rustdoc finds doctests in neutralized descriptions (item N is description N):\n{}",
        found.join("\n")
    );
    // The descriptions are hostile: as written, they hold many doctests.
    let raw = doctests("raw", &crate_source(&raw));
    assert!(
        raw.len() > 300,
        "only {} doctests in the raw descriptions",
        raw.len()
    );
}
