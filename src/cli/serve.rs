//! `nianbao serve`: live preview with reload on every change.

use std::net::IpAddr;
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use std::path::Path;

use nianbao::serve::{BuildOutcome, Limits, ServeEvent, ServeOptions};

use super::{Common, fail, print_diagnostics};

/// Arguments of `serve`.
#[derive(Args)]
pub(crate) struct ServeArgs {
    #[command(flatten)]
    common: Common,
    /// Port to listen on (the next free one is used when it is taken; 0 = any).
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// Address to listen on. Only loopback unless you choose otherwise.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Open the preview in the default browser.
    #[arg(long)]
    open: bool,
    /// Treat warnings as errors.
    #[arg(long)]
    strict: bool,
}

/// Runs `serve` until Ctrl-C.
pub(crate) fn run(args: ServeArgs) -> ExitCode {
    let open = args.open;
    let root = args.common.root.clone();
    let site_root = root.clone();
    let options = ServeOptions {
        build: args.common.options(args.strict, false),
        bind: args.bind,
        port: args.port,
        port_attempts: 20,
        debounce: Duration::from_millis(15),
        limits: Limits::default(),
    };
    match nianbao::serve::serve(options, move |event| {
        print_event(&event, open, &site_root);
    }) {
        Ok(()) => {
            eprintln!("stopped");
            ExitCode::SUCCESS
        }
        Err(err) => fail(err, &root),
    }
}

fn print_event(event: &ServeEvent, open: bool, root: &Path) {
    match event {
        ServeEvent::Listening { addr, wanted_port } => {
            if let Some(port) = wanted_port {
                eprintln!("port {port} is taken; using {} instead", addr.port());
            }
            if !addr.ip().is_loopback() {
                eprintln!(
                    "warning: listening on {}: other machines on the network can open the preview",
                    addr.ip()
                );
            }
            // stdout, one line: tools and tests read the address from here.
            println!("serving at http://{addr}/ (Ctrl-C to stop)");
            if open {
                open_browser(&format!("http://{addr}/"));
            }
        }
        ServeEvent::Built {
            changed,
            elapsed,
            outcome,
            diagnostics,
        } => {
            // The same form as `build`: file, line and column, the source
            // line with a caret, the hint.
            print_diagnostics(diagnostics, root);
            let what = match changed.as_slice() {
                [] => "initial build".to_string(),
                [one] => format!("{} changed", one.display()),
                [first, rest @ ..] => {
                    format!("{} and {} more changed", first.display(), rest.len())
                }
            };
            let ms = elapsed.as_millis();
            match outcome {
                BuildOutcome::Built { pages } => {
                    eprintln!("{what}: rebuilt {pages} pages in {ms} ms");
                }
                BuildOutcome::Failed { errors } => eprintln!(
                    "{what}: build failed with {errors} error(s) in {ms} ms; still serving the last good version"
                ),
            }
        }
        ServeEvent::WatchError(message) => eprintln!("warning: file watcher: {message}"),
    }
}

fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(command)
        .arg(url)
        .spawn()
        .is_err()
    {
        eprintln!("could not open a browser; visit {url}");
    }
}
