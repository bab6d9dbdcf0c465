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
use crate::render::site::PrintPage;

pub mod document;

/// The paper a PDF is printed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Paper {
    /// ISO A4 (210 × 297 mm), the default.
    #[default]
    A4,
    /// US Letter (8.5 × 11 in).
    Letter,
}

impl Paper {
    /// The CSS `@page` size.
    fn css(self) -> &'static str {
        match self {
            Self::A4 => "A4",
            Self::Letter => "letter",
        }
    }
}

/// The copy of a whole-report page that is printed, beside it (so its
/// relative links resolve), removed once printed.
const PASS_FILE: &str = "nianbao-pdf-pass.html";

/// How the contents name a page number to fill in: `data-toc="ANCHOR"`.
const TOC_SPAN: &str = "<span class=\"toc-page\" data-toc=\"";

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
            // Bookmarks from the headings.
            "--generate-pdf-document-outline",
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
/// to its PDF on `paper`, then writes each PDF's size into the pages'
/// download links. Returns the paths below `dir` it wrote or changed.
pub fn print_all(
    chromium: &Path,
    dir: &Path,
    pages: &[PrintPage],
    paper: Paper,
) -> Result<Vec<String>, Error> {
    let server = Loopback::start(dir)?;
    let created = build_time();
    let mut written = Vec::new();
    for page in pages {
        let pdf = dir.join(&page.pdf);
        if let Some(parent) = pdf.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        print_page(chromium, &server, dir, page, paper, created)?;
        written.push(page.pdf.clone());
    }
    let sizes: Vec<(String, u64)> = pages
        .iter()
        .map(|p| {
            let size = fs::metadata(dir.join(&p.pdf)).map_or(0, |m| m.len());
            (p.pdf.clone(), size)
        })
        .collect();
    written.extend(write_sizes(dir, &sizes)?);
    Ok(written)
}

/// Prints one whole-report page: once to learn on which page each part
/// starts (the PDF's named destinations), then again with those numbers in
/// the contents; then sets the PDF's metadata.
fn print_page(
    chromium: &Path,
    server: &Loopback,
    dir: &Path,
    page: &PrintPage,
    paper: Paper,
    created: u64,
) -> Result<(), Error> {
    let folder = dir.join(&page.path);
    let index = folder.join("index.html");
    let html = fs::read_to_string(&index).map_err(|e| Error::io(&index, e))?;
    let html = with_paper(&in_document_links(&html, &page.path), paper);
    let pass = folder.join(PASS_FILE);
    let url = server.url(&format!("{}{PASS_FILE}", page.path));
    let pdf = dir.join(&page.pdf);
    let printed = (|| {
        fs::write(&pass, &html).map_err(|e| Error::io(&pass, e))?;
        print_to_pdf(chromium, &url, &pdf)?;
        if html.contains(TOC_SPAN) {
            let numbers = document::destinations(&pdf)?;
            let filled = fill_contents(&html, &numbers);
            fs::write(&pass, filled).map_err(|e| Error::io(&pass, e))?;
            print_to_pdf(chromium, &url, &pdf)?;
        }
        document::set_metadata(&pdf, &metadata(page, created))
    })();
    let _ = fs::remove_file(&pass);
    printed
}

/// The document information of a page's PDF.
fn metadata(page: &PrintPage, created: u64) -> document::Metadata {
    document::Metadata {
        title: page.title.clone(),
        author: page.author.clone(),
        subject: page.subject.clone(),
        lang: page.lang_tag.clone(),
        creator: format!("nianbao {}", env!("CARGO_PKG_VERSION")),
        created,
    }
}

/// The page with the paper's size as its first print rule.
fn with_paper(html: &str, paper: Paper) -> String {
    let rule = format!("<style>@page {{ size: {}; }}</style>", paper.css());
    match html.find("</head>") {
        Some(at) => format!("{}{rule}{}", &html[..at], &html[at..]),
        None => format!("{rule}{html}"),
    }
}

/// The page with its links to parts of the report it holds turned into
/// links inside it (`../relief/#first-aid` → `#first-aid`), so in the PDF
/// they jump to the page rather than out to the web site. Only the copy
/// that is printed is changed.
fn in_document_links(html: &str, page_path: &str) -> String {
    let ids = element_ids(html);
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("href=\"") {
        let start = at + "href=\"".len();
        let Some(len) = rest[start..].find('"') else {
            break;
        };
        let href = &rest[start..start + len];
        out.push_str(&rest[..start]);
        match in_document(href, page_path, &ids) {
            Some(anchor) => {
                out.push('#');
                out.push_str(&anchor);
            }
            None => out.push_str(href),
        }
        rest = &rest[start + len..];
    }
    out.push_str(rest);
    out
}

/// The id in the page a link from `page_path` leads to, when the page
/// holds it: the fragment's own id, or a chapter's anchor (its slug).
fn in_document(
    href: &str,
    page_path: &str,
    ids: &std::collections::HashSet<&str>,
) -> Option<String> {
    if href.starts_with('#') || href.contains(':') || href.starts_with('/') {
        return None;
    }
    let (path, fragment) = href.split_once('#').unwrap_or((href, ""));
    let target = resolve_url(page_path, path)?;
    // `en/relief/` from `en/print/`: a chapter of the same language.
    let base = page_path
        .trim_end_matches('/')
        .rsplit_once('/')
        .map_or("", |(b, _)| b);
    let rest = target.strip_prefix(base)?.trim_start_matches('/');
    let slug = rest
        .strip_suffix('/')
        .filter(|s| !s.is_empty() && !s.contains('/'))?;
    if !fragment.is_empty() && ids.contains(fragment) {
        return Some(fragment.to_string());
    }
    (fragment.is_empty() && ids.contains(slug)).then(|| slug.to_string())
}

/// A relative URL path from the page folder `page_dir` (`en/print/`), as a
/// path below the site's root (`../relief/` → `en/relief/`).
fn resolve_url(page_dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = page_dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in rel.split('/') {
        match part {
            ".." => {
                parts.pop()?;
            }
            "." | "" => {}
            other => parts.push(other),
        }
    }
    let mut out = parts.join("/");
    if rel.ends_with('/') || rel.is_empty() || rel.ends_with("..") {
        out.push('/');
    }
    Some(out)
}

/// Every `id="…"` value of a page.
fn element_ids(html: &str) -> std::collections::HashSet<&str> {
    let mut ids = std::collections::HashSet::new();
    let mut rest = html;
    while let Some(at) = rest.find(" id=\"") {
        let start = at + " id=\"".len();
        let Some(len) = rest[start..].find('"') else {
            break;
        };
        ids.insert(&rest[start..start + len]);
        rest = &rest[start + len..];
    }
    ids
}

/// Writes the page number of each contents entry's anchor into its span.
fn fill_contents(html: &str, numbers: &std::collections::BTreeMap<String, u32>) -> String {
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    while let Some(at) = rest.find(TOC_SPAN) {
        let start = at + TOC_SPAN.len();
        let Some(end) = rest[start..].find('"').map(|e| start + e) else {
            break;
        };
        let anchor = &rest[start..end];
        let close = "\"></span>";
        out.push_str(&rest[..end]);
        if rest[end..].starts_with(close) {
            out.push_str("\">");
            if let Some(n) = numbers.get(anchor) {
                out.push_str(&n.to_string());
            }
            out.push_str("</span>");
            rest = &rest[end + close.len()..];
        } else {
            rest = &rest[end..];
        }
    }
    out.push_str(rest);
    out
}

/// Writes " (2.3 MB)" into every download link of a PDF
/// (`<span class="pdf-size" data-pdf="en/report.pdf"></span>`) in the
/// staged pages. A page is written anew, never changed in place: an
/// unchanged page may be the previous output's file, linked.
fn write_sizes(dir: &Path, sizes: &[(String, u64)]) -> Result<Vec<String>, Error> {
    let mut changed = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        if !entry.file_type().is_file() || path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let Ok(html) = fs::read_to_string(path) else {
            continue;
        };
        if !html.contains("class=\"pdf-size\"") {
            continue;
        }
        let mut filled = html.clone();
        for (pdf, size) in sizes {
            let empty = format!("<span class=\"pdf-size\" data-pdf=\"{pdf}\"></span>");
            let full = format!(
                "<span class=\"pdf-size\" data-pdf=\"{pdf}\"> ({})</span>",
                size_text(*size)
            );
            filled = filled.replace(&empty, &full);
        }
        if filled != html {
            let temp = path.with_extension("html.part");
            fs::write(&temp, filled).map_err(|e| Error::io(&temp, e))?;
            fs::rename(&temp, path).map_err(|e| Error::io(path, e))?;
            if let Ok(rel) = path.strip_prefix(dir) {
                changed.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    Ok(changed)
}

/// "2.3 MB", "840 KB".
fn size_text(bytes: u64) -> String {
    if bytes >= 1_000_000 {
        format!("{:.1} MB", bytes as f64 / 1_000_000.0)
    } else {
        format!("{} KB", bytes.div_ceil(1000))
    }
}

/// The build's time for the PDFs' dates: `SOURCE_DATE_EPOCH` when set (a
/// reproducible build), else now.
fn build_time() -> u64 {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_to_parts_of_the_report_stay_in_the_document() {
        let html = r##"<h2 id="relief">Relief</h2><h3 id="first-aid">Aid</h3><a href="../relief/">a</a> <a href="../relief/#first-aid">b</a> <a href="../relief/#gone">c</a> <a href="../">d</a> <a href="https://x.org/relief/">e</a> <a href="../../zh/relief/">f</a>"##;
        let out = in_document_links(html, "en/print/");
        assert!(out.contains(r##"<a href="#relief">a</a>"##), "{out}");
        assert!(out.contains(r##"<a href="#first-aid">b</a>"##), "{out}");
        assert!(
            out.contains(r##"<a href="../relief/#gone">c</a>"##),
            "{out}"
        );
        assert!(out.contains(r##"<a href="../">d</a>"##), "{out}");
        assert!(out.contains("https://x.org/relief/"), "{out}");
        assert!(out.contains(r##"href="../../zh/relief/""##), "{out}");
        assert_eq!(
            resolve_url("en/print/", "../relief/").as_deref(),
            Some("en/relief/")
        );
        assert_eq!(
            resolve_url("print/", "../relief/").as_deref(),
            Some("relief/")
        );
        assert_eq!(resolve_url("print/", "../../x"), None);
    }

    #[test]
    fn the_contents_get_their_page_numbers() {
        let html = r##"<li><a href="#relief">Relief</a><span class="toc-page" data-toc="relief"></span></li><li><span class="toc-page" data-toc="gone"></span></li>"##;
        let numbers = [("relief".to_string(), 5)].into_iter().collect();
        assert_eq!(
            fill_contents(html, &numbers),
            r##"<li><a href="#relief">Relief</a><span class="toc-page" data-toc="relief">5</span></li><li><span class="toc-page" data-toc="gone"></span></li>"##
        );
    }

    #[test]
    fn the_paper_comes_first_and_sizes_read_well() {
        let html =
            "<html><head><link rel=\"stylesheet\" href=\"s.css\"></head><body></body></html>";
        assert!(
            with_paper(html, Paper::Letter)
                .contains("<style>@page { size: letter; }</style></head>")
        );
        assert!(with_paper(html, Paper::A4).contains("size: A4"));
        assert_eq!(size_text(2_345_678), "2.3 MB");
        assert_eq!(size_text(233_100), "234 KB");
    }

    #[test]
    fn download_links_get_the_size_and_linked_pages_are_written_anew() {
        let dir = std::env::temp_dir().join(format!("nianbao-sizes-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("en")).unwrap();
        let page = "<a href=\"report.pdf\">PDF<span class=\"pdf-size\" data-pdf=\"en/report.pdf\"></span></a>";
        fs::write(dir.join("en/index.html"), page).unwrap();
        // An unchanged page may be the previous output's file, linked.
        let previous = dir.join("previous.html");
        fs::write(&previous, page).unwrap();
        fs::hard_link(&previous, dir.join("en/other.html")).unwrap();
        let mut changed = write_sizes(&dir, &[("en/report.pdf".to_string(), 2_300_000)]).unwrap();
        changed.sort();
        assert_eq!(changed, ["en/index.html", "en/other.html", "previous.html"]);
        assert!(
            fs::read_to_string(dir.join("en/other.html"))
                .unwrap()
                .contains("> (2.3 MB)</span>")
        );
        let _ = fs::remove_dir_all(&dir);
    }

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
