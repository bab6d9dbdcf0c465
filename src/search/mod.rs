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
//! - `index.json`: the pages (`[url, title, chapter, year]`, by number)
//!   and the number of shards;
//! - `s<k>.json`: for every term whose [`shard`] is `k`, the pages that
//!   hold it, as `[page, count]` pairs;
//! - `t<page>.json`: a page's text, fetched only for the results shown, to
//!   cut a snippet from.
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

/// The shard of a term among `shards`: FNV-1a (32 bits) of its UTF-8
/// bytes, modulo the count. The script computes the same.
pub fn shard(term: &str, shards: u32) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in term.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h % shards.max(1)
}

/// About how many bytes of postings a shard holds at most: small enough
/// that a query of a few terms downloads a few tens of kilobytes.
const SHARD_BYTES: usize = 24 * 1024;

/// Builds the index files of every language of `docs`: (path below the
/// output folder, contents). Pages are numbered in URL order, so the same
/// site always gives the same files.
pub fn index_files(docs: &[Doc]) -> Vec<(String, String)> {
    let mut by_lang: BTreeMap<&str, Vec<&Doc>> = BTreeMap::new();
    for doc in docs {
        by_lang.entry(&doc.lang).or_default().push(doc);
    }
    let mut files = Vec::new();
    for (lang, mut docs) in by_lang {
        docs.sort_by(|a, b| a.url.cmp(&b.url));
        docs.dedup_by(|a, b| a.url == b.url);
        files.extend(language_files(lang, &docs));
    }
    // `<` only ever stands in strings: written as \u003c, no file of the
    // index holds markup, whatever the report's text.
    for (_, json) in &mut files {
        if json.contains('<') {
            *json = json.replace('<', "\\u003c");
        }
    }
    files
}

/// The files of one language.
fn language_files(lang: &str, docs: &[&Doc]) -> Vec<(String, String)> {
    // term → (page, count), pages in order.
    let mut postings: BTreeMap<String, Vec<(usize, u32)>> = BTreeMap::new();
    for (id, doc) in docs.iter().enumerate() {
        let mut counts: BTreeMap<String, u32> = BTreeMap::new();
        let all = [doc.title.as_str(), doc.chapter.as_str(), doc.text.as_str()];
        for t in all.iter().flat_map(|s| terms(s)) {
            *counts.entry(t).or_default() += 1;
        }
        for (t, n) in counts {
            postings.entry(t).or_default().push((id, n));
        }
    }
    let estimate: usize = postings
        .iter()
        .map(|(t, p)| t.len() + 6 + p.len() * 10)
        .sum();
    let shards = u32::try_from(estimate.div_ceil(SHARD_BYTES).clamp(1, 4096)).unwrap_or(4096);
    let mut shard_maps: Vec<BTreeMap<&str, &Vec<(usize, u32)>>> =
        vec![BTreeMap::new(); shards as usize];
    for (t, p) in &postings {
        shard_maps[shard(t, shards) as usize].insert(t, p);
    }
    let dir = format!("search/{lang}/");
    let pages: Vec<serde_json::Value> = docs
        .iter()
        .map(|d| serde_json::json!([d.url, d.title, d.chapter, d.year]))
        .collect();
    let years: std::collections::BTreeSet<&str> = docs
        .iter()
        .map(|d| d.year.as_str())
        .filter(|y| !y.is_empty())
        .collect();
    let index = serde_json::json!({
        "version": 1,
        "lang": lang,
        "shards": shards,
        "years": years,
        "pages": pages,
    });
    let mut files = vec![(format!("{dir}index.json"), index.to_string())];
    for (k, map) in shard_maps.iter().enumerate() {
        let json = serde_json::to_string(map).unwrap_or_else(|_| "{}".to_string());
        files.push((format!("{dir}s{k}.json"), json));
    }
    for (id, doc) in docs.iter().enumerate() {
        let text = serde_json::json!({ "text": doc.text });
        files.push((format!("{dir}t{id}.json"), text.to_string()));
    }
    files
}

/// The text of a rendered page that search indexes: what its `<main>`
/// holds (the whole body when it has none), without tags, scripts or
/// styles, entities decoded, whitespace collapsed; and its first `<h1>`.
pub fn page_text(html: &str) -> (String, String) {
    let main = html
        .find("<main")
        .and_then(|start| {
            let end = html[start..].rfind("</main>")? + start;
            Some(&html[start..end])
        })
        .unwrap_or(html);
    let h1 = main
        .find("<h1")
        .and_then(|s| {
            let e = main[s..].find("</h1>")? + s;
            Some(strip_tags(&main[s..e]))
        })
        .unwrap_or_default();
    (strip_tags(main), h1)
}

/// `html` without its tags (and what `<script>`, `<style>` and
/// `<template>` hold), entities decoded, whitespace collapsed.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let after = &rest[lt..];
        let skip_to = ["script", "style", "template", "svg"]
            .iter()
            .find(|name| {
                after.len() > name.len() + 1
                    && after[1..].to_ascii_lowercase().starts_with(*name)
            })
            .and_then(|name| after.find(&format!("</{name}>")).map(|e| e + name.len() + 3));
        let skip = match skip_to {
            Some(n) => n,
            None => after.find('>').map_or(after.len(), |e| e + 1),
        };
        out.push(' ');
        rest = &after[skip..];
    }
    out.push_str(rest);
    collapse(&crate::html::decode_entities(&out))
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Gathers the pages of a site as they are rendered, a report (or a
/// year of a series) at a time, and makes the index files at the end.
#[derive(Debug, Default)]
pub struct Collector {
    /// Language codes of the report being rendered.
    langs: Vec<String>,
    /// The language of pages without a language folder.
    default_lang: String,
    /// The year of the report being rendered.
    year: String,
    /// The report is a year of a series: its pages are in the year's folder.
    in_series: bool,
    docs: Vec<Doc>,
}

impl Collector {
    /// The pages put from now on belong to `report`.
    pub fn set_report(&mut self, report: &crate::model::Report) {
        self.langs = report.languages.iter().map(|l| l.code.clone()).collect();
        self.default_lang = report.layout.default_lang.clone();
        self.year = report.year.clone();
        self.in_series = report.series.is_some();
    }

    /// Indexes the page at `path` (below the output folder) with its HTML,
    /// when it is a page readers search: a home or chapter page, not the
    /// whole-report page (which repeats every chapter) nor the 404 page.
    pub fn page(&mut self, path: &str, html: &str) {
        let Some(folder) = path.strip_suffix("index.html") else {
            return;
        };
        let (lang, rest) = match folder.split_once('/') {
            Some((first, rest)) if self.langs.iter().any(|l| l == first) => (first, rest),
            _ => (self.default_lang.as_str(), folder),
        };
        // In a series only a year's pages are searched, not the series' own.
        let year_folder = format!("{}/", self.year);
        let within_year = if self.in_series {
            let Some(within) = rest.strip_prefix(&year_folder) else {
                return;
            };
            within
        } else {
            rest
        };
        let slug = within_year.trim_end_matches('/');
        if slug == crate::load::discover::PRINT_SLUG || slug.contains('/') {
            return;
        }
        let (text, h1) = page_text(html);
        let chapter = if slug.is_empty() { String::new() } else { h1.clone() };
        self.docs.push(Doc {
            lang: lang.to_string(),
            url: folder.to_string(),
            title: h1,
            chapter,
            year: self.year.clone(),
            text,
        });
    }

    /// The index files of every page gathered.
    pub fn files(&self) -> Vec<(String, String)> {
        index_files(&self.docs)
    }
}

#[cfg(test)]
mod tests;
