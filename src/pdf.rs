//! `build --pdf`: each language's whole-report page printed to
//! `<lang>/report.pdf` by headless Chromium (or Google Chrome), from the
//! staged output folder, before it is swapped into place — so a failed PDF
//! leaves the previous output exactly as it was.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::error::Error;

/// Environment variable naming the browser to print with (a path or a
/// program name on `PATH`); overrides the search.
pub const CHROMIUM_ENV: &str = "NIANBAO_CHROMIUM";

/// Program names searched on `PATH`, in order.
const CANDIDATES: &[&str] = &[
    "chromium",
    "chromium-browser",
    "google-chrome-stable",
    "google-chrome",
    "chrome",
];

/// Where browsers live outside `PATH`.
const KNOWN_PATHS: &[&str] = &[
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
];

/// How long one PDF may take before the browser is stopped.
const TIMEOUT: Duration = Duration::from_secs(180);

/// Finds the browser to print with: `NIANBAO_CHROMIUM`, else the first of
/// chromium, chromium-browser, google-chrome(-stable) on `PATH`. The error
/// says what to install.
pub fn find_chromium() -> Result<PathBuf, Error> {
    if let Some(value) = std::env::var_os(CHROMIUM_ENV).filter(|v| !v.is_empty()) {
        return resolve(&value).ok_or_else(|| {
            Error::Tool(format!(
                "{CHROMIUM_ENV} is set to `{}`, which is not a program that can be run; \
                 point it at Chromium or Google Chrome, or unset it to search PATH. Nothing was written.",
                PathBuf::from(&value).display()
            ))
        });
    }
    CANDIDATES
        .iter()
        .find_map(|name| resolve(&OsString::from(name)))
        .or_else(|| {
            KNOWN_PATHS
                .iter()
                .map(PathBuf::from)
                .find(|p| is_executable(p))
        })
        .ok_or_else(|| {
            Error::Tool(format!(
                "--pdf prints the report with headless Chromium, and none was found \
                 (looked for {} on PATH). Install it (Debian/Ubuntu: `sudo apt-get install chromium`; \
                 Fedora: `sudo dnf install chromium`; macOS: Google Chrome), or set {CHROMIUM_ENV} \
                 to the browser's path. Nothing was written.",
                CANDIDATES.join(", ")
            ))
        })
}

/// A program path or name → an executable file.
fn resolve(program: &OsString) -> Option<PathBuf> {
    let path = PathBuf::from(program);
    if path.components().count() > 1 {
        return is_executable(&path).then_some(path);
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(&path))
        .find(|p| is_executable(p))
}

fn is_executable(path: &Path) -> bool {
    let Ok(meta) = fs::metadata(path) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.is_file() && meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        meta.is_file()
    }
}

/// The staged folder served on loopback while it is printed. A page
/// opened from `file://` may embed any file of the machine (an
/// `<iframe src="/etc/passwd">` in a section body would print it); a page
/// from `http://127.0.0.1` can reach only what this server answers: the
/// files of the staged site.
struct Loopback {
    addr: std::net::SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Loopback {
    fn start(dir: &Path) -> Result<Self, Error> {
        let bind_error = |e| Error::io(Path::new("127.0.0.1"), e);
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).map_err(bind_error)?;
        listener.set_nonblocking(true).map_err(bind_error)?;
        let addr = listener.local_addr().map_err(bind_error)?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let dir = dir.to_path_buf();
        let thread = std::thread::Builder::new()
            .name("nianbao-pdf-server".into())
            .spawn(move || serve_staged(listener, dir, stopped))
            .map_err(bind_error)?;
        Ok(Self {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// The URL of a folder of the staged site (`en/print/`).
    fn url(&self, folder: &str) -> String {
        let path = percent_encoding::utf8_percent_encode(folder, URL_PATH);
        format!("http://{}/{path}", self.addr)
    }
}

impl Drop for Loopback {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// What a URL path may not hold as it is (besides controls and non-ASCII).
const URL_PATH: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// Runs the loopback server on its own small runtime until `stopped`.
fn serve_staged(
    listener: std::net::TcpListener,
    dir: PathBuf,
    stopped: tokio::sync::oneshot::Receiver<()>,
) {
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return;
    };
    runtime.block_on(async move {
        let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
            return;
        };
        let boundary = std::sync::Arc::new(crate::load::fsguard::Boundary::new(&dir));
        let app = axum::Router::new().fallback(move |uri: axum::http::Uri| {
            let boundary = boundary.clone();
            async move { staged_file(&boundary, uri.path()) }
        });
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
    });
}

/// A file of the staged site, or 404.
fn staged_file(
    boundary: &crate::load::fsguard::Boundary,
    url_path: &str,
) -> axum::response::Response {
    use axum::http::{StatusCode, header};
    use axum::response::IntoResponse;
    let Some(mut rel) = crate::http::resolve_path(url_path) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if rel.is_empty() || rel.ends_with('/') {
        rel.push_str("index.html");
    }
    match boundary.read(&boundary.root().join(&rel), u64::MAX / 2) {
        Ok(bytes) => (
            [(header::CONTENT_TYPE, crate::http::content_type(&rel))],
            bytes,
        )
            .into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

/// A fresh browser profile folder, removed when dropped.
struct Profile(PathBuf);

impl Profile {
    fn new() -> Result<Self, Error> {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("nianbao-chromium-{}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        Ok(Self(dir))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Profile {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Prints the page at `url` to `pdf` with `chromium`: A4 per the page's
/// print stylesheet, no browser header or footer.
fn print_to_pdf(chromium: &Path, url: &str, pdf: &Path) -> Result<(), Error> {
    let profile = Profile::new()?;
    let log_path = profile.path().join("chromium.log");
    let log = fs::File::create(&log_path).map_err(|e| Error::io(&log_path, e))?;
    let mut command = Command::new(chromium);
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--no-first-run",
            "--no-default-browser-check",
            "--no-pdf-header-footer",
            "--print-to-pdf-no-header",
            "--run-all-compositor-stages-before-draw",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log);
    let mut child = command.spawn().map_err(|e| {
        Error::Tool(format!(
            "could not start {} to print the PDF: {e}",
            chromium.display()
        ))
    })?;
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(Error::Tool(format!(
                    "{} did not finish printing {} within {} s",
                    chromium.display(),
                    url,
                    TIMEOUT.as_secs()
                )));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return Err(Error::io(chromium, e)),
        }
    };
    let is_pdf = fs::read(pdf).is_ok_and(|bytes| bytes.starts_with(b"%PDF"));
    if status.success() && is_pdf {
        return Ok(());
    }
    let output = fs::read_to_string(&log_path).unwrap_or_default();
    let tail: Vec<&str> = output.lines().rev().take(8).collect();
    let tail: Vec<&str> = tail.into_iter().rev().collect();
    Err(Error::Tool(format!(
        "{} could not print {} to PDF ({}){}{}",
        chromium.display(),
        url,
        if status.success() {
            "it wrote no PDF".to_string()
        } else {
            status.to_string()
        },
        if tail.is_empty() { "" } else { ":\n  " },
        tail.join("\n  ")
    )))
}

/// Prints every language's whole-report page in the staged folder `dir`
/// to `<lang>/report.pdf`. Returns the PDF paths below `dir`.
pub fn print_all(
    chromium: &Path,
    dir: &Path,
    pages: &[crate::render::site::PrintPage],
) -> Result<Vec<String>, Error> {
    let server = Loopback::start(dir)?;
    let mut written = Vec::new();
    for page in pages {
        let rel = page.pdf.clone();
        let pdf = dir.join(&rel);
        if let Some(parent) = pdf.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        print_to_pdf(chromium, &server.url(&page.path), &pdf)?;
        written.push(rel);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_loopback_server_answers_only_the_staged_site() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("en/print")).unwrap();
        std::fs::write(dir.path().join("en/print/index.html"), "<p>page</p>").unwrap();
        let server = Loopback::start(dir.path()).unwrap();
        assert!(server.url("en/print/").ends_with("/en/print/"));
        let get = |path: &str| {
            use std::io::{Read, Write};
            let mut stream = std::net::TcpStream::connect(server.addr).unwrap();
            write!(
                stream,
                "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            )
            .unwrap();
            let mut response = String::new();
            stream.read_to_string(&mut response).unwrap();
            response
        };
        let page = get("/en/print/");
        assert!(
            page.starts_with("HTTP/1.1 200") && page.contains("<p>page</p>"),
            "{page}"
        );
        for path in [
            "/etc/passwd",
            "/../../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
        ] {
            assert!(get(path).starts_with("HTTP/1.1 404"), "{path}");
        }
    }

    #[test]
    fn a_program_that_is_not_there_is_not_found() {
        assert!(resolve(&OsString::from("/nonexistent/chromium")).is_none());
        assert!(resolve(&OsString::from("nianbao-no-such-program")).is_none());
    }
}
