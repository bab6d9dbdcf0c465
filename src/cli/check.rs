//! `nianbao check`: every validation of `build`, writing nothing.

use std::process::ExitCode;

use clap::Args;

use super::{Common, fail, print_diagnostics};

/// Arguments of `check`.
#[derive(Args)]
pub struct CheckArgs {
    #[command(flatten)]
    common: Common,
    /// Treat warnings as errors.
    #[arg(long)]
    strict: bool,
}

/// Runs `check`.
pub fn run(args: CheckArgs) -> ExitCode {
    match nianbao::check(&args.common.options(args.strict, false)) {
        Ok(warnings) => {
            print_diagnostics(&warnings);
            eprintln!(
                "check passed: 0 errors, {} warning(s)",
                warnings.warning_count()
            );
            ExitCode::SUCCESS
        }
        Err(err) => fail(err),
    }
}
