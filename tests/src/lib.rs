//! End-to-end tests across the msgraph-sync pipeline; see the `tests/` folder.
//!
//! Test support for the runtime tests: [`server::TestServer`], a loopback HTTP/1.1 server with
//! scripted replies that records every request, and [`clock::RecordingClock`], which records retry
//! waits instead of sleeping; [`fixtures`] stands in for generated request builders.

pub mod clock;
pub mod fixtures;
pub mod seeds;
pub mod server;

/// The README, whose quickstart compiles as a doctest here (so it cannot drift from the API).
#[doc = include_str!("../../README.md")]
pub mod readme {}
