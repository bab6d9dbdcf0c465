//! Reader search: a static index built with the site, per language, that
//! the theme's script (`static/search.js`) loads a shard at a time.
//!
//! Text is cut into terms by [`terms`], the same way when indexing and
//! (in the script, mirroring it) when searching: Latin and other
//! space-separated words are lower-cased whole words; a run of CJK
//! characters gives every single character and every overlapping pair
//! (bigram), so 献血 finds 无偿献血 and 造血干细胞 is found as the pairs
//! 造血 血干 干细 细胞, all of which a page must hold.
//!
//! The files, below `search/<lang>/`:
//! - `index.json`: the pages (`[url, title, chapter, year, key]`, by
//!   number), the years and the number of shards;
//! - `s<k>.json`: for every term whose [`shard`] is `k`, the pages that
//!   hold it, as `[page, count]` pairs;
//! - `t<key>.json`: a page's text and its headings (`[offset, id, title]`),
//!   fetched only for the results shown, to cut a snippet from and to
//!   link to the section that holds the match.
//!
//! A query downloads `index.json`, one shard per distinct term and the
//! texts of the first results.

use std::collections::BTreeMap;

/// A page to index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doc {
    /// Language code (`en`).
    pub lang: String,
    /// The page's URL from the site root (`/en/2020/people/`).
    pub url: String,
    /// The page's title.
    pub title: String,
    /// The chapter it belongs to ("" for a home page).
    pub chapter: String,
    /// The report's year ("" when unknown).
    pub year: String,
    /// The page's main text, titles and metric labels included.
    pub text: String,
    /// The headings of the text, for results to link to.
    pub sections: Vec<Section>,
}

/// True for the characters cut into single characters and bigrams:
/// Han ideographs, kana, Hangul and the CJK compatibility blocks.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF     // Hiragana, Katakana
        | 0x3400..=0x4DBF   // CJK Extension A
        | 0x4E00..=0x9FFF   // CJK Unified Ideographs
        | 0xAC00..=0xD7AF   // Hangul syllables
        | 0xF900..=0xFAFF   // CJK Compatibility Ideographs
        | 0x20000..=0x2FA1F // Extensions B–F, compatibility supplement
    )
}

/// The terms of `text`, in order, repeats included: lower-cased words of
/// letters and digits, and for each run of CJK characters every character
/// and every overlapping pair.
pub fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut prev_cjk: Option<char> = None;
    for c in text.chars() {
        if is_cjk(c) {
            flush(&mut word, &mut out);
            if let Some(p) = prev_cjk {
                out.push(format!("{p}{c}"));
            }
            out.push(c.to_string());
            prev_cjk = Some(c);
        } else if c.is_alphanumeric() {
            prev_cjk = None;
            word.extend(c.to_lowercase());
        } else {
            prev_cjk = None;
            flush(&mut word, &mut out);
        }
    }
    flush(&mut word, &mut out);
    out
}

fn flush(word: &mut String, out: &mut Vec<String>) {
    if !word.is_empty() {
        out.push(std::mem::take(word));
    }
}

/// The terms a query needs every result to hold: its words, and for a run
/// of CJK characters its pairs (or the character alone, when the run is
/// one character), without repeats.
pub fn query_terms(query: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut run: Vec<char> = Vec::new();
    let push = |t: String, out: &mut Vec<String>| {
        if !out.contains(&t) {
            out.push(t);
        }
    };
    let end_run = |run: &mut Vec<char>, out: &mut Vec<String>| {
        if run.len() == 1 {
            push(run[0].to_string(), out);
        }
        for pair in run.windows(2) {
            push(pair.iter().collect(), out);
        }
        run.clear();
    };
    let mut word = String::new();
    for c in query.chars() {
        if is_cjk(c) {
            if !word.is_empty() {
                let w = std::mem::take(&mut word);
                if !out.contains(&w) {
                    out.push(w);
                }
            }
            run.push(c);
        } else {
            end_run(&mut run, &mut out);
            if c.is_alphanumeric() {
                word.extend(c.to_lowercase());
            } else if !word.is_empty() {
                let w = std::mem::take(&mut word);
                if !out.contains(&w) {
                    out.push(w);
                }
            }
        }
    }
    end_run(&mut run, &mut out);
    if !word.is_empty() && !out.contains(&word) {
        out.push(word);
    }
    out
}

/// FNV-1a (32 bits) of `term`'s UTF-8 bytes: where the shards are cut.
pub fn fnv(term: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in term.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// The shard of `term` among shards starting at `starts` (their first
/// terms, in order): the last that starts at or before it. Terms are
/// ordered by their UTF-8 bytes, as code points, which the script
/// compares the same way.
pub fn shard(term: &str, starts: &[&str]) -> usize {
    starts.partition_point(|s| *s <= term).saturating_sub(1)
}

/// About how many bytes of postings a shard holds: small enough that a
/// query of a few terms downloads a few tens of kilobytes.
const SHARD_BYTES: usize = 24 * 1024;

/// Postings of one term.
type Postings = Vec<(usize, u32)>;

/// Cuts the terms, in order, into shards of about [`SHARD_BYTES`]: a
/// shard ends after a term whose [`fnv`] hash has its low bits set, as many
/// bits as make shards of that size on average (a power of two). Terms in
/// order keep the words a prefix starts in one shard or a few in a row,
/// so "volunteer" finds "volunteers"; cutting where the terms say, not
/// where a size is reached, makes an edit change the shards of its own
/// terms only, not every shard after them (an incremental publish uploads
/// a few files). A shard four times the size is cut anyway.
fn cut_into_shards<'a>(
    postings: &'a BTreeMap<&'a str, Postings>,
) -> Vec<BTreeMap<&'a str, &'a Postings>> {
    let size = |t: &str, p: &Postings| t.len() + 6 + p.len() * 10;
    let total: usize = postings.iter().map(|(t, p)| size(t, p)).sum();
    let per_term = total / postings.len().max(1);
    let terms_per_shard = (SHARD_BYTES / per_term.max(1)).max(1);
    // The largest power of two not above it: the same for small edits.
    let mask = (1u32 << (usize::BITS - 1 - terms_per_shard.leading_zeros()).min(31)) - 1;
    let mut shards = Vec::new();
    let mut current = BTreeMap::new();
    let mut bytes = 0;
    for (t, p) in postings {
        current.insert(*t, p);
        bytes += size(t, p);
        if fnv(t) & mask == mask || bytes > 4 * SHARD_BYTES {
            shards.push(std::mem::take(&mut current));
            bytes = 0;
        }
    }
    if !current.is_empty() {
        shards.push(current);
    }
    shards
}

impl Doc {
    /// The name of its text file: a hash of its language and URL, so the
    /// file is written as the page is rendered, keeps its name when other
    /// pages come and go, and changes only when the page's text does.
    pub fn key(&self) -> String {
        text_key(&self.lang, &self.url)
    }

    /// Its text file: (path below the output folder, contents): the text a
    /// snippet is cut from and its headings (`[offset, id, title]`).
    pub fn text_file(&self) -> (String, String) {
        let sections: Vec<serde_json::Value> = self
            .sections
            .iter()
            .map(|s| serde_json::json!([s.offset, s.id, s.title]))
            .collect();
        let json = serde_json::json!({ "text": self.text, "sections": sections });
        (
            format!("search/{}/t{}.json", self.lang, self.key()),
            no_markup(json.to_string()),
        )
    }
}

/// The name of the text file of the page at `url` (from the site root,
/// `en/relief/`) in `lang`: 16 hex digits of its BLAKE3 hash.
pub fn text_key(lang: &str, url: &str) -> String {
    let hash = blake3::hash(format!("{lang}\n{url}").as_bytes());
    hash.to_hex()[..16].to_string()
}

/// A page as the index keeps it: what a result shows and how often the
/// page holds each term, not its text.
#[derive(Debug)]
struct Entry {
    url: String,
    title: String,
    chapter: String,
    year: String,
    key: String,
    counts: Vec<(Box<str>, u32)>,
}

/// The pages indexed so far, by language; [`Index::files`] writes the
/// index files.
#[derive(Debug, Default)]
pub struct Index {
    by_lang: BTreeMap<String, Vec<Entry>>,
}

impl Index {
    /// Adds `doc`'s terms (of its title, chapter and text).
    pub fn add(&mut self, doc: &Doc) {
        let mut counts: BTreeMap<String, u32> = BTreeMap::new();
        let all = [doc.title.as_str(), doc.chapter.as_str(), doc.text.as_str()];
        for t in all.iter().flat_map(|s| terms(s)) {
            *counts.entry(t).or_default() += 1;
        }
        self.by_lang
            .entry(doc.lang.clone())
            .or_default()
            .push(Entry {
                url: doc.url.clone(),
                title: doc.title.clone(),
                chapter: doc.chapter.clone(),
                year: doc.year.clone(),
                key: doc.key(),
                counts: counts.into_iter().map(|(t, n)| (t.into(), n)).collect(),
            });
    }

    /// The index files of every language (not the pages' text files):
    /// (path below the output folder, contents). Pages are numbered in URL
    /// order, so the same site always gives the same files.
    pub fn files(mut self) -> Vec<(String, String)> {
        let mut files = Vec::new();
        for (lang, entries) in &mut self.by_lang {
            entries.sort_by(|a, b| a.url.cmp(&b.url));
            entries.dedup_by(|a, b| a.url == b.url);
            files.extend(language_files(lang, entries));
        }
        files
    }
}

/// Builds every file of the index of `docs`: index, shards and texts.
pub fn index_files(docs: &[Doc]) -> Vec<(String, String)> {
    let mut index = Index::default();
    for doc in docs {
        index.add(doc);
    }
    let texts = docs.iter().map(Doc::text_file);
    index.files().into_iter().chain(texts).collect()
}

/// `json` with `<` written as \u003c: it only ever stands in strings, and
/// no file of the index then holds markup, whatever the report's text.
fn no_markup(json: String) -> String {
    if json.contains('<') {
        json.replace('<', "\\u003c")
    } else {
        json
    }
}

/// The files of one language.
fn language_files(lang: &str, entries: &[Entry]) -> Vec<(String, String)> {
    // term → (page, count), pages in order.
    let mut postings: BTreeMap<&str, Vec<(usize, u32)>> = BTreeMap::new();
    for (id, entry) in entries.iter().enumerate() {
        for (t, n) in &entry.counts {
            postings.entry(t).or_default().push((id, *n));
        }
    }
    let shard_maps = cut_into_shards(&postings);
    let starts: Vec<&str> = shard_maps
        .iter()
        .filter_map(|m| m.keys().next().copied())
        .collect();
    let dir = format!("search/{lang}/");
    let pages: Vec<serde_json::Value> = entries
        .iter()
        .map(|e| serde_json::json!([e.url, e.title, e.chapter, e.year, e.key]))
        .collect();
    let years: std::collections::BTreeSet<&str> = entries
        .iter()
        .map(|e| e.year.as_str())
        .filter(|y| !y.is_empty())
        .collect();
    let index = serde_json::json!({
        "version": 1,
        "lang": lang,
        "shards": starts,
        "years": years,
        "pages": pages,
    });
    let mut files = vec![(format!("{dir}index.json"), no_markup(index.to_string()))];
    for (k, map) in shard_maps.iter().enumerate() {
        let json = serde_json::to_string(map).unwrap_or_else(|_| "{}".to_string());
        files.push((format!("{dir}s{k}.json"), no_markup(json)));
    }
    files
}

/// The text of a rendered page that search indexes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageText {
    /// What its `<main>` holds (the whole body when it has none), without
    /// tags, scripts, styles or navigation, entities decoded, whitespace
    /// collapsed.
    pub text: String,
    /// Its first `<h1>`.
    pub title: String,
    /// Its headings (`<h2>`, `<h3>`) with an `id`, in order.
    pub sections: Vec<Section>,
}

/// A heading of a page: results found below it link to it by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Where it starts in [`PageText::text`], in UTF-16 code units (the
    /// script's string offsets).
    pub offset: usize,
    /// Its `id`, the URL fragment.
    pub id: String,
    /// Its text.
    pub title: String,
}

/// Stands in the text for a heading until offsets are counted; removed
/// from the page's own text first, so it can only mean a heading.
const HEADING_MARK: char = '\u{E000}';

/// The text of a rendered page, see [`PageText`].
pub fn page_text(html: &str) -> PageText {
    let main = html
        .find("<main")
        .and_then(|start| {
            let end = html[start..].rfind("</main>")? + start;
            Some(&html[start..end])
        })
        .unwrap_or(html);
    let title = main
        .find("<h1")
        .and_then(|s| {
            let e = main[s..].find("</h1>")? + s;
            Some(strip_tags(&main[s..e], &mut Vec::new()))
        })
        .unwrap_or_default();
    let mut headings = Vec::new();
    let marked = strip_tags(main, &mut headings);
    let mut text = String::with_capacity(marked.len());
    let mut sections = Vec::new();
    let mut offset = 0;
    let mut headings = headings.into_iter();
    for c in marked.chars() {
        if c == HEADING_MARK {
            if let Some((id, title)) = headings.next() {
                sections.push(Section { offset, id, title });
            }
        } else {
            text.push(c);
            offset += c.len_utf16();
        }
    }
    // Collapsed already: only a mark's space at the very end can be left.
    text.truncate(text.trim_end().len());
    PageText {
        text,
        title,
        sections,
    }
}

/// `html` without its tags (and what `<script>`, `<style>`, `<template>`,
/// `<svg>` and `<nav>` hold: navigation names other pages, and a page is
/// found by its own words), entities decoded, whitespace collapsed. Each
/// `<h2>`/`<h3>` with an `id` leaves a [`HEADING_MARK`] and its (id, text)
/// in `headings`.
fn strip_tags(html: &str, headings: &mut Vec<(String, String)>) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        push_text(&mut out, &rest[..lt]);
        let after = &rest[lt..];
        let skip_to = ["script", "style", "template", "svg", "nav"]
            .iter()
            .find(|name| {
                after.len() > name.len() + 1 && after[1..].to_ascii_lowercase().starts_with(*name)
            })
            .and_then(|name| {
                after
                    .find(&format!("</{name}>"))
                    .map(|e| e + name.len() + 3)
            });
        let tag_end = after.find('>').map_or(after.len(), |e| e + 1);
        if let Some(heading) = skip_to
            .is_none()
            .then(|| heading(after, &after[..tag_end]))
            .flatten()
        {
            out.push(' ');
            out.push(HEADING_MARK);
            headings.push(heading);
        }
        out.push(' ');
        rest = &after[skip_to.unwrap_or(tag_end)..];
    }
    push_text(&mut out, rest);
    collapse_keeping_marks(&out)
}

/// Text between tags, entities decoded (an entity never spans a tag), any
/// [`HEADING_MARK`] of the page's own removed.
fn push_text(out: &mut String, raw: &str) {
    let decoded = crate::html::decode_entities(raw);
    out.extend(decoded.chars().filter(|&c| c != HEADING_MARK));
}

/// The (id, text) of the `<h2>`/`<h3>` opening `html` with `tag`, when it
/// has an id.
fn heading(html: &str, tag: &str) -> Option<(String, String)> {
    let level = ["<h2", "<h3"].iter().find(|open| {
        tag.get(..3)
            .is_some_and(|start| start.eq_ignore_ascii_case(open))
            && matches!(tag.as_bytes().get(3), Some(b' ' | b'>' | b'\t' | b'\n'))
    })?;
    let id = attribute(tag, "id")?;
    let close = format!("</h{}>", &level[2..]);
    let end = html.find(&close)?;
    let title = strip_tags(&html[tag.len()..end], &mut Vec::new());
    Some((id, title))
}

/// The value of attribute `name` in an opening tag, quoted as the
/// renderer writes it.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let len = tag[start..].find('"')?;
    Some(crate::html::decode_entities(&tag[start..start + len]).into_owned())
}

/// Whitespace collapsed, with a mark's own space kept out of the count: a
/// mark sits where the next word starts.
fn collapse_keeping_marks(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() && !out.ends_with(HEADING_MARK) {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Gathers the pages of a site as they are rendered, a report (or a
/// year of a series) at a time: their text files are written at once, and
/// only their terms kept for the index files made at the end.
#[derive(Debug, Default)]
pub struct Collector {
    /// Where the pages put from now on belong.
    place: Place,
    index: Index,
}

/// The report being rendered, as far as search needs to know it.
#[derive(Debug, Default, Clone)]
pub struct Place {
    /// Language codes.
    langs: Vec<String>,
    /// The language of pages without a language folder.
    default_lang: String,
    /// The report's year.
    year: String,
    /// The report is a year of a series: its pages are in the year's folder.
    in_series: bool,
}

impl Place {
    /// The page at `path` (below the output folder) as a document to index
    /// when it is a page readers search: a home or chapter page, not the
    /// whole-report page (which repeats every chapter) nor the 404 page.
    /// The work of reading its text is done here, outside any lock.
    pub fn doc(&self, path: &str, html: &str) -> Option<Doc> {
        let folder = path.strip_suffix("index.html")?;
        let (lang, rest) = match folder.split_once('/') {
            Some((first, rest)) if self.langs.iter().any(|l| l == first) => (first, rest),
            _ => (self.default_lang.as_str(), folder),
        };
        // In a series only a year's pages are searched, not the series' own.
        let within_year = if self.in_series {
            rest.strip_prefix(&format!("{}/", self.year))?
        } else {
            rest
        };
        let slug = within_year.trim_end_matches('/');
        if slug == crate::load::discover::PRINT_SLUG || slug.contains('/') {
            return None;
        }
        let page = page_text(html);
        let chapter = if slug.is_empty() {
            String::new()
        } else {
            page.title.clone()
        };
        Some(Doc {
            lang: lang.to_string(),
            url: folder.to_string(),
            title: page.title,
            chapter,
            year: self.year.clone(),
            text: page.text,
            sections: page.sections,
        })
    }
}

impl Collector {
    /// The pages put from now on belong to `report`.
    pub fn set_report(&mut self, report: &crate::model::Report) {
        self.place = Place {
            langs: report.languages.iter().map(|l| l.code.clone()).collect(),
            default_lang: report.layout.default_lang.clone(),
            year: report.year.clone(),
            in_series: report.series.is_some(),
        };
    }

    /// Where the pages put from now on belong.
    pub fn place(&self) -> Place {
        self.place.clone()
    }

    /// Keeps the terms of `doc` for the index.
    pub fn add(&mut self, doc: &Doc) {
        self.index.add(doc);
    }

    /// The index files of every page gathered (their text files were
    /// written as they came).
    pub fn files(self) -> Vec<(String, String)> {
        self.index.files()
    }
}

#[cfg(test)]
mod tests;
