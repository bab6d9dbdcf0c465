//! `nianbao check`: every validation of `build`, writing nothing.

use std::process::ExitCode;

use clap::{Args, ValueEnum};
use nianbao::Error;

use super::diagnostics::render_json;
use super::{Common, fail, print_diagnostics};

/// Arguments of `check`.
#[derive(Args)]
pub(crate) struct CheckArgs {
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
pub(crate) enum Format {
    /// Source lines with carets and hints, on stderr.
    Human,
    /// One JSON document on stdout: `errors`, `warnings`, `diagnostics`.
    Json,
}

/// Runs `check`. Content problems go to stderr for people or, as JSON,
/// to stdout; other failures (an unreadable folder) to stderr either way.
pub(crate) fn run(args: CheckArgs) -> ExitCode {
    let root = &args.common.root;
    let (diags, code) = match nianbao::check(&args.common.options(args.strict, false)) {
        Ok(warnings) => (warnings, ExitCode::SUCCESS),
        Err(Error::Content(diags)) => (diags, ExitCode::from(1)),
        Err(err) => return fail(err, root),
    };
    match args.format {
        Format::Json => println!("{}", render_json(&diags)),
        Format::Human => {
            print_diagnostics(&diags, root);
            if diags.has_errors() {
                eprintln!(
                    "check failed: {} error(s), {} warning(s)",
                    diags.error_count(),
                    diags.warning_count()
                );
            } else {
                let notes = match diags.note_count() {
                    0 => String::new(),
                    n => format!(", {n} note(s)"),
                };
                eprintln!(
                    "check passed: 0 errors, {} warning(s){notes}",
                    diags.warning_count()
                );
            }
        }
    }
    code
}
