use super::*;

fn doc(lang: &str, url: &str, title: &str, text: &str) -> Doc {
    Doc {
        lang: lang.into(),
        url: url.into(),
        title: title.into(),
        chapter: title.into(),
        year: "2020".into(),
        terms: counted(text),
    }
}

/// The terms of `text`, counted.
fn counted(text: &str) -> Tally {
    let mut tally = Tally::default();
    tally.count(text);
    tally
}

/// The shard files of the index of `docs`, by path.
fn shards_of(docs: &[Doc]) -> BTreeMap<String, String> {
    index_files(docs)
        .into_iter()
        .filter(|(p, _)| p.contains("/s"))
        .collect()
}

#[test]
fn latin_words_are_lower_cased() {
    assert_eq!(
        terms("Haematopoietic Stem-Cell donors, 2020!"),
        ["haematopoietic", "stem", "cell", "donors", "2020"]
    );
    assert_eq!(terms("Über DONNÉES"), ["über", "données"]);
}

#[test]
fn words_mix_scripts_and_end_where_cjk_or_punctuation_starts() {
    assert_eq!(
        terms("Café CAFÉ naïve-résumé ABCDEFGH ABCDEFGHI x2020年"),
        [
            "café",
            "café",
            "naïve",
            "résumé",
            "abcdefgh",
            "abcdefghi",
            "x2020",
            "年"
        ]
    );
    // Full-width punctuation ends a word; full-width digits are part of one.
    assert_eq!(terms("A，B（１２）"), ["a", "b", "１２"]);
    // The Kelvin sign lower-cases to ASCII "k".
    assert_eq!(terms("\u{212A}"), ["k"]);
}

/// The shortcut for CJK punctuation agrees with the standard library on
/// every character.
#[test]
fn letters_and_digits_are_the_standard_librarys() {
    for c in (0..=0x10FFFF).filter_map(char::from_u32) {
        assert_eq!(
            is_letter_or_digit(c),
            c.is_alphanumeric(),
            "{:#x}",
            c as u32
        );
    }
}

#[test]
fn cjk_runs_give_characters_and_overlapping_pairs() {
    assert_eq!(terms("献血者"), ["献", "献血", "血", "血者", "者"]);
    // Punctuation and Latin words end a run.
    assert_eq!(
        terms("献血，造血 A型"),
        ["献", "献血", "血", "造", "造血", "血", "a", "型"]
    );
    assert_eq!(
        terms("ボランティア"),
        [
            "ボ", "ボラ", "ラ", "ラン", "ン", "ンテ", "テ", "ティ", "ィ", "ィア", "ア"
        ]
    );
}

#[test]
fn queries_need_every_pair_of_a_run() {
    assert_eq!(query_terms("献血"), ["献血"]);
    assert_eq!(query_terms("造血干细胞"), ["造血", "血干", "干细", "细胞"]);
    assert_eq!(query_terms("血"), ["血"]);
    assert_eq!(
        query_terms("Haematopoietic stem cell"),
        ["haematopoietic", "stem", "cell"]
    );
    assert_eq!(query_terms("blood blood 献血 A"), ["blood", "献血", "a"]);
}

/// Every term of a query is among the terms the text was indexed with
/// when the text holds the query: the two cuttings agree.
#[test]
fn a_query_found_in_a_text_finds_its_terms() {
    let text = "我们的无偿献血者和造血干细胞捐献者 gave blood.";
    let indexed = terms(text);
    for q in ["献血", "造血干细胞", "干细胞", "血", "Blood", "捐献者"] {
        for t in query_terms(q) {
            assert!(indexed.contains(&t), "{q}: {t} missing");
        }
    }
}

#[test]
fn a_term_is_in_the_last_shard_starting_at_or_before_it() {
    // FNV-1a of "a" is 0xe40c292c.
    assert_eq!(fnv("a"), 0xe40c_292c);
    let starts = ["apple", "cell", "献血"];
    assert_eq!(shard("aardvark", &starts), 0);
    assert_eq!(shard("apple", &starts), 0);
    assert_eq!(shard("cell", &starts), 1);
    assert_eq!(shard("cells", &starts), 1);
    assert_eq!(shard("zebra", &starts), 1);
    // UTF-8 byte order is code point order: CJK after Latin.
    assert_eq!(shard("骨髓", &starts), 2);
    assert_eq!(shard("x", &[]), 0);
}

#[test]
fn shards_are_cut_where_terms_say_so_an_edit_changes_few() {
    let words: Vec<String> = (0..20_000).map(|i| format!("w{i:05}x")).collect();
    let docs = |skip: usize| -> Vec<Doc> {
        let text: Vec<&str> = words
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != skip)
            .map(|(_, w)| w.as_str())
            .collect();
        vec![doc("en", "/en/a/", "A", &text.join(" "))]
    };
    let before = shards_of(&docs(usize::MAX));
    assert!(before.len() > 4, "{} shards", before.len());
    assert!(before.values().all(|s| s.len() < 4 * 24 * 1024 + 1024));
    // One word fewer: only the shard that held it changes.
    let after = shards_of(&docs(10_000));
    let changed = before
        .iter()
        .filter(|(p, s)| after.get(*p) != Some(s))
        .count();
    assert_eq!(changed, 1, "{} of {} shards changed", changed, before.len());
}

#[test]
fn the_index_holds_every_term_in_its_shard() {
    let docs = [
        doc("zh", "/zh/b/", "献血", "无偿献血的人数增加了"),
        doc("zh", "/zh/a/", "骨髓", "造血干细胞捐献"),
        doc("en", "/en/a/", "Blood", "Blood donors gave blood"),
    ];
    let files: BTreeMap<String, String> = index_files(&docs).into_iter().collect();
    let index: serde_json::Value = serde_json::from_str(&files["search/zh/index.json"]).unwrap();
    // Pages by URL.
    assert_eq!(index["pages"][0][0], "/zh/a/");
    assert_eq!(index["pages"][1][0], "/zh/b/");
    assert_eq!(index["years"], serde_json::json!(["2020"]));
    let find = |lang: &str, term: &str| -> serde_json::Value {
        let index: serde_json::Value =
            serde_json::from_str(&files[&format!("search/{lang}/index.json")]).unwrap();
        let starts: Vec<&str> = index["shards"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        let path = format!("search/{lang}/s{}.json", shard(term, &starts));
        let map: serde_json::Value = serde_json::from_str(&files[&path]).unwrap();
        map[term].clone()
    };
    // Title, chapter and text.
    assert_eq!(find("zh", "献血"), serde_json::json!([[1, 3]]));
    assert_eq!(find("zh", "细胞"), serde_json::json!([[0, 1]]));
    // Single characters: inside a run (counted through the pair they
    // start) and at its end.
    assert_eq!(find("zh", "血"), serde_json::json!([[0, 1], [1, 3]]));
    assert_eq!(find("zh", "了"), serde_json::json!([[1, 1]]));
    assert_eq!(find("zh", "献"), serde_json::json!([[0, 1], [1, 3]]));
    assert_eq!(find("en", "blood"), serde_json::json!([[0, 4]]));
    assert!(find("zh", "blood").is_null());
}

/// A short ASCII word and a word written otherwise that lower-cases to
/// it are one term, not two keys of a shard.
#[test]
fn a_word_is_one_term_however_it_is_written() {
    let shards: Vec<String> = shards_of(&[doc("en", "/en/k/", "K", "k \u{212A} K")])
        .into_values()
        .collect();
    // Title, chapter and three in the text.
    assert_eq!(shards, [r#"{"k":[[0,5]]}"#]);
}

#[test]
fn page_text_is_the_main_text_without_markup() {
    let html = "<html><head><title>X</title></head><body><header>Menu</header>\
        <main id=\"main\"><h1 class=\"t\">Blood &amp; <em>marrow</em></h1>\
        <script>var x = 1;</script><nav><h2 id=\"toc\">In this chapter</h2></nav>\
        <p>Donors\n   gave</p><figure><figcaption>Donations</figcaption></figure>\
        <svg><text>12</text></svg><p>𠀀前言 &#x263A;x</p></main>\
        <footer>Foot</footer></body></html>";
    let page = page_text(html);
    assert_eq!(page.title, "Blood & marrow");
    let text = strip(main_of(html));
    assert_eq!(text, "Blood & marrow Donors gave Donations 𠀀前言 ☺x");
    assert_eq!(page.terms.finish_sorted(), counted(&text).finish_sorted());
}

#[test]
fn markup_is_skipped_as_the_link_scanner_reads_it() {
    // A `>` inside a quoted value does not end the tag; comments are markup.
    let html = "<main><p>Before <img alt=\"a > b\" src=x> after<!-- a > note --> end</p>\
        <h2 title='x > y' id=\"s&amp;t\">Heading</h2></main>";
    assert_eq!(strip(main_of(html)), "Before after end Heading");
}

#[test]
fn packed_ascii_is_lower_cased_byte_by_byte() {
    for word in ["ABCXYZ", "azAZ09", "@[`{", "Q3", "a", "ZZZZZZZZ"] {
        assert_eq!(
            ascii_lower(pack(word.as_bytes())),
            pack(word.to_ascii_lowercase().as_bytes()),
            "{word}"
        );
    }
    // Every byte value, alone and beside others.
    for b in 1..=0x7Fu8 {
        let word = String::from_utf8(vec![b, b'A', b, b'z']).unwrap_or_default();
        assert_eq!(
            ascii_lower(pack(word.as_bytes())),
            pack(word.to_ascii_lowercase().as_bytes()),
            "{b:#x}"
        );
    }
}

/// Pages come in any order (rendered in parallel) and are numbered by
/// URL; a page put twice is indexed once, as first put.
#[test]
fn pages_are_numbered_by_url_and_indexed_once() {
    let docs = [
        doc("en", "/en/c/", "C", "blood"),
        doc("en", "/en/a/", "A", "blood marrow"),
        doc("en", "/en/c/", "C", "plasma"),
        doc("en", "/en/b/", "B", "blood"),
    ];
    let files: BTreeMap<String, String> = index_files(&docs).into_iter().collect();
    let index: serde_json::Value = serde_json::from_str(&files["search/en/index.json"]).unwrap();
    let urls: Vec<&str> = index["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p[0].as_str().unwrap())
        .collect();
    assert_eq!(urls, ["/en/a/", "/en/b/", "/en/c/"]);
    let shards: String = shards_of(&docs).into_values().collect();
    assert!(
        shards.contains(r#""blood":[[0,1],[1,1],[2,1]]"#),
        "{shards}"
    );
    assert!(!shards.contains("plasma"), "{shards}");
}

/// The terms counted as a page's text is read, a run between tags at a
/// time, are those of its text.
#[test]
fn terms_counted_while_reading_are_the_texts() {
    let pages = [
        "<main><h1>Blood &amp; <em>marrow</em></h1><p>Donors\n  gave  blood.</p></main>",
        "<main><p>H<sub>2</sub>O caf&eacute; CAFÉ \u{212A} naïve-résumé ABCDEFGHIJ</p></main>",
        "<main><p>无偿献血，造血干细胞<b>捐献</b>者 A型 2020年\u{3000}全年</p><nav>菜单</nav></main>",
        "<main><h2 id=\"x\">ボランティア</h2><p>x&lt;y &#x263A; 1,000,000 people&nbsp;here</p></main>",
    ];
    for html in pages {
        let from_text = counted(&strip(main_of(html)));
        assert_eq!(
            page_text(html).terms.finish_sorted(),
            from_text.finish_sorted(),
            "{html}"
        );
    }
}

proptest::proptest! {
    /// The same for any mix of words, spaces, tags and references.
    #[test]
    fn terms_counted_while_reading_are_the_texts_for_any_page(
        parts in proptest::collection::vec(proptest::sample::select(vec![
            "a", "Blood", "K", "\u{212A}", "é", "É", "1", "献", "血", "，", "。", " ", "  ",
            "\n", "\t", "\u{3000}", "\u{a0}", "<b>", "</b>", "<p>", "&amp;", "&eacute;", "-",
            "<script>x</script>", "ボ", "ABCDEFGHI", ".",
        ]), 0..40)
    ) {
        let html = format!("<main>{}</main>", parts.concat());
        let from_text = counted(&strip(main_of(&html)));
        proptest::prop_assert_eq!(page_text(&html).terms.finish_sorted(), from_text.finish_sorted());
    }
}

/// A word packed where it stands, eight bytes read at once, and a
/// character packed from its UTF-8 bytes are packed as they are alone.
#[test]
fn terms_pack_in_place_as_they_do_alone() {
    let text = "a bc defgh abcdefgh q1234567";
    let mut start = 0;
    for word in text.split(' ') {
        let end = start + word.len();
        assert_eq!(
            pack_ascii(text.as_bytes(), start, end),
            pack(word.as_bytes()),
            "{word}"
        );
        // At the very end of a text too.
        let cut = &text.as_bytes()[..end];
        assert_eq!(
            pack_ascii(cut, start, end),
            pack(word.as_bytes()),
            "{word} at the end"
        );
        start = end + 1;
    }
    for c in ['a', 'é', '献', '。', '𠀀', '\u{FFFF}'] {
        assert_eq!(pack_char(c), pack(c.to_string().as_bytes()), "{c}");
    }
}
