//! Compile-time diagnostics: every misuse is an error pointing at the offending token and saying the fix.
//! The expected messages are the `.stderr` files beside each case in `tests/ui/`.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
