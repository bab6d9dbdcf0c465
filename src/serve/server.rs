//! The HTTP side of `serve`: files from memory, the reload event stream,
//! the error overlay, and paths that can never leave the site.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio::net::TcpListener;

use crate::render::html_escape;
use crate::serve::LiveSite;

/// URL of the server-sent events stream that tells tabs to reload.
pub const EVENTS_PATH: &str = "/__nianbao/events";

/// Binds `ip:port`, or the next free port when it is taken.
pub async fn bind(ip: IpAddr, port: u16, attempts: u16) -> Result<TcpListener, crate::Error> {
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

/// Serves until Ctrl-C.
pub async fn run(listener: TcpListener, live: Arc<LiveSite>) -> Result<(), crate::Error> {
    let app = axum::Router::new()
        .fallback(handle)
        .with_state(live.clone());
    axum::serve(listener, app)
        .with_graceful_shutdown({
            let live = live.clone();
            async move {
                shutdown_signal().await;
                // Open tabs hold event streams; end them or shutdown waits forever.
                live.shut_down();
            }
        })
        .await
        .map_err(|e| crate::Error::io(&live.options().root, e))
}

/// Ctrl-C, or SIGTERM on Unix (a service manager or `timeout`).
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let terminate = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut signal) => {
                    signal.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {},
            () = terminate => {},
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

async fn handle(State(live): State<Arc<LiveSite>>, uri: Uri) -> Response {
    if uri.path() == EVENTS_PATH {
        return events(&live, uri.query()).into_response();
    }
    let Some(path) = resolve_path(uri.path()) else {
        return not_found(&live);
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
        if !path.is_empty()
            && !path.ends_with('/')
            && site.files.contains_key(&format!("{path}/index.html"))
        {
            return redirect(&format!("/{path}/"));
        }
        if site.files.is_empty() {
            return html_response(
                StatusCode::OK,
                error_page(errors.as_deref().unwrap_or_default(), live_version(&live)),
            );
        }
        return not_found(&live);
    };
    let bytes = match site.files.get(found) {
        Some(bytes) => bytes.as_ref().clone(),
        None => match site.copies.get(found) {
            Some(source) => match tokio::fs::read(source).await {
                Ok(bytes) => bytes,
                Err(_) => return not_found(&live),
            },
            None => return not_found(&live),
        },
    };
    let content_type = content_type(found);
    if content_type.starts_with("text/html") {
        let html = String::from_utf8_lossy(&bytes);
        return html_response(
            StatusCode::OK,
            inject(&html, errors.as_deref(), live_version(&live)),
        );
    }
    let mut response = Response::new(Body::from(bytes));
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn live_version(live: &LiveSite) -> u64 {
    live.version()
}

/// Decodes a request path into a path below the site root, or `None` when
/// it could leave it: `..` or `.` segments (also percent-encoded), encoded
/// slashes that hide them, backslashes, NUL bytes, invalid UTF-8.
pub fn resolve_path(raw: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()?;
    if decoded.contains(['\\', '\0']) || !decoded.starts_with('/') {
        return None;
    }
    let trimmed = &decoded[1..];
    if trimmed
        .split('/')
        .any(|segment| segment == ".." || segment == "." || segment.contains(':'))
    {
        return None;
    }
    if trimmed.starts_with('/') || trimmed.contains("//") {
        return None;
    }
    Some(trimmed.to_string())
}

fn events(live: &LiveSite, query: Option<&str>) -> impl IntoResponse + use<> {
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
    Sse::new(stream).keep_alive(KeepAlive::default())
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

/// The Content-Type for a file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "json" => "application/json",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_escape() {
        assert_eq!(resolve_path("/").as_deref(), Some(""));
        assert_eq!(resolve_path("/en/reform/").as_deref(), Some("en/reform/"));
        assert_eq!(resolve_path("/%E4%B8%AD/").as_deref(), Some("中/"));
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/x",
            "/a/%2E%2E/%2E%2E/x",
            "/..%2f..%2fetc",
            "/a\\..\\b",
            "/%00",
            "/./x",
            "//etc/passwd",
            "/c:/x",
            "/%ff",
        ] {
            assert_eq!(resolve_path(bad), None, "{bad}");
        }
    }

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
