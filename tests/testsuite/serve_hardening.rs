//! `serve` against hostile or careless clients and files: nothing from
//! outside the report, nothing held whole in memory, nothing that hangs.
//! Every wait here has its own deadline, so a regression fails instead of
//! hanging the suite. Unix only: FIFOs, symlinks and signals.
#![cfg(unix)]

use std::io::{BufRead, BufReader, ErrorKind, Read, Seek, SeekFrom, Write};
use std::net::TcpStream;
use std::process::Command;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::common::Site;
use crate::common::serve::Server;
use nianbao::serve::{Limits, ServeEvent, ServeOptions};

/// Runs the library's server in a thread of this test process, with
/// `limits` (small ones, so the tests are quick), and returns its address.
/// It lives until the test process ends.
fn serve_in_process(site: &Site, limits: Limits) -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    let tx = Mutex::new(tx);
    let options = ServeOptions {
        build: site.options(),
        bind: "127.0.0.1".parse().unwrap(),
        port: 0,
        port_attempts: 1,
        debounce: Duration::from_millis(15),
        limits,
    };
    std::thread::spawn(move || {
        let _ = nianbao::serve::serve(options, move |event| {
            if let ServeEvent::Listening { addr, .. } = event {
                let _ = tx.lock().unwrap().send(addr);
            }
        });
    });
    rx.recv_timeout(Duration::from_secs(60))
        .expect("the server did not start")
        .to_string()
}

fn connect(addr: &str) -> TcpStream {
    let stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
}

/// Status line and headers of a response (lower-case names).
struct Head {
    status: u16,
    headers: Vec<(String, String)>,
}

impl Head {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

fn send_get(stream: &mut TcpStream, path: &str) {
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
}

fn read_head(reader: &mut BufReader<TcpStream>) -> Head {
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    let status = line.split(' ').nth(1).and_then(|s| s.parse().ok());
    let status = status.unwrap_or_else(|| panic!("bad status line: {line:?}"));
    let mut headers = Vec::new();
    loop {
        line.clear();
        assert!(
            reader.read_line(&mut line).unwrap() > 0,
            "headers cut short"
        );
        let Some((name, value)) = line.trim_end().split_once(':') else {
            return Head { status, headers };
        };
        headers.push((name.to_ascii_lowercase(), value.trim().to_string()));
    }
}

/// A complete GET: status and body.
fn get(addr: &str, path: &str) -> (u16, Vec<u8>) {
    let mut stream = connect(addr);
    send_get(&mut stream, path);
    let mut reader = BufReader::new(stream);
    let head = read_head(&mut reader);
    let mut body = Vec::new();
    reader.read_to_end(&mut body).unwrap();
    (head.status, body)
}

/// Whether the peer closed `stream` (EOF or reset) within `within`;
/// anything the server sends first (an error status) is read and skipped.
fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    stream
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let mut buf = [0u8; 4096];
    while Instant::now() < deadline {
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => return true,
        }
    }
    false
}

const MIB: u64 = 1024 * 1024;

/// A sparse file of `len` bytes with a marker at its start, middle and end,
/// so a body can be checked byte for byte without storing it.
fn sparse_file(path: &std::path::Path, len: u64) -> Vec<(u64, &'static [u8])> {
    let markers: Vec<(u64, &'static [u8])> =
        vec![(0, b"START"), (len / 2, b"MIDDLE"), (len - 3, b"END")];
    let mut file = std::fs::File::create(path).unwrap();
    file.set_len(len).unwrap();
    for (at, bytes) in &markers {
        file.seek(SeekFrom::Start(*at)).unwrap();
        file.write_all(bytes).unwrap();
    }
    markers
}

/// The non-zero bytes expected from [`sparse_file`], by position.
fn expected_bytes(markers: &[(u64, &[u8])]) -> Vec<(u64, u8)> {
    markers
        .iter()
        .flat_map(|(at, bytes)| (*at..).zip(bytes.iter().copied()))
        .collect()
}

#[test]
fn a_large_copied_file_is_streamed_with_its_length_and_bytes() {
    let site = Site::fixture("bilingual");
    let len = 300 * MIB;
    let markers = sparse_file(&site.root().join("content/01-relief/big.bin"), len);
    let server = Server::start(&site);
    let mut stream = connect(&server.addr);
    send_get(&mut stream, "/relief/big.bin");
    let mut reader = BufReader::with_capacity(1 << 20, stream);
    let head = read_head(&mut reader);
    assert_eq!(head.status, 200);
    assert_eq!(
        head.header("content-length"),
        Some(len.to_string().as_str())
    );
    assert_eq!(
        head.header("content-type"),
        Some("application/octet-stream")
    );
    let mut offset = 0u64;
    let mut nonzero = Vec::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = reader.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        for (i, &b) in buf[..n].iter().enumerate() {
            if b != 0 {
                nonzero.push((offset + i as u64, b));
            }
        }
        offset += n as u64;
    }
    assert_eq!(offset, len, "every byte, and no more");
    assert_eq!(nonzero, expected_bytes(&markers));
}

#[test]
fn copies_linked_out_of_the_report_are_404() {
    let site = Site::fixture("bilingual");
    std::os::unix::fs::symlink("/etc/passwd", site.root().join("content/01-relief/map.png"))
        .unwrap();
    std::os::unix::fs::symlink("/etc/passwd", site.root().join("content/assets/shadow")).unwrap();
    let server = Server::start(&site);
    // The build fails on the links, so the pages show the errors…
    let (status, home) = get(&server.addr, "/");
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&home).contains("nianbao-overlay"));
    // …but the files themselves are not there.
    for path in ["/relief/map.png", "/en/relief/map.png", "/assets/shadow"] {
        let (status, body) = get(&server.addr, path);
        assert_eq!(status, 404, "{path}");
        assert!(
            !String::from_utf8_lossy(&body).contains("root:"),
            "{path} leaked /etc/passwd"
        );
    }
}

#[test]
fn a_copy_that_became_a_link_out_or_a_fifo_is_404_without_hanging() {
    let site = Site::fixture("bilingual");
    site.write("content/01-relief/map.pdf", "a real picture");
    site.write("content/assets/shadow", "a real asset");
    let server = Server::start(&site);
    assert_eq!(
        get(&server.addr, "/relief/map.pdf"),
        (200, b"a real picture".to_vec())
    );
    assert_eq!(get(&server.addr, "/assets/shadow").0, 200);
    // After the build: the last good site still lists both files.
    let map = site.root().join("content/01-relief/map.pdf");
    std::fs::remove_file(&map).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", &map).unwrap();
    let shadow = site.root().join("content/assets/shadow");
    std::fs::remove_file(&shadow).unwrap();
    let made = Command::new("mkfifo").arg(&shadow).status().unwrap();
    assert!(made.success());
    // `get` reads with a timeout: a server blocked on the FIFO fails here.
    for path in ["/relief/map.pdf", "/en/relief/map.pdf", "/assets/shadow"] {
        let (status, body) = get(&server.addr, path);
        assert_eq!(status, 404, "{path}");
        assert!(
            !String::from_utf8_lossy(&body).contains("root:"),
            "{path} leaked /etc/passwd"
        );
    }
}

#[test]
fn a_slow_loris_client_is_disconnected() {
    let site = Site::fixture("bilingual");
    let addr = serve_in_process(
        &site,
        Limits {
            header_read_timeout: Duration::from_secs(1),
            // Long, so only the header timeout can end this client.
            idle_timeout: Duration::from_secs(60),
            ..Limits::default()
        },
    );
    let mut stream = connect(&addr);
    stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        // One more header byte now and then: the request never completes.
        if stream.write_all(b"X").is_err() || closed_within(&mut stream, Duration::from_millis(300))
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "a client that never finishes its headers is still connected after 15 s"
        );
    }
    // The server itself is fine.
    assert_eq!(get(&addr, "/").0, 200);
}

/// A half-sent request and an open tab must not delay stopping.
fn stops_at_once_on(signal: &str) {
    let site = Site::fixture("bilingual");
    let mut server = Server::start(&site);
    let mut half_sent = connect(&server.addr);
    half_sent
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .unwrap();
    let mut events = connect(&server.addr);
    events
        .write_all(b"GET /__nianbao/events HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    // Connections are accepted in order: once this one is answered, the
    // two above are being served.
    assert_eq!(get(&server.addr, "/").0, 200);
    // Well under the 10 s header timeout: stopping must not wait for it.
    server.stop_with(signal, Duration::from_secs(3));
    assert!(
        closed_within(&mut half_sent, Duration::from_secs(5)),
        "the half-sent request's connection outlived the server"
    );
}

#[test]
fn ctrl_c_stops_at_once_with_a_half_sent_request() {
    stops_at_once_on("-INT");
}

#[test]
fn sigterm_stops_at_once_with_a_half_sent_request() {
    stops_at_once_on("-TERM");
}

#[test]
fn connections_over_the_limit_are_refused_and_service_resumes() {
    let site = Site::fixture("bilingual");
    let limit = 4;
    let addr = serve_in_process(
        &site,
        Limits {
            header_read_timeout: Duration::from_secs(60),
            idle_timeout: Duration::from_secs(60),
            max_connections: limit,
        },
    );
    assert_eq!(get(&addr, "/").0, 200);
    // Clients that connect and say nothing hold every slot.
    let held: Vec<TcpStream> = (0..limit).map(|_| connect(&addr)).collect();
    // `connect` returns once the kernel has queued a connection, before the
    // server's accept loop has counted it: give the loop time to take the
    // held ones, or an extra connection could be accepted ahead of them.
    std::thread::sleep(Duration::from_millis(300));
    for _ in 0..3 {
        let mut extra = connect(&addr);
        // The refusal may come before the request is written.
        let _ = extra.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        let mut response = Vec::new();
        match extra.read_to_end(&mut response) {
            Ok(_) => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                panic!("a connection over the limit was left waiting")
            }
            // Reset: refused.
            Err(_) => {}
        }
        let response = String::from_utf8_lossy(&response);
        assert!(
            response.is_empty() || response.starts_with("HTTP/1.1 503"),
            "a connection over the limit was served: {response}"
        );
    }
    drop(held);
    // Once they leave, requests are served again.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let mut stream = connect(&addr);
        // Until the server has seen the held clients leave, it may still
        // refuse this one, even before the request is written.
        let request = b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
        let _ = stream.write_all(request);
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response);
        if response.starts_with(b"HTTP/1.1 200") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "still refused 10 s after the other clients left"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_client_that_stops_reading_is_dropped_after_the_idle_timeout() {
    let site = Site::fixture("bilingual");
    let len = 256 * MIB;
    sparse_file(&site.root().join("content/01-relief/big.bin"), len);
    let addr = serve_in_process(
        &site,
        Limits {
            idle_timeout: Duration::from_secs(1),
            ..Limits::default()
        },
    );
    let mut stream = connect(&addr);
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    send_get(&mut stream, "/relief/big.bin");
    // Socket buffers fill in milliseconds; then nothing moves.
    std::thread::sleep(Duration::from_secs(4));
    let mut received = 0u64;
    let mut buf = vec![0u8; 1 << 20];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => received += n as u64,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                panic!("the stalled connection neither ended nor sent")
            }
            Err(_) => break,
        }
    }
    assert!(
        received < len,
        "the whole file arrived: a stalled client was never dropped"
    );
}

#[test]
fn an_open_tab_outlives_the_idle_timeout_and_still_reloads() {
    let site = Site::fixture("bilingual");
    let addr = serve_in_process(
        &site,
        Limits {
            header_read_timeout: Duration::from_secs(1),
            idle_timeout: Duration::from_secs(1),
            ..Limits::default()
        },
    );
    let mut stream = connect(&addr);
    stream
        .write_all(b"GET /__nianbao/events HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut events = BufReader::new(stream);
    let head = read_head(&mut events);
    assert_eq!(head.status, 200);
    // Several idle timeouts with no change to report.
    std::thread::sleep(Duration::from_secs(3));
    site.write(
        "content/01-relief/01-floods.en.md",
        "---\ntitle: Flood relief\n---\nEdited after a quiet while.\n",
    );
    let mut line = String::new();
    loop {
        line.clear();
        let read = events.read_line(&mut line).unwrap();
        assert!(read > 0, "the event stream was closed");
        if line.starts_with("data: reload") {
            break;
        }
    }
}
