//! The `nianbao` command line: parses arguments, calls the library, prints
//! diagnostics, and exits 0 (success), 1 (content or build error) or
//! 2 (usage error).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use nianbao::{Diagnostics, Error, Options};

/// Bilingual annual-report site generator.
#[derive(Parser)]
#[command(name = "nianbao", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Render content/ with the theme into output/.
    Build {
        #[command(flatten)]
        common: Common,
        /// Replace an output folder that nianbao did not create.
        #[arg(long)]
        force: bool,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
    },
    /// Run every validation of `build` and write nothing.
    Check {
        #[command(flatten)]
        common: Common,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
    },
}

#[derive(Args)]
struct Common {
    /// Site folder holding content/ and themes/.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Output folder [default: ROOT/output].
    #[arg(long)]
    output: Option<PathBuf>,
    /// Override base_url from report.yaml (e.g. https://example.org/report/2020/).
    #[arg(long)]
    base_url: Option<String>,
}

impl Common {
    fn options(self, strict: bool, force: bool) -> Options {
        Options {
            root: self.root,
            output: self.output,
            base_url: self.base_url,
            strict,
            force,
        }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Build {
            common,
            force,
            strict,
        } => build(common.options(strict, force)),
        Command::Check { common, strict } => check(common.options(strict, false)),
    }
}

fn build(options: Options) -> ExitCode {
    let started = std::time::Instant::now();
    let output = options.output_dir();
    match nianbao::build(&options) {
        Ok(rendered) => {
            print_diagnostics(&rendered.warnings);
            let files = rendered.site.files.len() + rendered.site.copies.len();
            eprintln!(
                "built {} pages ({} files) into {} in {} ms",
                rendered.pages,
                files,
                output.display(),
                started.elapsed().as_millis()
            );
            ExitCode::SUCCESS
        }
        Err(err) => fail(err),
    }
}

fn check(options: Options) -> ExitCode {
    match nianbao::check(&options) {
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

fn fail(err: Error) -> ExitCode {
    match err {
        Error::Content(diags) => {
            print_diagnostics(&diags);
            eprintln!(
                "failed: {} error(s), {} warning(s); the previous output was left untouched",
                diags.error_count(),
                diags.warning_count()
            );
        }
        other => eprintln!("error: {other}"),
    }
    ExitCode::from(1)
}

fn print_diagnostics(diags: &Diagnostics) {
    for d in diags.iter() {
        eprintln!("{d}");
    }
}
