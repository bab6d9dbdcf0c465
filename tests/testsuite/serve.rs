//! `nianbao serve` end to end: a real server on an ephemeral loopback port.

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::Site;
use crate::common::serve::Server;

fn wait_for_reload(events: &mut BufReader<TcpStream>) {
    let mut line = String::new();
    loop {
        line.clear();
        assert!(
            events.read_line(&mut line).unwrap() > 0,
            "event stream closed"
        );
        if line.starts_with("data: reload") {
            return;
        }
    }
}

fn eventually(server: &Server, path: &str, what: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (_, body) = server.get(path);
        if what(&body) {
            return body;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting on {path}; last body:\n{body}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serves_both_languages_with_reload_script_and_never_writes_output() {
    let site = Site::fixture("english-default");
    let server = Server::start(&site);
    let (status, home) = server.get("/");
    assert_eq!(status, 200);
    assert!(home.contains("<html lang=\"en\">"));
    assert!(home.contains("/__nianbao/events"), "reload script injected");
    assert!(
        home.contains("href=\"/"),
        "served at / even though base_url has a sub-path"
    );
    let (status, zh) = server.get("/zh/relief/");
    assert_eq!(status, 200);
    assert!(zh.contains("<html lang=\"zh-Hans\">"));
    let (status, svg) = server.get("/charts/fund_use.zh.svg");
    assert_eq!(status, 200);
    assert!(svg.contains("<svg"));
    assert_eq!(server.get("/assets/logo.txt").0, 200);
    assert_eq!(server.get("/zh/relief").0, 301);
    assert_eq!(server.get("/nope/").0, 404);
    assert!(!site.output().exists(), "serve must not write output/");
}

#[test]
fn an_edit_reloads_the_tab_and_appears() {
    let site = Site::fixture("bilingual");
    let server = Server::start(&site);
    let mut events = server.events();
    site.write(
        "content/01-relief/01-floods.en.md",
        "---\ntitle: Flood relief\n---\nA freshly edited sentence.\n",
    );
    wait_for_reload(&mut events);
    eventually(&server, "/en/relief/", |b| {
        b.contains("A freshly edited sentence.")
    });
    // The whole-report page holds the section too, and is re-rendered with it.
    let (status, whole) = server.get("/en/print/");
    assert_eq!(status, 200);
    assert!(whole.contains("A freshly edited sentence."), "{whole}");
    // A metric edit shows in both languages.
    let metrics =
        std::fs::read_to_string(site.root().join("content/01-relief/metrics.yaml")).unwrap();
    site.write(
        "content/01-relief/metrics.yaml",
        &metrics.replace("value: 2528", "value: 2600"),
    );
    wait_for_reload(&mut events);
    eventually(&server, "/relief/", |b| b.contains("2600户"));
    eventually(&server, "/en/relief/", |b| b.contains("2,600 households"));
}

#[test]
fn a_broken_edit_shows_an_overlay_and_recovers() {
    let site = Site::fixture("bilingual");
    let server = Server::start(&site);
    let good =
        std::fs::read_to_string(site.root().join("content/01-relief/01-floods.en.md")).unwrap();
    let mut events = server.events();
    site.write(
        "content/01-relief/01-floods.en.md",
        &good.replace("{{ metric:kits }}", "{{ metric:kitz }}"),
    );
    wait_for_reload(&mut events);
    let page = eventually(&server, "/en/relief/", |b| b.contains("nianbao-overlay"));
    assert!(
        page.contains("content/01-relief/01-floods.en.md:4:40: unknown metric `kitz`"),
        "{page}"
    );
    assert!(
        page.contains("over 3,000 tents and kits"),
        "the last good build is still shown"
    );
    site.write("content/01-relief/01-floods.en.md", &good);
    wait_for_reload(&mut events);
    eventually(&server, "/en/relief/", |b| !b.contains("nianbao-overlay"));
}

#[test]
fn paths_outside_the_site_are_404() {
    let site = Site::fixture("bilingual");
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc/passwd", site.root().join("content/assets/passwd")).unwrap();
    let server = Server::start(&site);
    // The link leaves the report: the build fails and serve shows why on
    // every page, never the file.
    let (_, body) = server.get("/assets/passwd");
    assert!(body.contains("outside the report folder"), "{body}");
    std::fs::remove_file(site.root().join("content/assets/passwd")).unwrap();
    eventually(&server, "/", |b| !b.contains("nianbao-overlay"));
    for path in [
        "/../content/report.yaml",
        "/%2e%2e/content/report.yaml",
        "/assets/..%2f..%2fcontent%2freport.yaml",
        "/assets/%2E%2E/%2E%2E/etc/passwd",
        "//etc/passwd",
        "/assets/passwd",
        "/content/report.yaml",
        "/.nianbao-output",
    ] {
        let (status, body) = server.get(path);
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("root:"), "{path} leaked a file");
    }
}

#[test]
fn a_taken_port_is_said_clearly() {
    let site = Site::fixture("bilingual");
    let blocker = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = blocker.local_addr().unwrap().port().to_string();
    let mut child = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["serve", "--port", &port, "--root"])
        .arg(site.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let _ = child.kill();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("port {port} is taken; using")),
        "{stderr}"
    );
    assert!(line.starts_with("serving at http://127.0.0.1:"), "{line}");
    assert!(!line.contains(&format!(":{port}/")));
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_server_even_with_a_tab_open() {
    let site = Site::fixture("bilingual");
    let mut server = Server::start(&site);
    let _events = server.events();
    server.stop_with("-INT", Duration::from_secs(5));
}

#[test]
fn chapter_titles_and_templates_rebuild_every_page() {
    let site = Site::fixture("bilingual");
    let server = Server::start(&site);
    let mut events = server.events();
    // A section edit re-renders only its chapter; the other pages stay served.
    site.write(
        "content/02-outreach/01-volunteers.en.md",
        "---\ntitle: Volunteering\n---\nQuick edit.\n",
    );
    wait_for_reload(&mut events);
    eventually(&server, "/en/outreach/", |b| b.contains("Quick edit."));
    assert_eq!(server.get("/en/relief/").0, 200);
    // A chapter title appears in the navigation of other pages.
    site.write(
        "content/02-outreach/_index.en.md",
        "---\ntitle: Renamed chapter\n---\n",
    );
    wait_for_reload(&mut events);
    eventually(&server, "/en/relief/", |b| b.contains("Renamed chapter"));
    // A template edit changes every page.
    let footer = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("themes/default/templates/partials/footer.html"),
    )
    .unwrap();
    site.write(
        "themes/default/templates/partials/footer.html",
        &footer.replace("</footer>", "<p>theme-edit-marker</p></footer>"),
    );
    wait_for_reload(&mut events);
    eventually(&server, "/en/outreach/", |b| {
        b.contains("theme-edit-marker")
    });
    eventually(&server, "/", |b| b.contains("theme-edit-marker"));
}

#[test]
#[cfg(unix)]
fn a_link_to_the_whole_machine_is_neither_watched_nor_served() {
    let site = Site::fixture("bilingual");
    std::os::unix::fs::symlink("/", site.root().join("content/assets/root")).unwrap();
    let server = Server::start(&site);
    // Watching through the link would walk the whole file system first.
    let (_, body) = server.get("/");
    assert!(body.contains("outside the report folder"), "{body}");
    let (_, body) = server.get("/assets/root/etc/passwd");
    assert!(!body.contains("root:x:0:0"), "{body}");
}
