//! End-to-end tests across the msgraph-sync pipeline; see the `tests/` folder.
//!
//! Test support for the runtime tests: [`server::TestServer`], a loopback HTTP/1.1 server with
//! scripted replies that records every request, and [`clock::RecordingClock`], which records retry
//! waits instead of sleeping; [`fixtures`] stands in for generated request builders.

pub mod clock;
pub mod fixtures;
pub mod schemas;
pub mod seeds;
pub mod server;

/// Generated from `tests/golden/docs/spec.yaml`, whose descriptions hold code blocks of every kind that
/// would fail if run (`assert!(false)`, `should_panic` that does not panic, `compile_fail` that compiles).
/// Compiled in this library (not in a test file) so that `cargo test` runs its doctests: spec text must have
/// become text, never code. `tests/golden.rs` keeps the folder up to date.
#[allow(clippy::module_inception)]
#[rustfmt::skip]
#[path = "../golden/docs/mod.rs"]
pub mod golden_docs;

/// The README, whose quickstart compiles as a doctest here (so it cannot drift from the API).
#[doc = include_str!("../../README.md")]
pub mod readme {}
