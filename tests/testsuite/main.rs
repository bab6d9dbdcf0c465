//! The integration tests, one binary with a module per area (as mdBook's
//! `tests/testsuite/`): one link step instead of one per file. See
//! `tests/README.md` for how to add a test or a bad-input case.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

mod add_year;
mod architecture;
mod brand;
mod build;
mod check;
mod cli;
mod content;
mod docs;
mod fuzz;
mod invalid;
mod links;
mod model;
mod money;
mod new;
mod open_data;
mod output_hardening;
mod photos;
mod pipeline;
mod print;
mod publish;
mod publish_hardening;
mod resources;
mod s3;
mod safety;
mod search;
mod security;
mod series;
mod serve;
mod serve_hardening;
