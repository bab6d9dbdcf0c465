//! `nianbao publish --to s3://BUCKET/PREFIX` against a real S3-compatible
//! server on loopback: moto's server (`pip install 'moto[server]'`,
//! installed by `.ci/run`), one per test. Objects are read back with plain
//! HTTP on path-style URLs, so what the tests see is what a CDN would get.
//!
//! Without moto the tests that need it print a loud SKIPPED line, except
//! under CI (the `CI` variable set), where a missing moto is a failure. The
//! tests that need no server (an unreachable endpoint, refused schemes)
//! always run.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::{Site, snapshot_dir, stderr_of, wait_with_deadline};

/// The manifest object nianbao owns under the prefix.
const MANIFEST: &str = ".nianbao-manifest.json";
/// Where the fixture goes in the bucket (as in the issue: `s3://reports/2020/`).
const PREFIX: &str = "report/2020";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "public, max-age=0, must-revalidate";

// ---------------------------------------------------------------------------
// moto's server

/// A moto S3 server on a free loopback port, killed when dropped.
struct Moto {
    child: Child,
    port: u16,
    _log: tempfile::TempDir,
}

/// How to start moto's server: the module, or the script pip installs.
fn moto_command() -> Option<(&'static str, &'static [&'static str])> {
    let works = |program: &str, args: &[&str]| {
        Command::new(program)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if works("python3", &["-c", "import moto.server, flask, flask_cors"]) {
        return Some(("python3", &["-m", "moto.server"]));
    }
    if works("moto_server", &["--help"]) {
        return Some(("moto_server", &[]));
    }
    None
}

/// A port nothing listens on (bound, then released).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Moto {
    /// Starts moto's server, or returns `None` after a loud skip message
    /// when moto is not installed (a panic under CI instead).
    fn start(test: &str) -> Option<Self> {
        let Some((program, program_args)) = moto_command() else {
            assert!(
                std::env::var_os("CI").is_none(),
                "moto is not installed, and CI is set: the S3 publishing tests \
                 need it (`python3 -m pip install 'moto[server]'`, as .ci/run does)"
            );
            eprintln!(
                "\n**********\nSKIPPED {test}: moto not installed (pip install 'moto[server]')\n**********\n"
            );
            return None;
        };
        // The port is free when chosen; another process may take it before
        // moto binds it, so a server that exits at once is retried.
        let mut last_log = String::new();
        for _ in 0..3 {
            let log = tempfile::tempdir().unwrap();
            let log_path = log.path().join("moto.log");
            let port = free_port();
            let child = Command::new(program)
                .args(program_args)
                .args(["-H", "127.0.0.1", "-p", &port.to_string()])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(std::fs::File::create(&log_path).unwrap())
                .spawn()
                .unwrap();
            let mut moto = Self {
                child,
                port,
                _log: log,
            };
            if moto.wait_until_ready(Duration::from_secs(60)) {
                return Some(moto);
            }
            last_log = std::fs::read_to_string(&log_path).unwrap_or_default();
        }
        panic!("moto's server did not start:\n{last_log}");
    }

    /// True once the server answers HTTP; false if it exited or timed out.
    fn wait_until_ready(&mut self, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if self.child.try_wait().unwrap().is_some() {
                return false;
            }
            if let Ok(r) = try_http(&self.addr(), "GET", "/", &[], b"")
                && r.status > 0
            {
                return true;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        false
    }

    fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    fn endpoint(&self) -> String {
        format!("http://{}", self.addr())
    }

    /// A request to the server. moto refuses anonymous reads of private
    /// objects but does not check signatures: a well-formed (unsigned)
    /// Authorization header is enough.
    fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Response {
        let auth = "AWS4-HMAC-SHA256 Credential=test/20200101/us-east-1/s3/aws4_request, \
                    SignedHeaders=host, Signature=0";
        let mut all = vec![("Authorization", auth)];
        all.extend_from_slice(headers);
        try_http(&self.addr(), method, path, &all, body)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    fn create_bucket(&self, bucket: &str) {
        let r = self.request("PUT", &format!("/{bucket}"), &[], b"");
        assert_eq!(r.status, 200, "create bucket {bucket}: {}", r.text());
    }

    fn get(&self, bucket: &str, key: &str) -> Response {
        self.request("GET", &format!("/{bucket}/{}", encode_key(key)), &[], b"")
    }

    /// Puts an object as someone other than nianbao would.
    fn put(&self, bucket: &str, key: &str, body: &[u8]) {
        let r = self.request(
            "PUT",
            &format!("/{bucket}/{}", encode_key(key)),
            &[("Content-Type", "text/plain")],
            body,
        );
        assert_eq!(r.status, 200, "put {key}: {}", r.text());
    }

    fn delete(&self, bucket: &str, key: &str) {
        let r = self.request(
            "DELETE",
            &format!("/{bucket}/{}", encode_key(key)),
            &[],
            b"",
        );
        assert_eq!(r.status, 204, "delete {key}: {}", r.text());
    }

    /// Every key in the bucket under `prefix`, with its ETag.
    fn list(&self, bucket: &str, prefix: &str) -> BTreeMap<String, String> {
        let mut keys = BTreeMap::new();
        let mut token: Option<String> = None;
        loop {
            let mut path = format!("/{bucket}?list-type=2&prefix={}", encode_query(prefix));
            if let Some(t) = &token {
                path.push_str(&format!("&continuation-token={}", encode_query(t)));
            }
            let r = self.request("GET", &path, &[], b"");
            assert_eq!(r.status, 200, "list {bucket}: {}", r.text());
            let xml = r.text();
            for item in xml.split("<Contents>").skip(1) {
                let key = xml_unescape(between(item, "<Key>", "</Key>").unwrap());
                let etag = xml_unescape(between(item, "<ETag>", "</ETag>").unwrap_or(""));
                keys.insert(key, etag);
            }
            match between(&xml, "<NextContinuationToken>", "</NextContinuationToken>") {
                Some(t) if xml.contains("<IsTruncated>true</IsTruncated>") => {
                    token = Some(xml_unescape(t));
                }
                _ => break,
            }
        }
        keys
    }

    /// Every object under `prefix` with its bytes and headers: for "nothing changed".
    fn snapshot(&self, bucket: &str, prefix: &str) -> BTreeMap<String, (String, Vec<u8>)> {
        self.list(bucket, prefix)
            .into_iter()
            .map(|(key, etag)| {
                let r = self.get(bucket, &key);
                assert_eq!(r.status, 200, "{key}");
                (key, (etag, r.body))
            })
            .collect()
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------
// A small HTTP/1.1 client

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One request on a fresh connection (`Connection: close`), read to the end.
fn try_http(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<Response> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes())?;
    stream.write_all(body)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no end of headers"))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let mut response = Response {
        status,
        headers,
        body: Vec::new(),
    };
    if response
        .header("Transfer-Encoding")
        .is_some_and(|t| t.eq_ignore_ascii_case("chunked"))
    {
        body = dechunk(&body);
    } else if method != "HEAD"
        && let Some(len) = response
            .header("Content-Length")
            .and_then(|l| l.parse().ok())
    {
        body.truncate(len);
    }
    response.body = body;
    Ok(response)
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = data.windows(2).position(|w| w == b"\r\n") {
        let size_text = String::from_utf8_lossy(&data[..eol]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16).unwrap();
        if size == 0 {
            break;
        }
        let start = eol + 2;
        out.extend_from_slice(&data[start..start + size]);
        data = &data[start + size + 2..];
    }
    out
}

/// A key as a path: every byte but unreserved characters and `/` escaped.
fn encode_key(key: &str) -> String {
    key.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn encode_query(value: &str) -> String {
    encode_key(value).replace('/', "%2F")
}

fn between<'a>(text: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = text.find(open)? + open.len();
    let end = text[start..].find(close)? + start;
    Some(&text[start..end])
}

fn xml_unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

// ---------------------------------------------------------------------------
// Running nianbao

/// Runs the binary in the site folder with the S3 environment for
/// `endpoint` (none of the machine's AWS settings), failing the test if it
/// takes longer than `limit`.
fn run_s3(site: &Site, endpoint: &str, args: &[&str], limit: Duration) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_nianbao"));
    cmd.args(args).current_dir(site.root()).env("NO_COLOR", "1");
    for var in [
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_SESSION_TOKEN",
        "AWS_DEFAULT_REGION",
        "AWS_ENDPOINT",
        "AWS_ENDPOINT_URL_S3",
        "AWS_S3_ADDRESSING_STYLE",
        "AWS_CONFIG_FILE",
        "AWS_SHARED_CREDENTIALS_FILE",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
    ] {
        cmd.env_remove(var);
    }
    cmd
        // No ~/.aws of the machine running the tests.
        .env("HOME", site.root())
        .env("AWS_ENDPOINT_URL", endpoint)
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_REGION", "us-east-1")
        // No instance-metadata lookups if credentials were ever missed.
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .stdin(Stdio::null());
    wait_with_deadline(cmd, args, limit)
}

fn target(bucket: &str) -> String {
    format!("s3://{bucket}/{PREFIX}/")
}

/// `nianbao publish --to s3://BUCKET/PREFIX/`, which must succeed; its stderr.
fn publish(site: &Site, moto: &Moto, bucket: &str, extra: &[&str]) -> String {
    let to = target(bucket);
    let mut args = vec!["publish", "--to", to.as_str()];
    args.extend_from_slice(extra);
    let out = run_s3(site, &moto.endpoint(), &args, Duration::from_secs(300));
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(0), "publish {extra:?}:\n{err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

/// The summary line: `published to s3://…: N uploaded, …` or `dry run: …`
/// (what follows the last carriage return of a progress line).
fn summary(stderr: &str) -> &str {
    stderr
        .lines()
        .map(|l| l.rsplit('\r').next().unwrap_or(l).trim())
        .rfind(|l| l.starts_with("published to s3://") || l.starts_with("dry run:"))
        .unwrap_or_else(|| panic!("no summary line in:\n{stderr}"))
}

/// The number before `word` in the summary line ("12 uploaded").
fn count(stderr: &str, word: &str) -> usize {
    let line = summary(stderr);
    let at = line
        .find(&format!(" {word}"))
        .unwrap_or_else(|| panic!("no `N {word}` in {line:?}, stderr:\n{stderr}"));
    let digits: String = line[..at]
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("no number before `{word}` in {line:?}"))
}

/// The `upload PATH` / `delete PATH` lines of a dry run, as paths under
/// the prefix (a line may name the key or the whole URL instead).
fn planned(stderr: &str, verb: &str, bucket: &str) -> BTreeSet<String> {
    let full = format!("s3://{bucket}/");
    stderr
        .lines()
        .map(str::trim)
        .filter_map(|l| l.strip_prefix(verb)?.strip_prefix(' '))
        .map(|p| {
            let p = p.trim().strip_prefix(&full).unwrap_or(p.trim());
            let p = p.strip_prefix(&format!("{PREFIX}/")).unwrap_or(p);
            p.to_string()
        })
        .collect()
}

/// A local `nianbao build` of the site: every file but the output marker.
fn local_build(site: &Site) -> BTreeMap<String, Vec<u8>> {
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    snapshot_dir(&site.output())
        .into_iter()
        .map(|(p, b)| (p.to_string_lossy().replace('\\', "/"), b))
        .filter(|(p, _)| p != ".nianbao-output")
        .collect()
}

fn key(path: &str) -> String {
    format!("{PREFIX}/{path}")
}

/// The Content-Type a file must be served with.
fn expected_type(path: &str) -> &'static [&'static str] {
    match path.rsplit('.').next().unwrap() {
        "html" => &["text/html; charset=utf-8"],
        "css" => &["text/css; charset=utf-8"],
        "svg" => &["image/svg+xml", "image/svg+xml; charset=utf-8"],
        "txt" => &["text/plain; charset=utf-8"],
        "xml" => &["application/xml", "application/xml; charset=utf-8"],
        "js" => &["application/javascript", "text/javascript; charset=utf-8"],
        "json" => &["application/json"],
        "csv" => &["text/csv; charset=utf-8"],
        "pdf" => &["application/pdf"],
        "png" => &["image/png"],
        "jpg" | "jpeg" => &["image/jpeg"],
        "webp" => &["image/webp"],
        other => panic!("no expected type for .{other} ({path}): add it"),
    }
}

/// `assets/<name>.<10 hex>.<ext>` and processed photos are immutable.
fn is_fingerprinted(path: &str) -> bool {
    if path.starts_with("photos/") {
        return true;
    }
    let Some(name) = path.strip_prefix("assets/") else {
        return false;
    };
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() >= 3 && {
        let hash = parts[parts.len() - 2];
        hash.len() == 10 && hash.bytes().all(|b| b.is_ascii_hexdigit())
    }
}

/// Checks that every file of `local` is in the bucket, byte for byte, with
/// its type and cache header.
fn assert_published(moto: &Moto, bucket: &str, local: &BTreeMap<String, Vec<u8>>) {
    for (path, bytes) in local {
        let r = moto.get(bucket, &key(path));
        assert_eq!(r.status, 200, "{path} is not in the bucket");
        assert!(
            r.body == *bytes,
            "{path}: the object differs from the local build"
        );
        let ctype = r.header("Content-Type").unwrap_or("");
        assert!(
            expected_type(path).contains(&ctype),
            "{path}: Content-Type {ctype:?}, expected one of {:?}",
            expected_type(path)
        );
        let cache = r.header("Cache-Control").unwrap_or("");
        let want = if is_fingerprinted(path) {
            IMMUTABLE
        } else {
            REVALIDATE
        };
        assert_eq!(cache, want, "{path}: Cache-Control");
    }
}

/// The manifest nianbao keeps in the bucket: path → entry.
fn manifest(moto: &Moto, bucket: &str) -> serde_json::Map<String, serde_json::Value> {
    let r = moto.get(bucket, &key(MANIFEST));
    assert_eq!(r.status, 200, "no manifest at {}", key(MANIFEST));
    let json: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    json["files"].as_object().unwrap().clone()
}

/// Removes the second chapter (and what referred to its metrics).
fn remove_outreach_chapter(site: &Site) {
    std::fs::remove_dir_all(site.root().join("content/02-outreach")).unwrap();
    let edit = |path: &str, from: &str, to: &str| {
        let text = std::fs::read_to_string(site.root().join(path)).unwrap();
        assert!(text.contains(from), "{path} no longer has {from:?}");
        site.write(path, &text.replace(from, to));
    };
    edit(
        "content/report.yaml",
        "highlights: [funds_raised, volunteers]",
        "highlights: [funds_raised]",
    );
    edit(
        "content/_index.en.md",
        "{{ metric:volunteers | number }}",
        "many",
    );
    edit("content/_index.zh.md", "{{ metric:volunteers }}", "一万名");
}

fn edit_one_section(site: &Site, word: &str) {
    let path = "content/01-relief/02-training.en.md";
    let text = std::fs::read_to_string(site.root().join(path)).unwrap();
    site.write(path, &format!("{text}\nA new paragraph: {word}.\n"));
}

// ---------------------------------------------------------------------------
// With a server

#[test]
fn publishing_puts_every_file_with_its_type_and_cache_header() {
    let Some(moto) = Moto::start("s3::publishing_puts_every_file_with_its_type_and_cache_header")
    else {
        return;
    };
    moto.create_bucket("reports");
    // Someone else's object under the prefix, before the first publish.
    moto.put("reports", &key("theirs.txt"), b"not nianbao's");
    let site = Site::fixture("bilingual");
    let local = local_build(&site);
    assert!(
        local.keys().any(|p| is_fingerprinted(p)),
        "{:?}",
        local.keys()
    );

    let err = publish(&site, &moto, "reports", &[]);
    assert!(
        err.contains(&format!("published to s3://reports/{PREFIX}")),
        "{err}"
    );
    assert_eq!(count(&err, "uploaded"), local.len(), "{err}");
    assert_eq!(count(&err, "deleted"), 0, "{err}");
    assert_published(&moto, "reports", &local);

    // Exactly the site, the manifest, and the object that was there before.
    let keys: BTreeSet<String> = moto
        .list("reports", &format!("{PREFIX}/"))
        .into_keys()
        .collect();
    let mut want: BTreeSet<String> = local.keys().map(|p| key(p)).collect();
    want.insert(key(MANIFEST));
    want.insert(key("theirs.txt"));
    assert_eq!(keys, want);
    assert_eq!(
        moto.get("reports", &key("theirs.txt")).body,
        b"not nianbao's"
    );
    // The manifest names every file and nothing else.
    let files = manifest(&moto, "reports");
    let listed: BTreeSet<&str> = files.keys().map(String::as_str).collect();
    let built: BTreeSet<&str> = local.keys().map(String::as_str).collect();
    assert_eq!(listed, built);
    for (path, entry) in &files {
        assert_eq!(
            entry["hash"].as_str(),
            Some(blake3::hash(&local[path]).to_hex().as_str()),
            "{path}"
        );
    }
    // Nothing was written locally in place of the bucket.
    assert!(!site.root().join("s3:").exists());
}

#[test]
fn publishing_again_uploads_nothing() {
    let Some(moto) = Moto::start("s3::publishing_again_uploads_nothing") else {
        return;
    };
    moto.create_bucket("reports");
    let site = Site::fixture("bilingual");
    let local = local_build(&site);
    let first = publish(&site, &moto, "reports", &[]);
    assert_eq!(count(&first, "uploaded"), local.len(), "{first}");
    let before = moto.list("reports", "");

    // `--endpoint` wins over AWS_ENDPOINT_URL (here a closed port).
    let to = target("reports");
    let closed = format!("http://127.0.0.1:{}", free_port());
    let out = run_s3(
        &site,
        &closed,
        &["publish", "--to", &to, "--endpoint", &moto.endpoint()],
        Duration::from_secs(300),
    );
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(count(&err, "uploaded"), 0, "{err}");
    assert_eq!(count(&err, "unchanged"), local.len(), "{err}");
    assert_eq!(count(&err, "deleted"), 0, "{err}");
    // Not even the manifest was rewritten.
    assert_eq!(moto.list("reports", ""), before);
    assert_published(&moto, "reports", &local);

    // An object changed or removed behind nianbao's back (its ETag no
    // longer the one recorded) is put back by the next publish.
    moto.put("reports", &key("en/index.html"), b"defaced");
    moto.delete("reports", &key("robots.txt"));
    let err = publish(&site, &moto, "reports", &[]);
    assert_eq!(count(&err, "uploaded"), 2, "{err}");
    assert_published(&moto, "reports", &local);
}

#[test]
fn editing_one_section_uploads_a_handful_of_objects() {
    let Some(moto) = Moto::start("s3::editing_one_section_uploads_a_handful_of_objects") else {
        return;
    };
    moto.create_bucket("reports");
    let site = Site::fixture("bilingual");
    publish(&site, &moto, "reports", &[]);
    let before = moto.snapshot("reports", &format!("{PREFIX}/"));

    edit_one_section(&site, "Zanzibar");
    let local = local_build(&site);
    let err = publish(&site, &moto, "reports", &[]);
    let uploaded = count(&err, "uploaded");
    assert!((1..=10).contains(&uploaded), "{uploaded} uploaded:\n{err}");
    assert_eq!(count(&err, "deleted"), 0, "{err}");
    assert_eq!(count(&err, "unchanged") + uploaded, local.len(), "{err}");
    let page = moto.get("reports", &key("en/relief/index.html"));
    assert!(page.text().contains("Zanzibar"), "the edit is not online");
    assert_published(&moto, "reports", &local);
    // What changed is what was uploaded: the Chinese pages were not touched.
    let after = moto.snapshot("reports", &format!("{PREFIX}/"));
    assert_eq!(
        after[&key("relief/index.html")],
        before[&key("relief/index.html")]
    );
    let changed = after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(*v) && !k.ends_with(MANIFEST))
        .count();
    assert_eq!(changed, uploaded, "{err}");
    // And the next run has nothing left to do.
    let again = publish(&site, &moto, "reports", &[]);
    assert_eq!(count(&again, "uploaded"), 0, "{again}");
}

#[test]
fn removing_a_chapter_deletes_its_pages_and_nothing_nianbao_did_not_upload() {
    let Some(moto) =
        Moto::start("s3::removing_a_chapter_deletes_its_pages_and_nothing_nianbao_did_not_upload")
    else {
        return;
    };
    moto.create_bucket("reports");
    let site = Site::fixture("bilingual");
    let old = local_build(&site);
    publish(&site, &moto, "reports", &[]);
    // Someone else's objects: in the chapter's folder, beside the site, and
    // outside the prefix at a path the site also has.
    moto.put("reports", &key("en/outreach/notes.txt"), b"theirs 1");
    moto.put("reports", &key("outreach/index.htm"), b"theirs 2");
    moto.put("reports", "report/2019/outreach/index.html", b"theirs 3");

    remove_outreach_chapter(&site);
    let new = local_build(&site);
    let gone: Vec<&String> = old.keys().filter(|p| !new.contains_key(*p)).collect();
    assert!(
        gone.iter().any(|p| *p == "en/outreach/index.html"),
        "{gone:?}"
    );
    assert!(gone.iter().any(|p| *p == "outreach/index.html"), "{gone:?}");

    let err = publish(&site, &moto, "reports", &[]);
    assert_eq!(count(&err, "deleted"), gone.len(), "{err}");
    for path in &gone {
        assert_eq!(
            moto.get("reports", &key(path)).status,
            404,
            "{path} is still there"
        );
    }
    assert_published(&moto, "reports", &new);
    assert_eq!(
        moto.get("reports", &key("en/outreach/notes.txt")).body,
        b"theirs 1"
    );
    assert_eq!(
        moto.get("reports", &key("outreach/index.htm")).body,
        b"theirs 2"
    );
    assert_eq!(
        moto.get("reports", "report/2019/outreach/index.html").body,
        b"theirs 3"
    );
    let files = manifest(&moto, "reports");
    assert!(gone.iter().all(|p| !files.contains_key(p.as_str())));
    assert_eq!(files.len(), new.len());
}

#[test]
fn dry_run_prints_the_plan_and_changes_nothing() {
    let Some(moto) = Moto::start("s3::dry_run_prints_the_plan_and_changes_nothing") else {
        return;
    };
    moto.create_bucket("reports");
    let site = Site::fixture("bilingual");
    let old = local_build(&site);

    // An empty bucket: everything to upload, nothing written.
    let err = publish(&site, &moto, "reports", &["--dry-run"]);
    assert!(err.contains("nothing changed"), "{err}");
    assert_eq!(count(&err, "to upload"), old.len(), "{err}");
    let all: BTreeSet<String> = old.keys().cloned().collect();
    assert_eq!(planned(&err, "upload", "reports"), all, "{err}");
    assert!(
        moto.list("reports", "").is_empty(),
        "a dry run wrote objects"
    );

    publish(&site, &moto, "reports", &[]);
    remove_outreach_chapter(&site);
    edit_one_section(&site, "Zanzibar");
    let new = local_build(&site);
    let gone = old.keys().filter(|p| !new.contains_key(*p)).count();
    let before = moto.snapshot("reports", "");

    let plan = publish(&site, &moto, "reports", &["--dry-run"]);
    assert!(plan.contains("nothing changed"), "{plan}");
    assert_eq!(count(&plan, "to delete"), gone, "{plan}");
    let uploads = count(&plan, "to upload");
    assert!((1..=12).contains(&uploads), "{plan}");
    let to_upload = planned(&plan, "upload", "reports");
    let to_delete = planned(&plan, "delete", "reports");
    assert!(to_upload.contains("en/relief/index.html"), "{plan}");
    assert_eq!(to_upload.len(), uploads, "{plan}");
    let gone_paths: BTreeSet<String> = old
        .keys()
        .filter(|p| !new.contains_key(*p))
        .cloned()
        .collect();
    assert_eq!(to_delete, gone_paths, "{plan}");
    assert_eq!(
        moto.snapshot("reports", ""),
        before,
        "a dry run changed the bucket"
    );

    // The real run does what the plan said.
    let done = publish(&site, &moto, "reports", &[]);
    assert_eq!(count(&done, "uploaded"), uploads, "{done}");
    assert_eq!(count(&done, "deleted"), gone, "{done}");
    assert_published(&moto, "reports", &new);
}

#[test]
fn a_missing_bucket_is_an_error_naming_it() {
    let Some(moto) = Moto::start("s3::a_missing_bucket_is_an_error_naming_it") else {
        return;
    };
    let site = Site::fixture("bilingual");
    let started = Instant::now();
    let out = run_s3(
        &site,
        &moto.endpoint(),
        &["publish", "--to", "s3://no-such-bucket-zq/report/"],
        Duration::from_secs(90),
    );
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("no-such-bucket-zq"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
    assert!(!site.root().join("s3:").exists());
}

// ---------------------------------------------------------------------------
// Without a server

#[test]
fn an_unreachable_endpoint_fails_within_a_minute_naming_it() {
    let site = Site::fixture("bilingual");
    let port = free_port();
    let endpoint = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    let out = run_s3(
        &site,
        &endpoint,
        &["publish", "--to", "s3://reports/2020/"],
        Duration::from_secs(90),
    );
    let elapsed = started.elapsed();
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains(&format!("127.0.0.1:{port}")), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        elapsed < Duration::from_secs(60),
        "took {elapsed:?}:\n{err}"
    );
    assert!(!site.root().join("s3:").exists());
}

#[test]
fn unsupported_schemes_are_refused_not_taken_for_folders() {
    let site = Site::fixture("bilingual");
    for to in ["gs://x/y", "ftp://x"] {
        let out = run_s3(
            &site,
            "http://127.0.0.1:9",
            &["publish", "--to", to],
            Duration::from_secs(60),
        );
        let err = stderr_of(&out);
        assert!(
            matches!(out.status.code(), Some(1 | 2)),
            "{to}: exit {:?}\n{err}",
            out.status.code()
        );
        let scheme = format!("{}://", to.split(':').next().unwrap());
        assert!(
            err.contains(&scheme),
            "{to}: the error does not name it:\n{err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
    for entry in std::fs::read_dir(site.root()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.ends_with(':'), "a folder {name:?} was created");
    }
    assert!(!Path::new(&site.root().join("gs:")).exists());
    assert!(!Path::new(&site.root().join("ftp:")).exists());
}
