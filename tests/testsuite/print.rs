//! The whole-report page (`print/`, `en/print/`) and `build --pdf`.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::common::{Site, snapshot_dir, stderr_of};

/// Every `id="…"` of a page, with how often it occurs.
fn ids(html: &str) -> BTreeMap<String, usize> {
    let mut ids = BTreeMap::new();
    for part in html.split(" id=\"").skip(1) {
        let id = part.split('"').next().unwrap().to_string();
        *ids.entry(id).or_insert(0) += 1;
    }
    ids
}

/// Every in-page link target (`href="#…"`).
fn fragments(html: &str) -> Vec<String> {
    html.split("href=\"#")
        .skip(1)
        .map(|p| p.split('"').next().unwrap().to_string())
        .collect()
}

fn assert_ids_unique_and_anchors_resolve(html: &str, page: &str) {
    let ids = ids(html);
    let duplicates: Vec<_> = ids.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        duplicates.is_empty(),
        "{page}: duplicate ids {duplicates:?}"
    );
    for fragment in fragments(html) {
        assert!(
            ids.contains_key(&fragment),
            "{page}: href=\"#{fragment}\" has no target"
        );
    }
}

#[test]
fn the_whole_report_page_holds_every_chapter_in_each_language() {
    let site = Site::fixture("bilingual");
    site.build();
    let zh = site.read("print/index.html");
    let en = site.read("en/print/index.html");
    for (page, html) in [("print/", &zh), ("en/print/", &en)] {
        assert_eq!(html.matches("<h1").count(), 1, "{page}: one h1");
        assert_ids_unique_and_anchors_resolve(html, page);
        // The contents link to each chapter, which starts with an h2.
        for slug in ["relief", "outreach"] {
            assert!(html.contains(&format!("href=\"#{slug}\"")), "{page}");
            assert!(
                html.contains(&format!(
                    "<article class=\"chapter print-chapter\" id=\"{slug}\""
                )),
                "{page}"
            );
            assert!(html.contains(&format!("<h2 class=\"chapter-title\" id=\"{slug}-title\">")));
        }
        // Sections are h3, their headings h4; charts and data tables come along.
        assert!(html.contains("<h3 id=\"floods\">"), "{page}");
        assert!(html.contains("<h4 id=\"spending\">"), "{page}");
        assert!(html.contains("<figure class=\"chart-figure\""), "{page}");
        assert!(html.contains("class=\"data-table\""), "{page}");
        assert!(
            html.contains("class=\"cards\""),
            "{page}: the highlight cards"
        );
        // Links point out of print/ correctly; no PDF without --pdf.
        assert!(
            html.contains("href=\"../relief/\""),
            "{page}: footer chapter links"
        );
        assert!(!html.contains("report.pdf"), "{page}");
    }
    assert!(en.contains("<html lang=\"en\">"));
    assert!(en.contains("First-aid training"));
    assert!(zh.contains("<html lang=\"zh-Hans\">"));
    // Language switcher and hreflang alternates lead to the other language's print page.
    assert!(
        zh.contains("href=\"../en/print/\" lang=\"en\" hreflang=\"en\""),
        "{zh}"
    );
    assert!(
        en.contains("href=\"../../print/\" lang=\"zh-Hans\""),
        "{en}"
    );
    assert!(zh.contains("<link rel=\"alternate\" hreflang=\"en\" href=\"/en/print/\">"));
    assert!(en.contains("<link rel=\"canonical\" href=\"/en/print/\">"));
    // The cover and every page's footer link to it.
    assert!(site.read("index.html").contains("href=\"print/\""));
    assert!(site.read("en/index.html").contains("href=\"print/\""));
    assert!(
        site.read("en/relief/index.html")
            .contains("href=\"../print/\"")
    );
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("<loc>/print/</loc>"), "{sitemap}");
    assert!(sitemap.contains("<loc>/en/print/</loc>"), "{sitemap}");
    assert!(
        sitemap.contains("hreflang=\"en\" href=\"/en/print/\""),
        "{sitemap}"
    );
}

#[test]
fn whole_report_page_snapshot() {
    let site = Site::fixture("bilingual");
    site.build();
    let html = site.read("en/print/index.html");
    // The page's own markup, without the inline charts (pinned by the SVG snapshot).
    let main = html
        .split("<main id=\"main\">")
        .nth(1)
        .and_then(|m| m.split("</main>").next())
        .unwrap();
    let mut pinned = String::new();
    for (i, part) in main.split("<svg").enumerate() {
        if i == 0 {
            pinned.push_str(part);
        } else {
            pinned.push_str("<svg …/>");
            pinned.push_str(part.split_once("</svg>").map_or(part, |(_, rest)| rest));
        }
    }
    insta::assert_snapshot!("bilingual_en_print_main", pinned);
}

#[test]
fn ids_repeated_across_chapters_get_suffixes_and_links_follow_them() {
    let site = Site::fixture("bilingual");
    // A section with the same slug, heading id and footnote label as one
    // of chapter 1, linking to itself, to its chapter's other section, and
    // to a file beside its chapter.
    let text = "---\ntitle: Floods again\n---\nSee [this section](#floods), [volunteers](#volunteers) and [the spending](#spending).[^audit] [Photo](photo.txt). [Later](#outlook).\n\n## Spending {#spending}\n\nText.[^audit]\n\n[^audit]: Second note.\n";
    site.write("content/02-outreach/02-floods.en.md", text);
    site.write("content/02-outreach/02-floods.zh.md", text);
    // A heading further on in the chapter whose id chapter 1 already uses.
    let later = "---\ntitle: Later\n---\n## Outlook {#outlook}\n\nText.\n";
    site.write("content/02-outreach/03-later.en.md", later);
    site.write("content/02-outreach/03-later.zh.md", later);
    let outlook = "---\ntitle: Outlook\n---\nText.\n";
    site.write("content/01-relief/03-outlook.en.md", outlook);
    site.write("content/01-relief/03-outlook.zh.md", outlook);
    site.write("content/02-outreach/photo.txt", "a photo");
    site.build();
    let html = site.read("en/print/index.html");
    assert_ids_unique_and_anchors_resolve(&html, "en/print/");
    assert!(html.contains("<h3 id=\"floods-2\">"), "{html}");
    assert!(
        html.contains("href=\"#floods-2\">this section</a>"),
        "{html}"
    );
    assert!(
        html.contains("href=\"#volunteers\">volunteers</a>"),
        "{html}"
    );
    assert!(html.contains("<h4 id=\"spending-2\">"), "{html}");
    assert!(
        html.contains("href=\"#spending-2\">the spending</a>"),
        "{html}"
    );
    assert!(html.contains("href=\"../outreach/photo.txt\""), "{html}");
    assert!(html.contains("<h3 id=\"outlook\">Outlook</h3>"), "{html}");
    assert!(html.contains("<h4 id=\"outlook-2\">"), "{html}");
    assert!(html.contains("href=\"#outlook-2\">Later</a>"), "{html}");
    // The footnote is referred to twice in its section: two reference ids, one note.
    assert!(html.contains("id=\"fn-floods-2-audit\""), "{html}");
    assert!(html.contains("id=\"ref-fn-floods-2-audit\""), "{html}");
    assert!(html.contains("id=\"ref-fn-floods-2-audit-2\""), "{html}");
    // On the chapter's own page the ids are as written.
    let chapter = site.read("en/outreach/index.html");
    assert_ids_unique_and_anchors_resolve(&chapter, "en/outreach/");
    assert!(chapter.contains("<h2 id=\"floods\">"), "{chapter}");
    assert!(chapter.contains("href=\"#floods\">this section</a>"));
    assert!(chapter.contains("href=\"photo.txt\""));
}

#[test]
fn a_chapter_cannot_take_the_whole_report_page_s_place() {
    let site = Site::fixture("english-only");
    let from = site.root().join("content/01-programs");
    std::fs::rename(&from, site.root().join("content/01-print")).unwrap();
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr_of(&out).contains("whole-report page"),
        "{}",
        stderr_of(&out)
    );
}

/// The smallest well-formed PDF: one empty A4 page.
fn minimal_pdf() -> Vec<u8> {
    let objects = [
        "<</Type/Catalog/Pages 2 0 R>>",
        "<</Type/Pages/Kids[3 0 R]/Count 1>>",
        "<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>",
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n{object}\nendobj\n", i + 1).into_bytes());
    }
    let xref = pdf.len();
    pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).into_bytes());
    for offset in offsets {
        pdf.extend(format!("{offset:010} 00000 n \n").into_bytes());
    }
    pdf.extend(
        format!(
            "trailer\n<</Size {}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .into_bytes(),
    );
    pdf
}

/// A stand-in for Chromium: writes a small PDF where `--print-to-pdf=`
/// says and logs the page URL it was given (or fails, when `fail`).
fn fake_chromium(dir: &Path, fail: bool) -> std::path::PathBuf {
    let log = dir.join("chromium.log");
    let sample = dir.join("sample.pdf");
    std::fs::write(&sample, minimal_pdf()).unwrap();
    let script = if fail {
        "#!/bin/sh\necho 'cannot open display' >&2\nexit 3\n".to_string()
    } else {
        format!(
            "#!/bin/sh\nfor a in \"$@\"; do case \"$a\" in --print-to-pdf=*) out=\"${{a#--print-to-pdf=}}\";; http://*|file://*) url=\"$a\";; esac; done\necho \"$url\" >> '{}'\ncp '{}' \"$out\"\n",
            log.display(),
            sample.display()
        )
    };
    let path = dir.join(if fail { "broken-chromium" } else { "chromium" });
    std::fs::write(&path, script).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    path
}

fn build_pdf(site: &Site, chromium: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["build", "--pdf"])
        .current_dir(site.root())
        .env("NIANBAO_CHROMIUM", chromium)
        .output()
        .unwrap()
}

#[test]
fn pdf_without_chromium_says_what_to_install_and_leaves_the_output() {
    let site = Site::fixture("bilingual");
    site.build();
    let before = snapshot_dir(&site.output());
    let out = build_pdf(&site, Path::new("/nonexistent/chromium"));
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("NIANBAO_CHROMIUM"), "{err}");
    assert!(err.contains("/nonexistent/chromium"), "{err}");
    assert_eq!(snapshot_dir(&site.output()), before, "output untouched");

    // With nothing on PATH either, the message names what to install.
    let out = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["build", "--pdf"])
        .current_dir(site.root())
        .env_remove("NIANBAO_CHROMIUM")
        .env("PATH", site.root())
        .output()
        .unwrap();
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("apt-get install chromium"), "{err}");
    assert_eq!(snapshot_dir(&site.output()), before, "output untouched");
}

#[cfg(unix)]
#[test]
fn pdf_prints_each_language_s_whole_report_page_before_the_swap() {
    let site = Site::fixture("bilingual");
    let tools = tempfile::tempdir().unwrap();
    let chromium = fake_chromium(tools.path(), false);
    let out = build_pdf(&site, &chromium);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    for pdf in ["zh/report.pdf", "en/report.pdf"] {
        let bytes = std::fs::read(site.output().join(pdf)).unwrap();
        assert!(bytes.starts_with(b"%PDF"), "{pdf}");
    }
    // One print page per language, served from loopback: a page opened
    // from file:// could embed any file of the machine in the PDF.
    let log = std::fs::read_to_string(tools.path().join("chromium.log")).unwrap();
    // Twice each: once to learn the contents' page numbers, once with them.
    let urls: Vec<&str> = log.lines().collect();
    assert_eq!(urls.len(), 4, "{log}");
    assert!(
        urls[0].starts_with("http://127.0.0.1:")
            && urls[0].ends_with("/print/nianbao-pdf-pass.html")
    );
    assert_eq!(urls[0], urls[1]);
    assert!(
        urls[2].ends_with("/en/print/nianbao-pdf-pass.html"),
        "{log}"
    );
    // The printed copy of the page is not published.
    assert!(!site.output().join("print/nianbao-pdf-pass.html").exists());
    // The PDF carries the report's metadata.
    let pdf = std::fs::read(site.output().join("en/report.pdf")).unwrap();
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.contains("/Author(Oasis Foundation)"), "{text}");
    assert!(text.contains("/Lang(en)"), "{text}");
    // Pages link to their language's PDF.
    assert!(
        site.read("index.html")
            .contains("href=\"./zh/report.pdf\" download")
    );
    assert!(
        site.read("en/index.html")
            .contains("href=\"../en/report.pdf\" download")
    );
    assert!(
        site.read("en/relief/index.html")
            .contains("href=\"../../en/report.pdf\"")
    );
    assert!(
        site.read("en/print/index.html")
            .contains("href=\"../../en/report.pdf\"")
    );
    assert!(site.read("404.html").contains("href=\"/zh/report.pdf\""));

    // A build without --pdf drops the PDFs and the links.
    site.build();
    assert!(!site.output().join("zh/report.pdf").exists());
    assert!(!site.read("index.html").contains("report.pdf"));
}

#[cfg(unix)]
#[test]
fn a_failed_pdf_leaves_the_previous_output_and_no_temporary_folder() {
    let site = Site::fixture("bilingual");
    site.build();
    let before = snapshot_dir(&site.output());
    let tools = tempfile::tempdir().unwrap();
    let chromium = fake_chromium(tools.path(), true);
    let out = build_pdf(&site, &chromium);
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("could not print"), "{err}");
    assert!(err.contains("cannot open display"), "{err}");
    assert_eq!(snapshot_dir(&site.output()), before, "output untouched");
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("nianbao"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[cfg(unix)]
#[test]
fn publish_pdf_ships_the_pdfs_with_the_site_and_their_sizes_in_the_links() {
    let site = Site::fixture("bilingual");
    let tools = tempfile::tempdir().unwrap();
    let chromium = fake_chromium(tools.path(), false);
    let publish = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_nianbao"))
            .args(["publish", "--to", "public"])
            .args(extra)
            .current_dir(site.root())
            .env("NIANBAO_CHROMIUM", &chromium)
            .output()
            .unwrap()
    };
    let out = publish(&["--pdf", "--paper", "letter"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let public = site.root().join("public");
    for pdf in ["zh/report.pdf", "en/report.pdf"] {
        let bytes = std::fs::read(public.join(pdf)).unwrap();
        assert!(bytes.starts_with(b"%PDF"), "{pdf}");
    }
    // The cover and every footer say how large the PDF is.
    let cover = std::fs::read_to_string(public.join("en/index.html")).unwrap();
    assert!(
        cover.contains("<span class=\"pdf-size\" data-pdf=\"en/report.pdf\"> (1 KB)</span>"),
        "{cover}"
    );
    let chapter = std::fs::read_to_string(public.join("relief/index.html")).unwrap();
    assert!(
        chapter.contains("data-pdf=\"zh/report.pdf\"> (1 KB)"),
        "{chapter}"
    );
    // Printed on letter paper: the size is the first print rule of the
    // copy of the page that was printed (the published page has none).
    let page = std::fs::read_to_string(public.join("en/print/index.html")).unwrap();
    assert!(!page.contains("size: letter"));
    assert!(!public.join("en/print/nianbao-pdf-pass.html").exists());
    // Published again without --pdf, the PDFs and their links go.
    let out = publish(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(!public.join("en/report.pdf").exists());
}
