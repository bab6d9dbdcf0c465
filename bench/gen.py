#!/usr/bin/env python3
"""Deterministic synthetic annual report for benchmarks.

Writes the same bilingual prose twice: as a nianbao report folder
(content/ with report.yaml, chapters, metrics and one chart per chapter) and
as a Hugo site with minimal templates, so both generators do the same work.

    python3 bench/gen.py --sections 1200 --out /tmp/bench-1200

creates /tmp/bench-1200/nianbao and /tmp/bench-1200/hugo.

With --years, a nianbao report *series* instead (no Hugo site):

    python3 bench/gen.py --sections 1200 --years 10 --out /tmp/series-1200

creates /tmp/series-1200/series/content/ with series.yaml and one report
folder per year (2015/ ... 2024/ for 10 years, the newest being 2024), each
as the single-year corpus above: --sections sections per language, the same
metric ids every year with values that differ from year to year (seeded by
the year), and one `type: line` chart with `years: m0_0` drawn across the
years. It also writes /tmp/series-1200/one-year/content/, the newest year's
folder alone (its report.yaml names its languages), to compare a series
build with the build of one of its years (bench/series.py does).
"""
import argparse
import os
import random
import shutil

SECTIONS_PER_CHAPTER = 6
HANZI = ("红十字会志愿者救护培训捐献造血干细胞遗体器官角膜募集款物发放帐篷家庭包"
         "社区联防联控疫情防控脱贫攻坚博爱家园项目建设农村乡镇医生学生资助助学"
         "宣传传播品牌形象官网微信公众号点击送达新闻稿栏目报道制度规章基层组织")
WORDS = ("relief volunteers training first aid donation blood stem cells organ "
         "community programme project households families district support "
         "emergency response supplies tents kits schools doctors students "
         "communication brand website readers report governance reform").split()


def zh_paragraph(rng, chars):
    out = []
    for i in range(chars):
        out.append(rng.choice(HANZI))
        if i % 23 == 22:
            out.append("，")
        if i % 17 == 16:
            out.append("\n")  # soft breaks between CJK characters
    return "".join(out).rstrip("，\n") + "。"


def en_paragraph(rng, words):
    chosen = [rng.choice(WORDS) for _ in range(words)]
    chosen[0] = chosen[0].capitalize()
    lines = [" ".join(chosen[i:i + 12]) for i in range(0, len(chosen), 12)]
    return "\n".join(lines) + "."


def section_body(rng, lang, chapter, metric_ids, with_chart, extra_charts=()):
    para = (lambda: zh_paragraph(rng, 130)) if lang == "zh" else (lambda: en_paragraph(rng, 80))
    metric = rng.choice(metric_ids)
    head = "要点" if lang == "zh" else "Highlights"
    item = "项目" if lang == "zh" else "Item"
    value = "数值" if lang == "zh" else "Value"
    parts = [
        para() + f" {{{{ metric:{metric} }}}}",
        f"## {head}",
        f"- {para()[:40]}\n- {para()[:40]}\n- [{head}](../)",
        f"| {item} | {value} |\n| --- | --- |\n| A | 1 |\n| B | 2 |",
        para(),
    ]
    if with_chart:
        caption = "图表" if lang == "zh" else "Chart"
        parts.append(f"![{caption}](chart:chart_{chapter})")
        parts += [f"![{caption}](chart:{chart})" for chart in extra_charts]
    return "\n\n".join(parts) + "\n"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


# The series case: the metric every year's line chart draws across the
# years, and the two the series home draws (`trends:`). Every year has them.
YEARS_METRIC = "m0_0"
TRENDS = ("m0_0", "m0_1")
YEARS_CHART = "chart_years"
FIRST_YEAR = 2015


def metrics_yaml(chapter, year=None):
    """The chapter's metrics.yaml: three metrics and a bar chart. For a year
    of a series (`year` given), the values differ from year to year (seeded
    by the year) and chapter 0 also has the line chart across the years."""
    ids = [f"m{chapter}_{k}" for k in range(3)]
    values = random.Random(f"values-{year}-{chapter}") if year is not None else None
    lines = ["metrics:"]
    for k, mid in enumerate(ids):
        value = 1000 * (chapter + 1) * (k + 3) + 17
        if values is not None:
            # Growth of ~6% a year, with noise: no two years alike.
            value = int(value * 1.06 ** (year - FIRST_YEAR)) + values.randint(0, 999)
        lines += [
            f"  - id: {mid}",
            f"    label: {{ zh: \"指标{chapter}-{k}\", en: \"Metric {chapter}-{k}\" }}",
            f"    value: {value}",
            "    unit: { zh: \"人\", en: \"people\" }",
        ]
    lines += [
        "charts:",
        f"  - id: chart_{chapter}",
        "    type: bar",
        f"    title: {{ zh: \"第{chapter}章\", en: \"Chapter {chapter}\" }}",
        f"    series: [{', '.join(ids)}]",
    ]
    if year is not None and chapter == 0:
        lines += [
            f"  - id: {YEARS_CHART}",
            "    type: line",
            "    title: { zh: \"历年趋势\", en: \"Over the years\" }",
            f"    years: {YEARS_METRIC}",
        ]
    return ids, "\n".join(lines) + "\n"


def write_year(nb, sections, rng, year, hugo=None, series=False):
    """Writes one report folder at `nb` (a content/ folder, or a year's
    folder of a series) and, when `hugo` is given, the same prose as a Hugo
    site; returns the number of chapters. `series`: the year's metric values
    and line chart of a series year (see metrics_yaml)."""
    chapters = max(1, sections // SECTIONS_PER_CHAPTER)
    write(os.path.join(nb, "report.yaml"), (
        f"languages: [zh, en]\nyear: {year}\n"
        "title: { zh: \"基准测试年报\", en: \"Benchmark annual report\" }\n"
        "organization: { zh: \"基准组织\", en: \"Benchmark organisation\" }\n"
        "highlights: [m0_0]\n"))
    for lang, title in (("zh", "前言"), ("en", "Foreword")):
        write(os.path.join(nb, f"_index.{lang}.md"), f"---\ntitle: {title}\n---\n{title}\n")
    if hugo:
        write_hugo_skeleton(hugo)
    written = 0
    for c in range(chapters):
        slug = f"{c + 1:04d}-chapter-{c}"
        ids, yaml = metrics_yaml(c, year if series else None)
        extra = (YEARS_CHART,) if series and c == 0 else ()
        write(os.path.join(nb, slug, "metrics.yaml"), yaml)
        for lang, title in (("zh", f"第{c + 1}章"), ("en", f"Chapter {c + 1}")):
            front = f"---\ntitle: \"{title}\"\nsummary: \"{title}\"\n---\n"
            write(os.path.join(nb, slug, f"_index.{lang}.md"), front + title + "\n")
            if hugo:
                write(os.path.join(hugo, "content", slug, f"_index.{lang}.md"), front + title + "\n")
        count = min(SECTIONS_PER_CHAPTER, sections - written) if c < chapters - 1 else sections - written
        for s in range(count):
            name = f"{s + 1:02d}-section-{s}"
            for lang in ("zh", "en"):
                title = f"第{s + 1}节" if lang == "zh" else f"Section {s + 1}"
                body = section_body(rng, lang, c, ids, with_chart=(s == 0), extra_charts=extra)
                write(os.path.join(nb, slug, f"{name}.{lang}.md"), f"---\ntitle: \"{title}\"\n---\n{body}")
                if not hugo:
                    continue
                # Hugo gets the same prose, with the numbers already typed in.
                hugo_body = body.replace("{{ metric:", "").replace(" }}", "")
                hugo_body = hugo_body.replace(f"![图表](chart:chart_{c})", "").replace(f"![Chart](chart:chart_{c})", "")
                write(os.path.join(hugo, "content", slug, f"{name}.{lang}.md"), f"---\ntitle: \"{title}\"\n---\n{hugo_body}")
        written += count
    return chapters


def generate(sections, out):
    rng = random.Random(2020)
    nb = os.path.join(out, "nianbao", "content")
    return write_year(nb, sections, rng, 2020, hugo=os.path.join(out, "hugo"))


def generate_series(sections, years, out):
    """The series corpus below out/series and the newest year alone below
    out/one-year (see the module doc); returns (chapters, list of years)."""
    year_list = list(range(FIRST_YEAR, FIRST_YEAR + years))
    content = os.path.join(out, "series", "content")
    write(os.path.join(content, "series.yaml"), (
        "languages: [zh, en]\n"
        "title: { zh: \"基准测试年报系列\", en: \"Benchmark annual reports\" }\n"
        "organization: { zh: \"基准组织\", en: \"Benchmark organisation\" }\n"
        "base_url: \"/\"\n"
        "theme: default\n"
        f"trends: [{', '.join(TRENDS)}]\n"))
    chapters = 0
    for year in year_list:
        # Prose seeded by the year: every year is written anew.
        rng = random.Random(year)
        chapters = write_year(os.path.join(content, str(year)), sections, rng, year, series=True)
    one = os.path.join(out, "one-year", "content")
    shutil.rmtree(one, ignore_errors=True)
    shutil.copytree(os.path.join(content, str(year_list[-1])), one)
    return chapters, year_list


def write_hugo_skeleton(hugo):
    write(os.path.join(hugo, "hugo.toml"), (
        "baseURL = 'https://example.org/'\n"
        "defaultContentLanguage = 'zh'\n"
        "disableKinds = ['taxonomy', 'term', 'RSS']\n"
        "[languages.zh]\nweight = 1\n[languages.en]\nweight = 2\n"))
    layouts = os.path.join(hugo, "layouts", "_default")
    write(os.path.join(layouts, "baseof.html"),
          "<!DOCTYPE html><html lang=\"{{ .Site.Language.Lang }}\"><head><meta charset=\"utf-8\">"
          "<title>{{ .Title }}</title></head><body>{{ block \"main\" . }}{{ end }}</body></html>\n")
    write(os.path.join(layouts, "single.html"),
          "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}\n")
    write(os.path.join(layouts, "list.html"),
          "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .Content }}"
          "<ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sections", type=int, required=True, help="sections per language (per year)")
    parser.add_argument("--years", type=int,
                        help=f"write a series of this many years from {FIRST_YEAR} (no Hugo site)")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    if args.years:
        chapters, years = generate_series(args.sections, args.years, args.out)
        print(f"{args.sections} sections per language in {chapters} chapters, "
              f"{len(years)} years {years[0]}-{years[-1]} -> {os.path.join(args.out, 'series')}; "
              f"{years[-1]} alone -> {os.path.join(args.out, 'one-year')}")
        return
    chapters = generate(args.sections, args.out)
    print(f"{args.sections} sections per language in {chapters} chapters -> {args.out}")


if __name__ == "__main__":
    main()
