//! The HTTP side of `serve`: generated files from memory, copied files
//! streamed from disk through the report's boundary, the reload event
//! stream, the error overlay, and paths that can never leave the site.

use std::convert::Infallible;
use std::io::Read;
use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;

use crate::http::{content_type, resolve_path};
use crate::load::fsguard::Boundary;
use crate::render::html_escape;
use crate::serve::{Limits, LiveSite, Snapshot};

/// URL of the server-sent events stream that tells tabs to reload.
pub const EVENTS_PATH: &str = "/__nianbao/events";

/// Bytes read from a copied file per body chunk.
const CHUNK: usize = 128 * 1024;

/// Copied HTML files up to this size get the reload script; larger ones
/// are streamed as they are.
const INJECT_LIMIT: u64 = 16 * 1024 * 1024;

/// Bounds of an event stream's keep-alive interval.
const MIN_KEEP_ALIVE: Duration = Duration::from_millis(100);
const MAX_KEEP_ALIVE: Duration = Duration::from_secs(15);

/// Binds `ip:port`, or the next free port when it is taken.
pub(super) async fn bind(
    ip: IpAddr,
    port: u16,
    attempts: u16,
) -> Result<TcpListener, crate::Error> {
    let tries = if port == 0 { 1 } else { attempts.max(1) };
    let mut last = None;
    for offset in 0..tries {
        let Some(candidate) = port.checked_add(offset) else {
            break;
        };
        match TcpListener::bind(SocketAddr::new(ip, candidate)).await {
            Ok(listener) => return Ok(listener),
            Err(err) => last = Some(err),
        }
    }
    let reason = last.map_or_else(|| "no port to try".to_string(), |e| e.to_string());
    Err(crate::Error::io(
        std::path::Path::new(&format!("{ip}:{port}")),
        std::io::Error::new(
            std::io::ErrorKind::AddrInUse,
            format!(
                "cannot listen on port {port} or the {} after it ({reason}); choose another with --port",
                tries - 1
            ),
        ),
    ))
}

/// What every request handler shares.
struct App {
    live: Arc<LiveSite>,
    /// Copied files are opened only through here, at request time: a file
    /// may have become a FIFO or a link out of the report since the build.
    boundary: Boundary,
    /// How often an event stream sends a keep-alive, so the idle timeout
    /// never closes an open tab's stream.
    keep_alive: Duration,
}

/// The application: every path is answered by [`handle`].
pub(super) fn router(live: Arc<LiveSite>, limits: Limits) -> axum::Router {
    let app = App {
        boundary: Boundary::new(&live.options().root),
        live,
        keep_alive: (limits.idle_timeout / 3).clamp(MIN_KEEP_ALIVE, MAX_KEEP_ALIVE),
    };
    axum::Router::new()
        .fallback(handle)
        .with_state(Arc::new(app))
}

async fn handle(State(app): State<Arc<App>>, uri: Uri) -> Response {
    let live = &app.live;
    if uri.path() == EVENTS_PATH {
        return events(live, uri.query(), app.keep_alive).into_response();
    }
    let Some(path) = resolve_path(uri.path()) else {
        return not_found(live);
    };
    let candidates = [path.clone(), format!("{path}index.html")];
    for candidate in &candidates {
        live.refresh(candidate);
    }
    let (site, errors) = live.current();
    let found = candidates
        .iter()
        .find(|p| site.files.contains_key(*p) || site.copies.contains_key(*p));
    let Some(found) = found else {
        return missing(live, &site, &path, errors.as_deref());
    };
    let content_type = content_type(found);
    if let Some(bytes) = site.files.get(found) {
        return generated(live, bytes, content_type, errors.as_deref());
    }
    match site.copies.get(found) {
        Some(source) => copied(&app, source, content_type, errors.as_deref()).await,
        None => not_found(live),
    }
}

/// A path the site does not have: a redirect to the folder's page, the
/// build errors when no build ever succeeded, or 404.
fn missing(live: &LiveSite, site: &Snapshot, path: &str, errors: Option<&[String]>) -> Response {
    if !path.is_empty()
        && !path.ends_with('/')
        && site.files.contains_key(&format!("{path}/index.html"))
    {
        return redirect(&format!("/{path}/"));
    }
    // Only pages show the errors with 200; a file (`map.png`) the failed
    // build would have had is still not there, whatever the tab expects.
    if site.files.is_empty() && is_page(path) {
        return html_response(
            StatusCode::OK,
            error_page(errors.unwrap_or_default(), live.version()),
        );
    }
    not_found(live)
}

fn is_page(path: &str) -> bool {
    path.is_empty() || path.ends_with('/') || path.ends_with(".html")
}

/// A generated file, with the reload script when it is a page.
fn generated(
    live: &LiveSite,
    bytes: &[u8],
    content_type: &'static str,
    errors: Option<&[String]>,
) -> Response {
    if content_type.starts_with("text/html") {
        let html = String::from_utf8_lossy(bytes);
        return html_response(StatusCode::OK, inject(&html, errors, live.version()));
    }
    file_response(Body::from(bytes.to_vec()), content_type, None)
}

/// A file copied from the content folder, streamed from disk (a large file
/// is never held in memory) and opened through the report's boundary, so a
/// link out of the report or a FIFO is 404, never its bytes or a hang.
async fn copied(
    app: &App,
    source: &Path,
    content_type: &'static str,
    errors: Option<&[String]>,
) -> Response {
    let boundary = app.boundary.clone();
    let source = source.to_path_buf();
    let opened = tokio::task::spawn_blocking(move || boundary.open(&source)).await;
    let Ok(Ok((file, meta))) = opened else {
        return not_found(&app.live);
    };
    let len = meta.len();
    if content_type.starts_with("text/html") && len <= INJECT_LIMIT {
        return copied_page(&app.live, file, errors).await;
    }
    let body = Body::from_stream(chunks(tokio::fs::File::from_std(file), len));
    file_response(body, content_type, Some(len))
}

/// An HTML file copied as it is still gets the reload script.
async fn copied_page(live: &LiveSite, file: std::fs::File, errors: Option<&[String]>) -> Response {
    let read = tokio::task::spawn_blocking(move || {
        let mut bytes = Vec::new();
        file.take(INJECT_LIMIT)
            .read_to_end(&mut bytes)
            .map(|_| bytes)
    })
    .await;
    match read {
        Ok(Ok(bytes)) => generated(live, &bytes, "text/html; charset=utf-8", errors),
        _ => not_found(live),
    }
}

/// The first `len` bytes of `file`, a chunk at a time. A file that grows
/// while it is sent is cut at the announced length; one that shrinks ends
/// the body early, and hyper closes the connection.
fn chunks(
    file: tokio::fs::File,
    len: u64,
) -> impl futures_util::Stream<Item = std::io::Result<Bytes>> + Send + 'static {
    futures_util::stream::try_unfold(file.take(len), |mut reader| async move {
        let mut chunk = Vec::with_capacity(CHUNK);
        let read = reader.read_buf(&mut chunk).await?;
        Ok((read > 0).then(|| (Bytes::from(chunk), reader)))
    })
}

fn file_response(body: Body, content_type: &'static str, len: Option<u64>) -> Response {
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Some(len) = len {
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    }
    response
}

fn events(live: &LiveSite, query: Option<&str>, keep_alive: Duration) -> impl IntoResponse + use<> {
    let seen: Option<u64> = query
        .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("v=")))
        .and_then(|v| v.parse().ok());
    let current = live.version();
    // A rebuild between the page load and this connection must not be missed.
    let stale = seen.is_some_and(|v| v != current);
    let rx = live.subscribe();
    let first = futures_util::stream::iter(
        stale.then(|| Ok::<Event, Infallible>(Event::default().data("reload"))),
    );
    let updates = futures_util::stream::unfold(rx, |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(version) => {
                    return Some((Ok(Event::default().data(format!("reload {version}"))), rx));
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    let stream = futures_util::StreamExt::take_until(
        futures_util::StreamExt::chain(first, updates),
        live.shutting_down(),
    );
    Sse::new(stream).keep_alive(KeepAlive::new().interval(keep_alive))
}

fn redirect(location: &str) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::MOVED_PERMANENTLY;
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

fn not_found(live: &LiveSite) -> Response {
    let (site, errors) = live.current();
    let page = site
        .files
        .get("404.html")
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .unwrap_or_else(|| "<!DOCTYPE html><title>404</title><h1>404</h1>".into());
    html_response(
        StatusCode::NOT_FOUND,
        inject(&page, errors.as_deref(), live.version()),
    )
}

fn html_response(status: StatusCode, html: String) -> Response {
    let mut response = Response::new(Body::from(html));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn reload_script(version: u64) -> String {
    format!(
        "<script>(function(){{var s=new EventSource(\"{EVENTS_PATH}?v={version}\");s.onmessage=function(){{s.close();location.reload();}};}})();</script>"
    )
}

fn overlay(errors: &[String]) -> String {
    let list: String = errors
        .iter()
        .map(|e| format!("<li>{}</li>", html_escape(e)))
        .collect();
    format!(
        "<div id=\"nianbao-overlay\" role=\"alert\" style=\"position:fixed;top:0;left:0;right:0;max-height:80vh;overflow:auto;z-index:2147483647;background:#1d1d1f;color:#fff;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:16px 20px;border-bottom:4px solid #b3261e;white-space:pre-wrap\"><strong>nianbao: the last change could not be built. Showing the last good version; fix the file and this page reloads.</strong><ul style=\"margin:8px 0 0;padding-left:20px\">{list}</ul></div>"
    )
}

/// Adds the reload script (and the error overlay) to a served page. The
/// built files never contain them.
fn inject(html: &str, errors: Option<&[String]>, version: u64) -> String {
    let overlay = errors.map(overlay).unwrap_or_default();
    let script = reload_script(version);
    let mut out = String::with_capacity(html.len() + overlay.len() + script.len());
    let body_open = html
        .find("<body")
        .and_then(|i| html[i..].find('>').map(|j| i + j + 1));
    let body_close = html.rfind("</body>");
    match (body_open, body_close) {
        (Some(open), Some(close)) if open <= close => {
            out.push_str(&html[..open]);
            out.push_str(&overlay);
            out.push_str(&html[open..close]);
            out.push_str(&script);
            out.push_str(&html[close..]);
        }
        _ => {
            out.push_str(&overlay);
            out.push_str(html);
            out.push_str(&script);
        }
    }
    out
}

fn error_page(errors: &[String], version: u64) -> String {
    let page = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>nianbao: build failed</title></head><body><main><h1>The report could not be built</h1></main></body></html>";
    inject(page, Some(errors), version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injection_goes_inside_body() {
        let html = "<html><body class=\"x\"><p>hi</p></body></html>";
        let out = inject(html, Some(&["error: a.md:1:2: bad <b>".to_string()]), 3);
        assert!(out.starts_with("<html><body class=\"x\"><div id=\"nianbao-overlay\""));
        assert!(out.contains("bad &lt;b&gt;"));
        assert!(out.ends_with("location.reload();};})();</script></body></html>"));
        assert!(out.contains("?v=3"));
    }
}
