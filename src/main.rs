//! The `nianbao` binary: parses arguments and runs a command. Exit codes:
//! 0 success, 1 content or build error, 2 usage error.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    match cli::Cli::try_parse() {
        Ok(cli) => cli.command.run(),
        Err(err) => {
            let _ = err.print();
            if err.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            }
        }
    }
}
