//! The command line: one module per command, each mapping its arguments to
//! library calls and printing the outcome. The library itself never prints.

pub(crate) mod add_year;
pub(crate) mod build;
pub(crate) mod check;
pub(crate) mod diagnostics;
pub(crate) mod new;
pub(crate) mod publish;
pub(crate) mod serve;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use nianbao::{Diagnostics, Error, Options};

/// Bilingual annual-report site generator.
#[derive(Parser)]
#[command(name = "nianbao", version, about, long_about = None)]
pub(crate) struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Subcommand)]
pub(crate) enum Command {
    /// Render content/ with the theme into output/.
    Build(build::BuildArgs),
    /// Run every validation of `build` and write nothing.
    Check(check::CheckArgs),
    /// Build in memory, serve on 127.0.0.1, rebuild and reload on every change.
    Serve(serve::ServeArgs),
    /// Check, build for the production URL, verify links, and deploy to a folder or a git branch.
    Publish(publish::PublishArgs),
    /// Start a new report in DIR that builds as it is.
    New(new::NewArgs),
    /// Start the next year of a report series from its latest year, every metric value emptied.
    AddYear(add_year::AddYearArgs),
}

impl Command {
    /// Runs the command and returns the process exit code.
    pub(crate) fn run(self) -> ExitCode {
        match self {
            Command::Build(args) => build::run(args),
            Command::Check(args) => check::run(args),
            Command::Serve(args) => serve::run(args),
            Command::Publish(args) => publish::run(args),
            Command::New(args) => new::run(args),
            Command::AddYear(args) => add_year::run(args),
        }
    }
}

/// Flags every command takes.
#[derive(Args, Clone)]
pub(crate) struct Common {
    /// Site folder holding content/ and themes/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Output folder [default: ROOT/output].
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Override base_url from report.yaml (e.g. https://example.org/report/2020/).
    #[arg(long)]
    pub base_url: Option<String>,
}

impl Common {
    /// Library options from the common flags.
    pub(crate) fn options(&self, strict: bool, force: bool) -> Options {
        Options {
            root: self.root.clone(),
            output: self.output.clone(),
            base_url: self.base_url.clone(),
            strict,
            force,
            pdf: false,
            paper: nianbao::pdf::Paper::default(),
            preview: false,
        }
    }
}

/// `--paper`: the paper the PDFs are printed on.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub(crate) enum PaperArg {
    /// ISO A4 (210 × 297 mm).
    A4,
    /// US Letter (8.5 × 11 in).
    Letter,
}

impl From<PaperArg> for nianbao::pdf::Paper {
    fn from(paper: PaperArg) -> Self {
        match paper {
            PaperArg::A4 => Self::A4,
            PaperArg::Letter => Self::Letter,
        }
    }
}

/// Prints diagnostics to stderr, each with its source line; `root` is the
/// site folder their paths are relative to.
pub(crate) fn print_diagnostics(diags: &Diagnostics, root: &Path) {
    diagnostics::print_human(diags, root);
}

/// Prints a failure and returns exit code 1 (2 for a usage error).
pub(crate) fn fail(err: Error, root: &Path) -> ExitCode {
    match err {
        Error::Usage(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
        Error::Content(diags) => {
            print_diagnostics(&diags, root);
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
