//! Reader search: a static index built with the site, per language, that
//! the theme's script (`static/search.js`) loads a shard at a time.
//!
//! Text is cut into terms by [`terms`], the same way when indexing and
//! (in the script, mirroring it) when searching: Latin and other
//! space-separated words are lower-cased whole words (the script also
//! finds the words a query word of three letters or more starts); a run
//! of CJK characters gives every single character and every overlapping
//! pair (bigram), so 献血 finds 无偿献血 and 造血干细胞 is found as the
//! pairs 造血 血干 干细 细胞, all of which a page must hold.
//!
//! The files, below `search/<lang>/`:
//! - `index.json`: the pages (`[url, title, chapter, year]`, by number),
//!   the years and the first term of each shard;
//! - `s<k>.json`: the terms from the `k`-th shard's first term to the
//!   next's, in order, each with the pages that hold it as `[page, count]`
//!   pairs (see [`shard`] and `cut_into_shards`).
//!
//! A query downloads `index.json` and the shard of each term (a prefix may
//! span the next few). The script cuts the snippets of the first results
//! from their pages, which it fetches (a copy of every page's text in the
//! index would add a quarter to the site and a fifth to its build time; a
//! page fetched is then opened at once when its result is followed).

use std::borrow::Cow;
use std::collections::BTreeMap;

// Term counting hashes millions of short terms: foldhash, not SipHash (no
// hash-flooding to fear from a report the user writes). Not FxHash either:
// its multiply cannot carry a packed term's bytes (held at the top of the
// number) down, so for a short term most bits that pick a map's slot, and
// the seven it compares first, are zero: lookups crawl (measured: 40 %
// more time to count a site's terms).
type TermMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;

/// A page to index: what a result shows of it, and its terms.
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
    /// The terms of its main text (titles and metric labels included),
    /// counted as it was read from the page (see [`page_text`]).
    terms: Tally,
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
    each_term(text, |t| match t {
        Term::Packed(packed) => {
            out.extend(first_of_pair(packed).map(|first| unpack(first).into()));
            out.push(unpack(packed).into());
        }
        Term::Word(w) => out.push(lower_case(w).into_owned()),
    });
    out
}

/// A term as [`each_term`] finds it. A CJK character that is not the last
/// of its run is not found alone: it starts a pair, which stands for it
/// too (counting every character twice would double the work on Chinese
/// text).
enum Term<'a> {
    /// A term of at most 8 UTF-8 bytes as a number (see [`pack`]): a pair
    /// of adjacent CJK characters, the last CJK character of a run, or an
    /// ASCII word of at most 8 letters and digits, lower-cased. Most terms
    /// are one; hashing a number is much faster than hashing a string.
    Packed(u64),
    /// Any other word, as written (see [`lower_case`]).
    Word(&'a str),
}

/// Calls `found` with each term of `text` (see [`terms`], [`Term`]), in
/// one pass over its bytes: it runs over every page of a site, so a word
/// or a run of CJK characters is read in a loop of its own.
fn each_term<'a>(text: &'a str, mut found: impl FnMut(Term<'a>)) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii() {
            if b.is_ascii_alphanumeric() {
                i = word(text, i, &mut found);
            } else {
                i += 1;
            }
            continue;
        }
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        if is_cjk(c) {
            i = cjk_run(text, i, &mut found);
        } else if is_letter_or_digit(c) {
            i = word(text, i, &mut found);
        } else {
            i += c.len_utf8();
        }
    }
}

/// Finds the word of letters and digits starting at `start` (not CJK:
/// a CJK character ends it); returns where it ends.
fn word<'a>(text: &'a str, start: usize, found: &mut impl FnMut(Term<'a>)) -> usize {
    let bytes = text.as_bytes();
    let mut ascii = true;
    let mut i = start;
    loop {
        // ASCII letters and digits, most of a word, a byte at a time.
        i += bytes[i..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .unwrap_or(bytes.len() - i);
        // Most often a space or punctuation ends it.
        if bytes.get(i).is_none_or(u8::is_ascii) {
            break;
        }
        match text.get(i..).and_then(|rest| rest.chars().next()) {
            Some(c) if !is_cjk(c) && is_letter_or_digit(c) => {
                ascii = false;
                i += c.len_utf8();
            }
            _ => break,
        }
    }
    found(if ascii && i - start <= 8 {
        Term::Packed(ascii_lower(pack_ascii(bytes, start, i)))
    } else {
        Term::Word(&text[start..i])
    });
    i
}

/// A packed ASCII term with its capital letters made small, all eight
/// bytes at once (bytes 0x41–0x5A get 0x20 added).
fn ascii_lower(packed: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let low7 = packed & (0x7F * ONES);
    // The top bit of each byte: set from 'A' up, and from '[' up.
    let from_a = low7 + (0x80 - 0x41) * ONES;
    let past_z = low7 + (0x80 - 0x5B) * ONES;
    let upper = from_a & !past_z & !packed & (0x80 * ONES);
    packed | upper >> 2
}

/// Finds the pairs and the last character of the run of CJK characters
/// starting at `start`; returns where it ends.
fn cjk_run<'a>(text: &'a str, start: usize, found: &mut impl FnMut(Term<'a>)) -> usize {
    let mut prev: Option<(u64, usize)> = None;
    let mut i = start;
    while let Some(c) = text[i..].chars().next().filter(|&c| is_cjk(c)) {
        let len = c.len_utf8();
        let packed = pack_char(c);
        if let Some((prev, prev_len)) = prev {
            // CJK characters take 3 or 4 bytes: a pair fits in 8.
            found(Term::Packed(prev | packed >> (8 * prev_len)));
        }
        prev = Some((packed, len));
        i += len;
    }
    if let Some((last, _)) = prev {
        found(Term::Packed(last));
    }
    i
}

/// [`char::is_alphanumeric`], answered at once for the punctuation of
/// Chinese and Japanese text (common, and slow to look up).
fn is_letter_or_digit(c: char) -> bool {
    !matches!(c as u32,
        0x2000..=0x206F     // General Punctuation: “ ” — …
        | 0x3000..=0x3004   // Ideographic space, 、 。
        | 0x3008..=0x3020   // Brackets 《 》 「 」 【 】
        | 0xFF01..=0xFF0F   // Fullwidth ！ （ ） ， ．
        | 0xFF1A..=0xFF20   // Fullwidth ： ； ？
    ) && c.is_alphanumeric()
}

/// `word` in lower case, borrowed when it already is.
fn lower_case(word: &str) -> Cow<'_, str> {
    let lower = if word.is_ascii() {
        !word.bytes().any(|b| b.is_ascii_uppercase())
    } else {
        word.chars()
            .all(|c| c.to_lowercase().eq(std::iter::once(c)))
    };
    if lower {
        Cow::Borrowed(word)
    } else {
        Cow::Owned(word.to_lowercase())
    }
}

/// A term of at most 8 UTF-8 bytes, none of them zero, as a number
/// (longer terms are cut). Big-endian, so numbers sort as their terms do.
fn pack(term: &[u8]) -> u64 {
    term.iter()
        .take(8)
        .enumerate()
        .fold(0, |packed, (n, &b)| packed | u64::from(b) << (56 - 8 * n))
}

/// [`pack`] of the ASCII word at `start..end` of `bytes` (at most 8
/// bytes long), read eight bytes at once where the text goes on as far.
fn pack_ascii(bytes: &[u8], start: usize, end: usize) -> u64 {
    match bytes.get(start..start + 8) {
        Some(eight) => {
            let mut word = [0; 8];
            word.copy_from_slice(eight);
            // The bytes after the word cleared (a word has 1 to 8 bytes).
            u64::from_be_bytes(word)
                & !(u64::MAX.checked_shr(8 * (end - start) as u32).unwrap_or(0))
        }
        None => pack(&bytes[start..end]),
    }
}

/// [`pack`] of one character, from its UTF-8 bytes at once.
fn pack_char(c: char) -> u64 {
    let mut utf8 = [0; 4];
    c.encode_utf8(&mut utf8);
    u64::from(u32::from_be_bytes(utf8)) << 32
}

/// True for a term [`pack`] packs whole: an ASCII word of at most 8
/// bytes (CJK terms are packed as they are found).
fn packs_whole(word: &str) -> bool {
    word.len() <= 8 && word.is_ascii()
}

/// The first character of a packed CJK pair, packed; `None` for anything
/// else (CJK characters take three or four UTF-8 bytes, packed words are
/// ASCII).
fn first_of_pair(packed: u64) -> Option<u64> {
    let bytes = packed.to_be_bytes();
    let first = match bytes[0] {
        b if b >= 0xF0 => 4,
        b if b >= 0xE0 => 3,
        _ => return None,
    };
    (bytes[first] != 0).then(|| packed & !(u64::MAX >> (8 * first)))
}

/// The term [`pack`] made a number of.
fn unpack(packed: u64) -> Box<str> {
    let bytes = packed.to_be_bytes();
    let len = bytes.iter().position(|&b| b == 0).unwrap_or(8);
    String::from_utf8_lossy(&bytes[..len]).into()
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
fn cut_into_shards(postings: &[(Box<str>, Postings)]) -> Vec<Shard<'_>> {
    let size = |t: &str, p: &Postings| t.len() + 6 + p.len() * 10;
    let total: usize = postings.iter().map(|(t, p)| size(t, p)).sum();
    let per_term = total / postings.len().max(1);
    let terms_per_shard = (SHARD_BYTES / per_term.max(1)).max(1);
    // The largest power of two not above it: the same for small edits.
    let mask = (1u32 << (usize::BITS - 1 - terms_per_shard.leading_zeros()).min(31)) - 1;
    let mut shards = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, (t, p)) in postings.iter().enumerate() {
        bytes += size(t, p);
        if fnv(t) & mask == mask || bytes > 4 * SHARD_BYTES {
            shards.push(Shard(&postings[start..=i]));
            (start, bytes) = (i + 1, 0);
        }
    }
    if start < postings.len() {
        shards.push(Shard(&postings[start..]));
    }
    shards
}

/// A shard: terms in order with their postings, written as a JSON object.
struct Shard<'a>(&'a [(Box<str>, Postings)]);

impl Shard<'_> {
    /// Its first term.
    fn start(&self) -> Option<&str> {
        self.0.first().map(|(t, _)| t.as_ref())
    }
}

impl serde::Serialize for Shard<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(t, p)| (t, p)))
    }
}

/// A page with its terms counted, ready for [`Index::add`]: the counting
/// is done before, on the thread that rendered the page, not under a lock.
#[derive(Debug)]
pub struct Counted {
    lang: String,
    page: Page,
    counts: Counts,
}

/// How often each term comes in a page.
#[derive(Debug, PartialEq, Eq)]
struct Counts {
    /// Of the terms [`pack`] packs.
    packed: Vec<(u64, u32)>,
    /// Of the longer words.
    words: Vec<(Box<str>, u32)>,
}

impl Doc {
    /// The page with its terms (of its title, chapter and text) counted.
    pub fn counted(self) -> Counted {
        let mut tally = self.terms;
        tally.count(&self.title);
        tally.count(&self.chapter);
        let counts = tally.finish();
        Counted {
            lang: self.lang,
            page: Page {
                url: self.url,
                title: self.title,
                chapter: self.chapter,
                year: self.year,
            },
            counts,
        }
    }
}

/// How often each term of a page comes in it, counted as the terms are
/// found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Tally {
    /// Most terms are CJK characters or pairs and short ASCII words:
    /// numbers (see [`pack`]).
    packed: TermMap<u64, u32>,
    /// The longer words, lower-cased.
    words: TermMap<Box<str>, u32>,
}

impl Tally {
    /// An empty tally sized for the distinct terms of a page of `text`'s
    /// length (HTML, about one in 128 bytes, and it grows for a page with
    /// more): a larger one costs more than growing, its slots no longer in
    /// the cache (measured: 44 ms to count the corpus's pages at this
    /// size, 51 at one term in 32 bytes, 57 at one in 16).
    fn sized_for(text: &str) -> Self {
        Self {
            packed: TermMap::with_capacity_and_hasher(text.len() / 128, Default::default()),
            words: TermMap::default(),
        }
    }

    /// Counts the terms of `text`.
    fn count(&mut self, text: &str) {
        each_term(text, |t| self.add(t));
    }

    /// Counts one term.
    fn add(&mut self, term: Term<'_>) {
        match term {
            Term::Packed(p) => *self.packed.entry(p).or_default() += 1,
            Term::Word(w) => match lower_case(w) {
                // "K" (the Kelvin sign) lower-cases to "k".
                w if packs_whole(&w) => *self.packed.entry(pack(w.as_bytes())).or_default() += 1,
                // A key is allocated once per page, not per capitalised word.
                w => match self.words.get_mut(w.as_ref()) {
                    Some(n) => *n += 1,
                    None => {
                        self.words.insert(w.into(), 1);
                    }
                },
            },
        }
    }

    /// The counts of the packed terms and of the longer words, each pair
    /// standing for its first character too.
    fn finish(mut self) -> Counts {
        let firsts: Vec<(u64, u32)> = self
            .packed
            .iter()
            .filter_map(|(&k, &n)| Some((first_of_pair(k)?, n)))
            .collect();
        for (k, n) in firsts {
            *self.packed.entry(k).or_default() += n;
        }
        Counts {
            packed: self.packed.into_iter().collect(),
            words: self.words.into_iter().collect(),
        }
    }

    /// [`Tally::finish`] in order, to compare.
    #[cfg(test)]
    fn finish_sorted(self) -> Counts {
        let mut counts = self.finish();
        counts.packed.sort_unstable();
        counts.words.sort_unstable();
        counts
    }
}

/// A page as a result shows it.
#[derive(Debug)]
struct Page {
    url: String,
    title: String,
    chapter: String,
    year: String,
}

/// The pages indexed so far, by language; [`Index::files`] writes the
/// index files.
#[derive(Debug, Default)]
pub struct Index {
    by_lang: BTreeMap<String, Language>,
}

impl Index {
    /// Adds a page whose terms are counted (see [`Doc::counted`]).
    pub fn add(&mut self, counted: Counted) {
        let lang = self.by_lang.entry(counted.lang).or_default();
        lang.add(counted.page, counted.counts);
    }

    /// The index files of every language:
    /// (path below the output folder, contents). Pages are numbered in URL
    /// order, so the same site always gives the same files.
    pub fn files(self) -> Vec<(String, String)> {
        use rayon::prelude::*;
        // Languages in parallel: this is the part of the index the build
        // waits for at the end.
        let per_lang: Vec<Vec<(String, String)>> = self
            .by_lang
            .into_par_iter()
            .map(|(lang, pages)| {
                let (pages, postings) = pages.in_url_order();
                language_files(&lang, &pages, postings)
            })
            .collect();
        per_lang.into_iter().flatten().collect()
    }
}

/// The pages of a language indexed so far and the postings of their terms,
/// pages numbered as they came: a page's counts are added to the postings
/// as it is rendered, so that the build waits at the end only for the
/// files to be written.
#[derive(Debug, Default)]
struct Language {
    pages: Vec<Page>,
    packed: TermMap<u64, Postings>,
    words: TermMap<Box<str>, Postings>,
}

impl Language {
    fn add(&mut self, page: Page, counts: Counts) {
        let id = self.pages.len();
        self.pages.push(page);
        for (t, n) in counts.packed {
            self.packed.entry(t).or_default().push((id, n));
        }
        for (t, n) in counts.words {
            self.words.entry(t).or_default().push((id, n));
        }
    }

    /// The pages in URL order (of two with the same URL, the first added)
    /// and every term, unpacked, with its postings numbered so.
    fn in_url_order(self) -> (Vec<Page>, Vec<(Box<str>, Postings)>) {
        let Self {
            pages,
            packed,
            words,
        } = self;
        let mut order: Vec<usize> = (0..pages.len()).collect();
        order.sort_by(|&a, &b| pages[a].url.cmp(&pages[b].url));
        order.dedup_by(|later, first| pages[*later].url == pages[*first].url);
        let mut number = vec![None; pages.len()];
        for (new, &old) in order.iter().enumerate() {
            number[old] = Some(new);
        }
        // In place: a site has thousands of terms.
        let renumber = |mut list: Postings| -> Postings {
            list.retain_mut(|(id, _)| number[*id].map(|new| *id = new).is_some());
            list.sort_unstable_by_key(|&(id, _)| id);
            list
        };
        // A term unpacked once for the whole site, not once per page.
        let postings = packed
            .into_iter()
            .map(|(t, list)| (unpack(t), list))
            .chain(words)
            .map(|(t, list)| (t, renumber(list)))
            .filter(|(_, list)| !list.is_empty())
            .collect();
        let mut pages: Vec<Option<Page>> = pages.into_iter().map(Some).collect();
        let pages = order.iter().filter_map(|&i| pages[i].take()).collect();
        (pages, postings)
    }
}

/// Builds every file of the index of `docs`.
pub fn index_files(docs: &[Doc]) -> Vec<(String, String)> {
    let mut index = Index::default();
    for doc in docs {
        index.add(doc.clone().counted());
    }
    index.files()
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
fn language_files(
    lang: &str,
    entries: &[Page],
    mut postings: Vec<(Box<str>, Postings)>,
) -> Vec<(String, String)> {
    use rayon::prelude::*;
    postings.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let shard_maps = cut_into_shards(&postings);
    let starts: Vec<&str> = shard_maps.iter().filter_map(Shard::start).collect();
    let dir = format!("search/{lang}/");
    let pages: Vec<serde_json::Value> = entries
        .iter()
        .map(|e| serde_json::json!([e.url, e.title, e.chapter, e.year]))
        .collect();
    let years: std::collections::BTreeSet<&str> = entries
        .iter()
        .map(|e| e.year.as_str())
        .filter(|y| !y.is_empty())
        .collect();
    let index = serde_json::json!({
        "version": 2,
        "lang": lang,
        "shards": starts,
        "years": years,
        "pages": pages,
    });
    let shards = shard_maps.par_iter().enumerate().map(|(k, map)| {
        let json = serde_json::to_string(map).unwrap_or_else(|_| "{}".to_string());
        (format!("{dir}s{k}.json"), no_markup(json))
    });
    let index = (format!("{dir}index.json"), no_markup(index.to_string()));
    rayon::iter::once(index).chain(shards).collect()
}

/// What search needs of a rendered page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageText {
    /// Its first `<h1>`, as text.
    pub title: String,
    /// The terms of its main text (see [`main_of`], [`each_segment`]).
    terms: Tally,
}

/// What search reads of a rendered page, see [`PageText`].
pub fn page_text(html: &str) -> PageText {
    let main = main_of(html);
    let title = main
        .find("<h1")
        .and_then(|s| {
            let e = main[s..].find("</h1>")? + s;
            Some(strip(&main[s..e]))
        })
        .unwrap_or_default();
    let mut terms = Tally::sized_for(main);
    each_segment(main, |segment| terms.count(segment));
    PageText { title, terms }
}

/// What the `<main>` of a page holds (the whole page when it has none).
fn main_of(html: &str) -> &str {
    html.find("<main")
        .and_then(|start| {
            let end = html[start..].rfind("</main>")? + start;
            Some(&html[start..end])
        })
        .unwrap_or(html)
}

/// HTML made text: the words of [`each_segment`] joined by single spaces
/// (a tag separates words).
fn strip(html: &str) -> String {
    let mut text = String::new();
    each_segment(html, |segment| {
        for word in segment.split_whitespace() {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(word);
        }
    });
    text
}

/// Calls `found` with each run of text between the tags of `html`,
/// entities decoded, leaving out what `<script>`, `<style>`, `<template>`,
/// `<svg>` and `<nav>` hold (navigation names other pages, and a page is
/// found by its own words). Terms never run across a tag: each run is
/// counted on its own.
fn each_segment(html: &str, mut found: impl FnMut(&str)) {
    let mut segment = |raw: &str| {
        if raw.contains('&') {
            found(&crate::html::decode_entities(raw));
        } else if !raw.is_empty() {
            found(raw);
        }
    };
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        segment(&rest[..lt]);
        let after = &rest[lt..];
        // Most tags are not skipped: their first letter says so.
        let first = after.as_bytes().get(1).map(u8::to_ascii_lowercase);
        let skip_to = matches!(first, Some(b's' | b't' | b'n'))
            .then(|| skipped_element(after))
            .flatten();
        rest = &after[skip_to.unwrap_or_else(|| crate::html::markup_end(after.as_bytes(), 0))..];
    }
    segment(rest);
}

/// How many bytes the element opening `html` takes, when it is one whose
/// content is not text a reader searches.
fn skipped_element(html: &str) -> Option<usize> {
    let name = ["script", "style", "template", "svg", "nav"]
        .into_iter()
        .find(|name| {
            html.get(1..=name.len())
                .is_some_and(|open| open.eq_ignore_ascii_case(name))
                && matches!(
                    html.as_bytes().get(name.len() + 1),
                    Some(b' ' | b'>' | b'\t' | b'\n' | b'/')
                )
        })?;
    let close = format!("</{name}>");
    Some(html.find(&close).map_or(html.len(), |e| e + close.len()))
}

/// Gathers the pages of a site as they are rendered, a report (or a
/// year of a series) at a time: only their terms are kept, for the index
/// files made at the end.
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
    /// `html` gives the page's HTML, asked for only then. The work of
    /// reading its text is done here, outside any lock.
    pub fn doc<'h>(&self, path: &str, html: impl FnOnce() -> Cow<'h, str>) -> Option<Doc> {
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
        let page = page_text(&html());
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
            terms: page.terms,
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

    /// Keeps the terms of a page for the index.
    pub fn add(&mut self, counted: Counted) {
        self.index.add(counted);
    }

    /// The index files of every page gathered.
    pub fn files(self) -> Vec<(String, String)> {
        self.index.files()
    }
}

#[cfg(test)]
mod tests;
