//! SERVE: live preview. Builds the report in memory (never into `output/`),
//! serves it on 127.0.0.1, watches `content/` and `themes/`, rebuilds on
//! every change and tells open tabs to reload. A failed rebuild keeps the
//! last good site and shows the errors over it.

mod connections;
mod server;
mod site;
mod watch;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::error::Diagnostics;

pub use crate::http::{content_type, resolve_path};
pub use server::EVENTS_PATH;
pub use site::{LiveSite, Snapshot};

/// What `serve` needs to know.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Build options (root, strict…); `base_url` is forced to "/".
    pub build: crate::Options,
    /// Address to bind (127.0.0.1 unless told otherwise).
    pub bind: std::net::IpAddr,
    /// First port to try; 0 lets the system choose.
    pub port: u16,
    /// How many following ports to try when the port is taken.
    pub port_attempts: u16,
    /// Quiet time after a file event before rebuilding (editors write in bursts).
    pub debounce: Duration,
    /// What one client may hold: time to send headers, silence, connections.
    pub limits: Limits,
}

/// Bounds that keep a client (or many) from holding the server.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// A request's headers must arrive within this, or the connection is
    /// closed (slow-loris clients). It also closes keep-alive connections
    /// left idle between requests.
    pub header_read_timeout: Duration,
    /// A connection that moves no byte either way for this long is closed
    /// (a client that stopped reading a large file). Open tabs' event
    /// streams send keep-alives well within it, so they stay open.
    pub idle_timeout: Duration,
    /// Connections served at once; more are answered 503 and closed at
    /// once rather than left waiting.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            max_connections: 256,
        }
    }
}

/// How long stopping may wait for work already running (a chunk being read
/// from disk); open connections themselves are never waited for.
const STOP_GRACE: Duration = Duration::from_millis(500);

/// Something the terminal should show.
#[derive(Debug, Clone)]
pub enum ServeEvent {
    /// The server is listening.
    Listening {
        /// Where.
        addr: SocketAddr,
        /// The port asked for, when another one had to be used.
        wanted_port: Option<u16>,
    },
    /// A build finished.
    Built {
        /// Files whose change caused it (empty for the first build).
        changed: Vec<PathBuf>,
        /// How long it took.
        elapsed: Duration,
        /// Whether it succeeded.
        outcome: BuildOutcome,
        /// Diagnostics (errors and warnings) of this build, for the
        /// terminal to print the way `build` does.
        diagnostics: Diagnostics,
    },
    /// The watcher reported a problem.
    WatchError(String),
}

/// How a preview build ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuildOutcome {
    /// The site was rebuilt; it has this many pages.
    Built {
        /// HTML pages in the site.
        pages: usize,
    },
    /// The build failed; the last good site is still served.
    Failed {
        /// Number of errors.
        errors: usize,
    },
}

/// Starts the server and blocks until Ctrl-C or SIGTERM, then returns at
/// once, dropping open connections. `report` receives every event (the CLI
/// prints them).
pub fn serve(
    options: ServeOptions,
    report: impl Fn(ServeEvent) + Send + Sync + 'static,
) -> Result<(), crate::Error> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| crate::Error::io(&options.build.root, e))?;
    let result = runtime.block_on(run(options, Arc::new(report)));
    runtime.shutdown_timeout(STOP_GRACE);
    result
}

async fn run(
    options: ServeOptions,
    report: Arc<dyn Fn(ServeEvent) + Send + Sync>,
) -> Result<(), crate::Error> {
    let mut build = options.build.clone();
    build.base_url = Some("/".to_string());
    let live = Arc::new(LiveSite::new(build));
    report(live.rebuild(Vec::new()));
    let listener = server::bind(options.bind, options.port, options.port_attempts).await?;
    let addr = listener
        .local_addr()
        .map_err(|e| crate::Error::io(&options.build.root, e))?;
    let wanted_port = (options.port != 0 && addr.port() != options.port).then_some(options.port);
    // Before the address is printed: whoever reads it may signal at once.
    let stop =
        connections::shutdown_signal().map_err(|e| crate::Error::io(&options.build.root, e))?;
    report(ServeEvent::Listening { addr, wanted_port });
    watch::start(live.clone(), options.debounce, report.clone())?;
    let app = server::router(live.clone(), options.limits);
    connections::serve(listener, app, options.limits, stop).await;
    // Event streams end with their connections; this also tells any other
    // subscriber that the site is closing.
    live.shut_down();
    Ok(())
}
