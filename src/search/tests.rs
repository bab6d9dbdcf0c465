use super::*;

fn doc(lang: &str, url: &str, title: &str, text: &str) -> Doc {
    Doc {
        lang: lang.into(),
        url: url.into(),
        title: title.into(),
        chapter: title.into(),
        year: "2020".into(),
        text: text.into(),
    }
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
fn cjk_runs_give_characters_and_overlapping_pairs() {
    assert_eq!(terms("献血者"), ["献", "献血", "血", "血者", "者"]);
    // Punctuation and Latin words end a run.
    assert_eq!(terms("献血，造血 A型"), ["献", "献血", "血", "造", "造血", "血", "a", "型"]);
    assert_eq!(terms("ボランティア"), ["ボ", "ボラ", "ラ", "ラン", "ン", "ンテ", "テ", "ティ", "ィ", "ィア", "ア"]);
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
fn shards_are_stable_and_in_range() {
    // FNV-1a of "a" is 0xe40c292c: the script must compute the same.
    assert_eq!(shard("a", u32::MAX), 0xe40c_292c % u32::MAX);
    for t in ["献血", "blood", ""] {
        assert!(shard(t, 7) < 7);
        assert_eq!(shard(t, 1), 0);
    }
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
    let shards = index["shards"].as_u64().unwrap() as u32;
    let find = |lang: &str, term: &str| -> serde_json::Value {
        let path = format!("search/{lang}/s{}.json", shard(term, shards));
        let map: serde_json::Value = serde_json::from_str(&files[&path]).unwrap();
        map[term].clone()
    };
    // Title, chapter and text.
    assert_eq!(find("zh", "献血"), serde_json::json!([[1, 3]]));
    assert_eq!(find("zh", "细胞"), serde_json::json!([[0, 1]]));
    assert_eq!(find("en", "blood"), serde_json::json!([[0, 4]]));
    assert!(find("zh", "blood").is_null());
    let text: serde_json::Value = serde_json::from_str(&files["search/zh/t0.json"]).unwrap();
    assert_eq!(text["text"], "造血干细胞捐献");
}

#[test]
fn page_text_is_the_main_text_without_markup() {
    let html = "<html><head><title>X</title></head><body><header>Menu</header>\
        <main id=\"main\"><h1 class=\"t\">Blood &amp; <em>marrow</em></h1>\
        <script>var x = 1;</script><p>Donors\n   gave</p><figure><figcaption>Donations</figcaption></figure></main>\
        <footer>Foot</footer></body></html>";
    let (text, h1) = page_text(html);
    assert_eq!(h1, "Blood & marrow");
    assert_eq!(text, "Blood & marrow Donors gave Donations");
}
