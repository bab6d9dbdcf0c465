//! `nianbao check`: every validation of `build`, writing nothing.

use std::process::ExitCode;

use clap::{Args, ValueEnum};
use nianbao::{Diagnostics, Error};

use super::diagnostics::render_json;
use super::{Common, fail, print_diagnostics};

/// Arguments of `check`.
#[derive(Args)]
pub struct CheckArgs {
    #[command(flatten)]
    common: Common,
    /// Treat warnings as errors.
    #[arg(long)]
    strict: bool,
    /// How to print what was found: for people, or JSON for editors and CI.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

/// Output formats of `check`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Source lines with carets and hints, on stderr.
    Human,
    /// One JSON document on stdout: `errors`, `warnings`, `diagnostics`.
    Json,
}

/// Runs `check`.
pub fn run(args: CheckArgs) -> ExitCode {
    let root = &args.common.root;
    let result = nianbao::check(&args.common.options(args.strict, false));
    if args.format == Format::Json {
        return print_json(result);
    }
    match result {
        Ok(warnings) => {
            print_diagnostics(&warnings, root);
            eprintln!(
                "check passed: 0 errors, {} warning(s)",
                warnings.warning_count()
            );
            ExitCode::SUCCESS
        }
        Err(Error::Content(diags)) => {
            print_diagnostics(&diags, root);
            eprintln!(
                "check failed: {} error(s), {} warning(s)",
                diags.error_count(),
                diags.warning_count()
            );
            ExitCode::from(1)
        }
        Err(err) => fail(err, root),
    }
}

/// JSON on stdout for content problems; other failures (a usage error, an
/// unreadable folder) still go to stderr with their exit code.
fn print_json(result: Result<Diagnostics, Error>) -> ExitCode {
    match result {
        Ok(warnings) => {
            println!("{}", render_json(&warnings));
            ExitCode::SUCCESS
        }
        Err(Error::Content(diags)) => {
            println!("{}", render_json(&diags));
            ExitCode::from(1)
        }
        Err(err) => fail(err, std::path::Path::new(".")),
    }
}
