//! Photos (issue 16) on `tests/fixtures/photos`, a fictional bilingual
//! report with three generated photos (`make_photos.py`): a camera JPEG
//! stored sideways with EXIF orientation 6 and GPS tags, a wide JPEG with
//! XMP and a non-sRGB ICC profile, a PNG screenshot, and a photo that is a
//! caption only. No original name, byte or metadata block reaches the
//! site; every photo is a `<picture>` with a WebP source, `srcset`,
//! `sizes` and its size; one copy of each file serves both languages; the
//! whole-report page uses the print variant and every page links the cover
//! photo's 1200×630 preview; a rebuild encodes nothing; a bad photo is an
//! error naming it that leaves the previous output as it was.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::common::{Site, copy_dir, run_with_deadline, snapshot_dir, stderr_of, text_of};

/// The photo files of the fixture, relative to the site root.
const LAMP: &str = "content/01-lights/IMG_2041.jpg";
const DAWN: &str = "content/02-harbour/DSC09913.jpg";
const APP: &str = "content/01-lights/volunteer-app.png";

/// Alt texts, by which the tests find each photo's markup.
const LAMP_ALT: [&str; 2] = [
    "志愿者在码头检查一盏路灯，红色箭头指向上方",
    "A volunteer checks a harbour lamp, a red arrow pointing up",
];
const DAWN_ALT: [&str; 2] = [
    "黎明时分的港口，栈桥上的路灯仍亮着",
    "The harbour at dawn, the pier lamps still lit",
];
const APP_ALT: [&str; 2] = [
    "志愿者应用首页：已检查路灯、志愿者和接船数",
    "The volunteer app home screen: lamps checked, volunteers and boats met",
];

/// Pages by language: zh at the root, en under en/.
const LANGS: [(usize, &str); 2] = [(0, ""), (1, "en/")];

/// Strings from the originals' metadata that must never be published.
const LEAKS: [&[u8]; 8] = [
    b"Exif\0\0",
    b"http://ns.adobe.com/xap",
    b"ICC_PROFILE",
    b"Harbourcam",
    b"HC-1 Fictional",
    b"GPSLatitude",
    b"Harbour Wide RGB",
    b"2024:05:18",
];

const DEADLINE: Duration = Duration::from_secs(300);

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/photos")
}

/// A copy of the fixture, built.
fn built() -> Site {
    let site = Site::fixture("photos");
    let out = run_with_deadline(site.root(), &["build"], DEADLINE);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    site
}

fn source(rel: &str) -> Vec<u8> {
    std::fs::read(fixture().join(rel)).unwrap()
}

// ---- reading the markup ------------------------------------------------------

/// Every `<name …>` start tag of `html`, with its offset.
fn tags<'a>(html: &'a str, name: &str) -> Vec<(usize, &'a str)> {
    let open = format!("<{name}");
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = html[from..].find(&open).map(|i| i + from) {
        let after = html[at + open.len()..].chars().next();
        let end = html[at..].find('>').map_or(html.len(), |i| at + i + 1);
        if matches!(after, Some(c) if c.is_ascii_whitespace() || c == '>' || c == '/') {
            found.push((at, &html[at..end]));
        }
        from = at + open.len();
    }
    found
}

/// The value of attribute `name` in a start tag (entities for `&` decoded).
fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = tag[start..].find('"')? + start;
    Some(tag[start..end].replace("&amp;", "&"))
}

/// One photo's markup on a page: its `<img>` and the `<source>`s of the
/// `<picture>` around it.
struct Shown<'a> {
    img: &'a str,
    sources: Vec<&'a str>,
}

/// The `<img>` with this alt text (exactly one) and its `<picture>`'s sources.
fn shown<'a>(html: &'a str, alt: &str, page: &str) -> Shown<'a> {
    let mut all = shown_all(html, alt);
    assert_eq!(
        all.len(),
        1,
        "{page}: one <img alt=\"{alt}\">, found {}:\n{html}",
        all.len()
    );
    all.remove(0)
}

/// Every `<img>` with this alt text, each with its `<picture>`'s sources.
fn shown_all<'a>(html: &'a str, alt: &str) -> Vec<Shown<'a>> {
    tags(html, "img")
        .into_iter()
        .filter(|(_, t)| attr(t, "alt").as_deref() == Some(alt))
        .map(|(at, img)| {
            let before = &html[..at];
            let sources = match before.rfind("<picture") {
                Some(open) if !before[open..].contains("</picture>") => {
                    tags(&before[open..], "source")
                        .into_iter()
                        .map(|(_, t)| t)
                        .collect()
                }
                _ => Vec::new(),
            };
            Shown { img, sources }
        })
        .collect()
}

/// `srcset` candidates: (URL, width descriptor).
fn srcset(value: &str) -> Vec<(String, u32)> {
    value
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| {
            let (url, w) = c
                .rsplit_once(' ')
                .unwrap_or_else(|| panic!("no descriptor in `{c}`"));
            let w = w
                .strip_suffix('w')
                .and_then(|w| w.parse().ok())
                .unwrap_or_else(|| panic!("not a width descriptor: `{c}`"));
            (url.trim().to_string(), w)
        })
        .collect()
}

/// The part of a URL from `photos/` on, which names the file in the output.
fn photo_path(url: &str) -> String {
    let at = url
        .find("photos/")
        .unwrap_or_else(|| panic!("not a photo URL: {url}"));
    url[at..].to_string()
}

/// The content hash in `photos/<hash>-<variant>.<ext>`.
fn hash_of(url: &str) -> String {
    let path = photo_path(url);
    let name = &path["photos/".len()..];
    name[..name
        .rfind('-')
        .unwrap_or_else(|| panic!("no variant in {url}"))]
        .to_string()
}

/// Every `photos/…` file a page refers to.
fn photo_refs(html: &str) -> BTreeSet<String> {
    let mut refs = BTreeSet::new();
    let mut from = 0;
    while let Some(at) = html[from..].find("photos/").map(|i| i + from) {
        let end = html[at..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || "/._-".contains(c)))
            .map_or(html.len(), |i| at + i);
        let name = &html[at..end];
        if name.contains('.') {
            refs.insert(name.to_string());
        }
        from = end.max(at + 1);
    }
    refs
}

fn dims(path: &Path) -> (u32, u32) {
    image::image_dimensions(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn is_image(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("jpg" | "jpeg" | "webp" | "png" | "gif" | "bmp" | "avif")
    )
}

// ---- reading the files' metadata ---------------------------------------------

/// The segments of a JPEG before its image data: (marker, payload).
fn jpeg_segments(bytes: &[u8]) -> Vec<(u8, &[u8])> {
    assert!(bytes.starts_with(&[0xFF, 0xD8]), "not a JPEG");
    let mut segments = Vec::new();
    let mut at = 2;
    while at + 4 <= bytes.len() {
        assert_eq!(bytes[at], 0xFF, "bad JPEG marker at {at}");
        let marker = bytes[at + 1];
        if marker == 0xFF {
            at += 1;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        segments.push((marker, &bytes[at + 4..(at + 2 + len).min(bytes.len())]));
        if marker == 0xDA {
            break; // start of scan: image data follows
        }
        at += 2 + len;
    }
    segments
}

/// The chunk kinds of a RIFF (WebP) or PNG file.
fn chunks(bytes: &[u8]) -> Vec<[u8; 4]> {
    let mut kinds = Vec::new();
    if bytes.starts_with(b"RIFF") {
        assert_eq!(&bytes[8..12], b"WEBP");
        let mut at = 12;
        while at + 8 <= bytes.len() {
            kinds.push(bytes[at..at + 4].try_into().unwrap());
            let len = u32::from_le_bytes(bytes[at + 4..at + 8].try_into().unwrap()) as usize;
            at += 8 + len + (len & 1);
        }
    } else {
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
        let mut at = 8;
        while at + 8 <= bytes.len() {
            let len = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
            kinds.push(bytes[at + 4..at + 8].try_into().unwrap());
            at += 12 + len;
        }
    }
    kinds
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

// ---- the published site -----------------------------------------------------

/// One build of the fixture, read by each check below in turn (photo
/// encoding is the slow part: one build, not one per check).
#[test]
fn the_published_site() {
    let site = built();
    no_original_name_or_bytes_reach_the_site(&site);
    published_photos_carry_no_metadata(&site);
    the_sideways_photo_stands_up(&site);
    every_photo_is_a_picture_with_srcset_sizes_and_its_size(&site);
    no_published_photo_is_larger_than_its_original(&site);
    one_copy_of_each_file_serves_both_languages(&site);
    the_cover_shows_the_cover_photo_first_and_the_gallery_lazily(&site);
    the_whole_report_page_uses_the_print_variant(&site);
    every_page_previews_with_the_cover_photo(&site);
    captions_and_credits_in_every_language(&site);
}

#[test]
fn the_fixture_passes_check_strict() {
    let site = Site::fixture("photos");
    let out = site.run(&["check", "--strict"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
}

fn no_original_name_or_bytes_reach_the_site(site: &Site) {
    let originals: Vec<Vec<u8>> = [LAMP, DAWN, APP].iter().map(|p| source(p)).collect();
    let files = snapshot_dir(&site.output());
    let mut images = 0;
    for (rel, bytes) in &files {
        let name = rel.to_string_lossy();
        for stem in ["IMG_2041", "DSC09913", "volunteer-app"] {
            assert!(
                !name.contains(stem),
                "{name}: an original's name is published"
            );
        }
        assert!(
            !originals.iter().any(|o| o == bytes),
            "{name} is an original, byte for byte"
        );
        if name.ends_with(".html") {
            let html = String::from_utf8_lossy(bytes);
            for original in ["IMG_2041.jpg", "DSC09913.jpg", "volunteer-app.png"] {
                assert!(!html.contains(original), "{name} names {original}");
            }
        }
        images += usize::from(is_image(rel));
    }
    assert!(images >= 6, "only {images} images published");
}

fn published_photos_carry_no_metadata(site: &Site) {
    let mut seen = [0; 3]; // jpeg, webp, png
    for (rel, bytes) in snapshot_dir(&site.output()) {
        let name = rel.to_string_lossy().into_owned();
        let ext = rel.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !matches!(ext, "jpg" | "jpeg" | "webp" | "png") {
            continue;
        }
        for leak in LEAKS {
            assert!(
                !contains(&bytes, leak),
                "{name} holds {:?}",
                String::from_utf8_lossy(leak)
            );
        }
        match ext {
            "jpg" | "jpeg" => {
                seen[0] += 1;
                for (marker, payload) in jpeg_segments(&bytes) {
                    // APP1: EXIF or XMP; APP2: ICC; APP13: IPTC.
                    assert!(
                        !matches!(marker, 0xE1 | 0xE2 | 0xED),
                        "{name} has an APP{} segment {:?}",
                        marker - 0xE0,
                        String::from_utf8_lossy(&payload[..payload.len().min(30)])
                    );
                }
            }
            "webp" => {
                seen[1] += 1;
                for kind in chunks(&bytes) {
                    assert!(
                        !matches!(&kind, b"EXIF" | b"XMP " | b"ICCP"),
                        "{name} has a {} chunk",
                        String::from_utf8_lossy(&kind)
                    );
                }
            }
            _ => {
                seen[2] += 1;
                for kind in chunks(&bytes) {
                    assert!(
                        !matches!(
                            &kind,
                            b"eXIf" | b"iCCP" | b"iTXt" | b"tEXt" | b"zTXt" | b"tIME"
                        ),
                        "{name} has a {} chunk",
                        String::from_utf8_lossy(&kind)
                    );
                }
            }
        }
    }
    assert!(
        seen.iter().all(|&n| n > 0),
        "JPEG, WebP, PNG files: {seen:?}"
    );
}

fn the_sideways_photo_stands_up(site: &Site) {
    for (i, prefix) in LANGS {
        let page = format!("{prefix}lights/index.html");
        let html = site.read(&page);
        let lamp = shown(&html, LAMP_ALT[i], &page);
        let w: u32 = attr(lamp.img, "width").unwrap().parse().unwrap();
        let h: u32 = attr(lamp.img, "height").unwrap().parse().unwrap();
        assert!(w < h, "{page}: {w}×{h} is not portrait: {}", lamp.img);
        assert!(w <= 1200 && w * 4 == h * 3, "{page}: {w}×{h}");
        for (url, width) in srcset(&attr(lamp.img, "srcset").unwrap()) {
            let (fw, fh) = dims(&site.output().join(photo_path(&url)));
            assert_eq!(fw, width, "{url}: width descriptor {width}, file {fw}");
            assert!(fw < fh && fw <= 1200, "{url}: {fw}×{fh}");
        }
        // The picture itself: the arrow at the top, the green square top
        // left, the yellow band at the bottom (as make_photos.py drew it).
        let src = site
            .output()
            .join(photo_path(&attr(lamp.img, "src").unwrap()));
        let img = image::open(&src).unwrap().to_rgb8();
        let at = |x: f64, y: f64| {
            let p = img.get_pixel(
                (x * f64::from(img.width())) as u32,
                (y * f64::from(img.height())) as u32,
            );
            (i32::from(p[0]), i32::from(p[1]), i32::from(p[2]))
        };
        let (r, g, b) = at(0.5, 0.31);
        assert!(
            r > 150 && g < 100 && b < 100,
            "{src:?}: no red arrow at the top: {r},{g},{b}"
        );
        let (r, g, b) = at(0.1, 0.075);
        assert!(
            g > 130 && r < 100 && b < 110,
            "{src:?}: no green square top left: {r},{g},{b}"
        );
        let (r, g, b) = at(0.5, 0.95);
        assert!(
            r > 180 && g > 150 && b < 100,
            "{src:?}: no yellow band at the bottom: {r},{g},{b}"
        );
    }
}

fn every_photo_is_a_picture_with_srcset_sizes_and_its_size(site: &Site) {
    let out = site.output();
    // (alt texts, page, original width as displayed, a camera photo)
    let photos = [
        (LAMP_ALT, "lights/index.html", 1200, true),
        (APP_ALT, "lights/index.html", 900, false),
        (DAWN_ALT, "harbour/index.html", 2400, true),
    ];
    for (alts, page, original, camera) in photos {
        for (i, prefix) in LANGS {
            let page = format!("{prefix}{page}");
            let html = site.read(&page);
            let photo = shown(&html, alts[i], &page);
            let img = photo.img;
            for (key, value) in [("loading", "lazy"), ("decoding", "async")] {
                assert_eq!(attr(img, key).as_deref(), Some(value), "{page}: {img}");
            }
            let w: u32 = attr(img, "width").expect("width=").parse().unwrap();
            let h: u32 = attr(img, "height").expect("height=").parse().unwrap();
            assert!(w > 0 && h > 0 && w <= original, "{page}: {w}×{h}: {img}");
            assert!(
                attr(img, "sizes").is_some_and(|s| !s.is_empty()),
                "{page}: no sizes: {img}"
            );
            let src = attr(img, "src").unwrap();
            assert!(
                out.join(photo_path(&src)).is_file(),
                "{page}: {src} missing"
            );
            let mut candidates = srcset(&attr(img, "srcset").expect("srcset="));
            if camera {
                let webp: Vec<_> = photo
                    .sources
                    .iter()
                    .filter(|s| attr(s, "type").as_deref() == Some("image/webp"))
                    .collect();
                assert_eq!(
                    webp.len(),
                    1,
                    "{page}: one WebP <source> for {}: {:?}",
                    alts[i],
                    photo.sources
                );
                assert!(attr(webp[0], "sizes").is_some(), "{page}: {}", webp[0]);
                let from_webp = srcset(&attr(webp[0], "srcset").unwrap());
                assert!(
                    from_webp.iter().all(|(u, _)| u.ends_with(".webp")),
                    "{from_webp:?}"
                );
                let jpeg = candidates.clone();
                assert!(jpeg.iter().all(|(u, _)| u.ends_with(".jpg")), "{jpeg:?}");
                assert_eq!(
                    from_webp.iter().map(|c| c.1).collect::<Vec<_>>(),
                    jpeg.iter().map(|c| c.1).collect::<Vec<_>>(),
                    "{page}: the WebP and JPEG widths differ"
                );
                candidates.extend(from_webp);
            } else {
                assert!(
                    candidates.iter().all(|(u, _)| u.ends_with(".png")),
                    "PNG stays PNG: {candidates:?}"
                );
            }
            let widths: BTreeSet<u32> = candidates.iter().map(|c| c.1).collect();
            if original > 2048 {
                assert!(widths.len() >= 3, "{page}: widths {widths:?}");
            }
            for (url, width) in &candidates {
                assert!(
                    *width <= original,
                    "{page}: {url} is {width} wide, the original {original}"
                );
                let (fw, fh) = dims(&out.join(photo_path(url)));
                assert_eq!(fw, *width, "{url}");
                // The aspect ratio of the markup, to a pixel.
                assert!(
                    (i64::from(fh) * i64::from(w) - i64::from(fw) * i64::from(h)).abs()
                        <= i64::from(w),
                    "{url}: {fw}×{fh} against {w}×{h}"
                );
            }
        }
    }
}

fn no_published_photo_is_larger_than_its_original(site: &Site) {
    let out = site.output();
    let html = site.read("en/lights/index.html");
    let dawn = site.read("en/harbour/index.html");
    let limits = [
        (
            hash_of(&attr(shown(&html, LAMP_ALT[1], "lamp").img, "src").unwrap()),
            (1200, 1600),
        ),
        (
            hash_of(&attr(shown(&html, APP_ALT[1], "app").img, "src").unwrap()),
            (900, 600),
        ),
        (
            hash_of(&attr(shown(&dawn, DAWN_ALT[1], "dawn").img, "src").unwrap()),
            (2400, 1600),
        ),
    ];
    let mut files = 0;
    for entry in std::fs::read_dir(out.join("photos")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let (_, (mw, mh)) = limits
            .iter()
            .find(|(hash, _)| name.starts_with(&format!("{hash}-")))
            .unwrap_or_else(|| panic!("photos/{name}: of no photo of the report"));
        let (w, h) = dims(&path);
        if name.ends_with("-og.jpg") {
            assert_eq!((w, h), (1200, 630), "{name}");
        } else {
            assert!(
                w <= *mw && h <= *mh,
                "{name}: {w}×{h}, the original {mw}×{mh}"
            );
        }
        files += 1;
    }
    assert!(files >= 8, "{files} files in photos/");
}

fn one_copy_of_each_file_serves_both_languages(site: &Site) {
    let out = site.output();
    for page in [
        "index.html",
        "lights/index.html",
        "harbour/index.html",
        "print/index.html",
    ] {
        let zh = photo_refs(&site.read(page));
        let en = photo_refs(&site.read(&format!("en/{page}")));
        assert!(!zh.is_empty(), "{page}: no photos");
        assert_eq!(zh, en, "{page}: zh and en refer to different files");
        for file in &zh {
            assert!(out.join(file).is_file(), "{page}: {file} missing");
        }
    }
    // Every image is in photos/ at the site root, once.
    let mut seen = BTreeSet::new();
    for (rel, bytes) in snapshot_dir(&out) {
        if is_image(&rel) {
            assert!(
                rel.starts_with("photos"),
                "{} is outside photos/",
                rel.display()
            );
            assert!(seen.insert(bytes), "{} is a second copy", rel.display());
        }
    }
    assert!(!out.join("en/photos").exists());
}

fn the_cover_shows_the_cover_photo_first_and_the_gallery_lazily(site: &Site) {
    for (i, prefix) in LANGS {
        let page = format!("{prefix}index.html");
        let html = site.read(&page);
        let cover = shown(&html, DAWN_ALT[i], &page);
        assert_ne!(
            attr(cover.img, "loading").as_deref(),
            Some("lazy"),
            "{page}: {}",
            cover.img
        );
        assert!(attr(cover.img, "srcset").is_some(), "{page}: {}", cover.img);
        let cover_at = html.find(cover.img).unwrap();
        for alt in [LAMP_ALT[i], APP_ALT[i]] {
            let photo = shown(&html, alt, &page);
            assert_eq!(
                attr(photo.img, "loading").as_deref(),
                Some("lazy"),
                "{page}: {}",
                photo.img
            );
            assert!(
                html.find(photo.img).unwrap() > cover_at,
                "{page}: the gallery comes before the cover photo"
            );
        }
    }
}

fn the_whole_report_page_uses_the_print_variant(site: &Site) {
    for (i, prefix) in LANGS {
        let page = format!("{prefix}print/index.html");
        let html = site.read(&page);
        // The cover photo may be on the page twice (cover and chapter).
        let photos = [(LAMP_ALT[i], (1200, 1600)), (DAWN_ALT[i], (2400, 1600))]
            .into_iter()
            .flat_map(|(alt, max)| {
                let all = shown_all(&html, alt);
                assert!(!all.is_empty(), "{page}: no <img alt=\"{alt}\">");
                all.into_iter().map(move |photo| (photo, max))
            });
        for (photo, (max_w, max_h)) in photos {
            let src = attr(photo.img, "src").unwrap();
            assert!(src.ends_with("-print.jpg"), "{page}: {}", photo.img);
            let (w, h) = dims(&site.output().join(photo_path(&src)));
            assert!(w <= max_w && h <= max_h, "{src}: {w}×{h}");
            assert!(w.max(h) >= 1600, "{src}: {w}×{h} is too small to print");
            // No smaller candidate for the printer to pick.
            for tag in std::iter::once(photo.img).chain(photo.sources.iter().copied()) {
                if let Some(set) = attr(tag, "srcset") {
                    assert!(
                        srcset(&set).iter().all(|(u, _)| u.contains("-print.")),
                        "{page}: {tag}"
                    );
                }
            }
        }
    }
}

fn every_page_previews_with_the_cover_photo(site: &Site) {
    let mut og_files = BTreeSet::new();
    for page in [
        "index.html",
        "en/index.html",
        "lights/index.html",
        "en/lights/index.html",
        "harbour/index.html",
        "en/harbour/index.html",
        "print/index.html",
        "en/print/index.html",
    ] {
        let html = site.read(page);
        let og: Vec<_> = tags(&html, "meta")
            .into_iter()
            .filter(|(_, t)| attr(t, "property").as_deref() == Some("og:image"))
            .map(|(_, t)| attr(t, "content").unwrap())
            .collect();
        assert_eq!(og.len(), 1, "{page}: og:image {og:?}");
        assert!(og[0].ends_with("-og.jpg"), "{page}: {}", og[0]);
        og_files.insert(photo_path(&og[0]));
    }
    assert_eq!(og_files.len(), 1, "{og_files:?}");
    let og = site.output().join(og_files.first().unwrap());
    assert_eq!(dims(&og), (1200, 630));
    assert!(
        std::fs::read(&og).unwrap().starts_with(&[0xFF, 0xD8]),
        "not a JPEG"
    );
}

fn captions_and_credits_in_every_language(site: &Site) {
    let expect = [
        (
            "lights/index.html",
            vec![
                "志愿者夜间巡查码头路灯",
                "摄影：李安（虚构）",
                "志愿者应用上线第一个月",
                "旧船屋：第一盏灯在这里点亮（没有留下照片）",
                "据基金会档案",
            ],
            vec![
                "Volunteers check the harbour lamps at night",
                "Photo: An Li (fictional)",
                "The volunteer app in its first month",
                "The old boathouse, where the first lamp was lit (no photograph survives)",
                "From the foundation archive",
            ],
        ),
        (
            "harbour/index.html",
            vec!["黎明前的最后一轮巡查", "Photo: Mei Chan (fictional)"],
            vec!["The last round before dawn", "Photo: Mei Chan (fictional)"],
        ),
    ];
    for (page, zh, en) in expect {
        for (prefix, texts) in [("", zh), ("en/", en)] {
            let page = format!("{prefix}{page}");
            let html = site.read(&page);
            let captions: String = html
                .split("<figcaption")
                .skip(1)
                .map(|c| {
                    text_of(&format!(
                        "<figcaption{}",
                        &c[..c.find("</figcaption>").unwrap_or(c.len())]
                    ))
                })
                .collect::<Vec<_>>()
                .join("\n");
            for text in texts {
                assert!(
                    captions.contains(text),
                    "{page}: no figcaption with `{text}` in:\n{captions}"
                );
            }
            assert!(
                html.contains(r#"class="photo-credit""#),
                "{page}: no credit"
            );
        }
    }
    // The photo still to come is a figure with its caption and no image.
    let html = site.read("en/lights/index.html");
    let at = html
        .find("The old boathouse, where the first lamp")
        .unwrap();
    let figure = html[..at].rfind("<figure").unwrap();
    assert!(!html[figure..at].contains("<img"), "{}", &html[figure..at]);
}

#[test]
fn an_unchanged_rebuild_encodes_nothing_and_the_cache_can_be_deleted() {
    let site = built();
    let root = site.root();
    assert!(
        root.join(".nianbao-cache/photos").is_dir(),
        "no cache folder"
    );
    let photos = snapshot_dir(&site.output().join("photos"));
    let again = run_with_deadline(root, &["build"], DEADLINE);
    let err = stderr_of(&again);
    assert_eq!(again.status.code(), Some(0), "{err}");
    let (n, encoded, cached) = summary(&err);
    assert!(n > 0 && encoded == 0 && cached == n, "{err}");
    assert!(
        err.contains(&format!("(0 encoded, {n} from cache)")),
        "{err}"
    );
    assert_eq!(photos, snapshot_dir(&site.output().join("photos")));

    std::fs::remove_dir_all(root.join(".nianbao-cache")).unwrap();
    let fresh = run_with_deadline(root, &["build"], DEADLINE);
    let err = stderr_of(&fresh);
    assert_eq!(fresh.status.code(), Some(0), "{err}");
    let (n2, encoded, cached) = summary(&err);
    assert!(n2 == n && encoded == n && cached == 0, "{err}");
    assert!(
        photos == snapshot_dir(&site.output().join("photos")),
        "encoding again made other bytes"
    );
}

/// `photos: N (E encoded, C from cache)` from a build's summary.
fn summary(stderr: &str) -> (u64, u64, u64) {
    let at = stderr
        .rfind("photos: ")
        .unwrap_or_else(|| panic!("no photo summary: {stderr}"));
    let numbers: Vec<u64> = stderr[at..]
        .lines()
        .next()
        .unwrap()
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .take(3)
        .map(|s| s.parse().unwrap())
        .collect();
    assert_eq!(numbers.len(), 3, "{stderr}");
    (numbers[0], numbers[1], numbers[2])
}

// ---- bad photos ---------------------------------------------------------------

/// Pseudo-random bytes (a fixed LCG): not an image of any kind.
fn noise(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x2024_0516;
    (0..len)
        .map(|_| {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (x >> 56) as u8
        })
        .collect()
}

fn bad(name: &str) -> Vec<u8> {
    std::fs::read(fixture().join("bad").join(name)).unwrap()
}

/// Points the lamp photo's `file:` at another name.
fn rename_lamp(root: &Path, to: &str) {
    let metrics = root.join("content/01-lights/metrics.yaml");
    let text = std::fs::read_to_string(&metrics).unwrap();
    let changed = text.replace("file: IMG_2041.jpg", &format!("file: {to}"));
    assert_ne!(text, changed);
    std::fs::write(metrics, changed).unwrap();
}

#[test]
fn a_bad_photo_is_an_error_naming_it_and_the_output_stays() {
    let base = built();
    let lamp = source(LAMP);
    let mut huge = source(DAWN);
    huge.resize(65 * 1024 * 1024, 0);
    type Breaks = Box<dyn Fn(&Path)>;
    let cases: Vec<(&str, &str, Breaks)> = vec![
        ("truncated JPEG", "IMG_2041.jpg", {
            let cut = lamp[..lamp.len() * 3 / 5].to_vec();
            Box::new(move |root: &Path| std::fs::write(root.join(LAMP), &cut).unwrap())
        }),
        (
            "random bytes",
            "IMG_2041.jpg",
            Box::new(|root: &Path| std::fs::write(root.join(LAMP), noise(50_000)).unwrap()),
        ),
        (
            "GIF",
            "IMG_2041.gif",
            Box::new(|root: &Path| {
                std::fs::write(root.join("content/01-lights/IMG_2041.gif"), bad("tiny.gif"))
                    .unwrap();
                rename_lamp(root, "IMG_2041.gif");
            }),
        ),
        (
            "BMP",
            "IMG_2041.bmp",
            Box::new(|root: &Path| {
                std::fs::write(root.join("content/01-lights/IMG_2041.bmp"), bad("tiny.bmp"))
                    .unwrap();
                rename_lamp(root, "IMG_2041.bmp");
            }),
        ),
        (
            "30000×30000 PNG",
            "volunteer-app.png",
            Box::new(|root: &Path| std::fs::write(root.join(APP), bad("bomb.png")).unwrap()),
        ),
        (
            "65 MB",
            "DSC09913.jpg",
            Box::new(move |root: &Path| std::fs::write(root.join(DAWN), &huge).unwrap()),
        ),
    ];
    for (what, name, break_it) in cases {
        let site = tempfile::tempdir().unwrap();
        copy_dir(base.root(), site.path());
        let output = site.path().join("output");
        let before = snapshot_dir(&output);
        break_it(site.path());
        let out = run_with_deadline(site.path(), &["build"], DEADLINE);
        let err = stderr_of(&out);
        assert_eq!(out.status.code(), Some(1), "{what}: build:\n{err}");
        assert!(!err.contains("panicked"), "{what}:\n{err}");
        assert!(
            err.contains(name),
            "{what}: the message does not name {name}:\n{err}"
        );
        assert!(
            before == snapshot_dir(&output),
            "{what}: the previous output changed"
        );
        let check = run_with_deadline(site.path(), &["check"], DEADLINE);
        assert_eq!(
            check.status.code(),
            Some(1),
            "{what}: check:\n{}",
            stderr_of(&check)
        );
    }
}

// ---- check ------------------------------------------------------------------

fn append(site: &Site, rel: &str, text: &str) -> String {
    let path = site.root().join(rel);
    let mut all = std::fs::read_to_string(&path).unwrap();
    all.push_str(text);
    std::fs::write(path, &all).unwrap();
    all
}

fn replace(site: &Site, rel: &str, from: &str, to: &str) {
    let path = site.root().join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    let changed = text.replace(from, to);
    assert_ne!(text, changed, "{rel}: no `{from}`");
    std::fs::write(path, changed).unwrap();
}

#[test]
fn a_photo_never_placed_is_a_warning() {
    let site = Site::fixture("photos");
    std::fs::copy(
        site.root().join(LAMP),
        site.root().join("content/01-lights/spare.jpg"),
    )
    .unwrap();
    append(
        &site,
        "content/01-lights/metrics.yaml",
        "  - id: spare_lamp\n    file: spare.jpg\n    alt: { zh: \"备用照片\", en: \"A spare photo\" }\n",
    );
    let out = site.run(&["check"]);
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(0), "a warning only:\n{err}");
    let warning = err
        .split("\n\n")
        .find(|block| block.contains("spare_lamp"))
        .unwrap_or_else(|| panic!("nothing about spare_lamp:\n{err}"));
    assert!(warning.starts_with("warning"), "{warning}");
    assert!(
        warning.contains("content/01-lights/metrics.yaml:"),
        "{warning}"
    );
    assert_eq!(site.run(&["check", "--strict"]).status.code(), Some(1));
}

#[test]
fn a_photo_that_is_not_declared_is_an_error_where_it_is_placed() {
    let site = Site::fixture("photos");
    let page = "content/01-lights/01-lamps.en.md";
    let text = append(&site, page, "\n![](photo:nope)\n");
    let line = text.lines().position(|l| l.contains("photo:nope")).unwrap() + 1;
    let out = site.run(&["check"]);
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("nope"), "{err}");
    let at = format!("{page}:{line}:");
    let col = err
        .find(&at)
        .map(|i| &err[i + at.len()..])
        .unwrap_or_else(|| panic!("no {at}<col> in:\n{err}"));
    assert!(
        col.starts_with(|c: char| c.is_ascii_digit()),
        "no column: {err}"
    );
}

#[test]
fn a_missing_photo_file_is_an_error() {
    let site = Site::fixture("photos");
    replace(
        &site,
        "content/01-lights/metrics.yaml",
        "file: IMG_2041.jpg",
        "file: IMG_9999.jpg",
    );
    let out = site.run(&["check"]);
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("IMG_9999.jpg"), "{err}");
    assert!(err.contains("content/01-lights/metrics.yaml:"), "{err}");
}

#[test]
fn a_photo_without_alt_in_a_language_is_an_error() {
    let site = Site::fixture("photos");
    replace(
        &site,
        "content/01-lights/metrics.yaml",
        "alt: { zh: \"志愿者在码头检查一盏路灯，红色箭头指向上方\", en: \"A volunteer checks a harbour lamp, a red arrow pointing up\" }",
        "alt: { zh: \"志愿者在码头检查一盏路灯，红色箭头指向上方\" }",
    );
    let out = site.run(&["check"]);
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("alt"), "{err}");
    assert!(err.contains("content/01-lights/metrics.yaml:"), "{err}");
}

/// An SVG beside a chapter is published byte for byte, with its declared
/// size; one that could run script (it is served from the site's origin)
/// is an error naming it.
#[test]
fn an_svg_drawing_is_published_as_it_is_and_a_scripted_one_refused() {
    let site = Site::fixture("bilingual");
    let drawing = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"300\" height=\"100\"><rect width=\"300\" height=\"100\" fill=\"#0b6e4f\"/></svg>";
    site.write("content/01-relief/map.svg", drawing);
    let section = "content/01-relief/01-floods.en.md";
    let text = std::fs::read_to_string(site.root().join(section)).unwrap();
    site.write(
        section,
        &format!("{text}\n![A map of the districts](map.svg \"Where we worked\")\n"),
    );
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let page = site.read("en/relief/index.html");
    let img = tags(&page, "img")
        .into_iter()
        .map(|(_, t)| t)
        .find(|t| t.contains("A map of the districts"))
        .expect("the drawing's <img>");
    let src = attr(img, "src").expect("src");
    assert!(src.ends_with(".svg"), "{src}");
    assert_eq!(attr(img, "width").as_deref(), Some("300"));
    assert_eq!(attr(img, "height").as_deref(), Some("100"));
    let published = site.root().join("output").join(photo_path(&src));
    assert_eq!(std::fs::read_to_string(published).unwrap(), drawing);
    assert!(
        page.contains("<figcaption>Where we worked</figcaption>"),
        "{page}"
    );

    let before = snapshot_dir(&site.root().join("output"));
    site.write(
        "content/01-relief/map.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>",
    );
    let out = site.run(&["build"]);
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("content/01-relief/map.svg") && err.contains("onload"),
        "{err}"
    );
    assert_eq!(
        before,
        snapshot_dir(&site.root().join("output")),
        "output untouched"
    );
}
