#!/usr/bin/env python3
"""Deterministic bilingual (zh default + en) annual-report corpus for SSG benchmarks.

Usage:
    gen_corpus.py N LAYOUT OUTDIR [--seed S]

N       number of section pages per language (2*N content pages in all).
        N/6 chapters (rounded up), 6 pages each; the last chapter takes the rest.
LAYOUT  hugo   -> config.toml + content/ + layouts/   (build: hugo --quiet)
        zola   -> config.toml + content/ + templates/ (build: zola build)
        nianbao -> content/ in nianbao's layout (report.yaml, chapters with
                  sections, metrics.yaml, one chart per chapter); the project's
                  themes/ is copied in by the caller
        mdbook -> book.toml + src/SUMMARY.md + theme/ (single language: zh only,
                  N pages; mdbook has no per-page front matter, so the title is
                  written as a leading '# title' line instead)
OUTDIR  created if missing; must be empty or absent.

The content/ tree is byte-identical for hugo and zola (TOML '+++' front matter,
which both read; sections carry sort_by = "weight", which Hugo keeps as an
unused param).  Text is seeded per (seed, chapter, section, lang), so a page
is the same whatever N is, and the run is the same on every machine.

Stdlib only.  Prints a one-line JSON summary (files, bytes) to stdout.
"""
import json
import os
import random
import sys

SECTIONS_PER_CHAPTER = 6

# ---------------------------------------------------------------- vocabulary
ZH_TOPICS = [
    "营业收入", "净利润", "研发投入", "数字化转型", "绿色低碳", "客户满意度", "供应链韧性",
    "风险管理", "公司治理", "员工培训", "海外市场", "现金流", "资产负债结构", "品牌建设",
    "安全生产", "节能减排", "社会责任", "知识产权", "智能制造", "渠道拓展", "成本控制",
    "信息安全", "合规经营", "人才梯队", "产品质量", "乡村振兴", "碳排放强度", "数据治理",
]
ZH_VERBS = ["持续推进", "稳步提升", "全面深化", "加快布局", "不断优化", "系统完善", "积极探索", "扎实推动"]
ZH_OBJECTS = [
    "核心业务的高质量发展", "上下游协同创新机制", "精细化运营管理体系", "ESG 信息披露质量",
    "关键技术自主可控能力", "全球化经营网络", "内部控制与审计监督", "客户全生命周期服务",
    "KPI 考核与激励机制", "云平台与 API 开放生态", "应收账款周转效率", "可再生能源使用比例",
]
ZH_SENTENCES = [
    "报告期内，公司{t}取得显著进展，全年实现{t2}{n}亿元，同比增长{p}%。",
    "我们{v}{o}，为{t}奠定了坚实基础。",
    "截至{y}年末，{t}相关指标较上年提升{p}个百分点，达到历史最好水平。",
    "面对复杂多变的外部环境，管理层坚持稳中求进，{v}{o}。",
    "{t}方面，公司累计投入{n}亿元，覆盖{k}个重点项目，带动就业约{m}人。",
    "在{t}领域，我们与{k}家合作伙伴建立了长期战略关系，ROE 保持在{p}%左右。",
    "未来三年，公司将围绕{t}和{t2}两条主线，{v}{o}。",
    "董事会高度重视{t}，已于{y}年第{q}季度完成相关制度修订。",
]
EN_TOPICS = [
    "revenue", "net profit", "R&D investment", "digital transformation", "low-carbon operations",
    "customer satisfaction", "supply-chain resilience", "risk management", "corporate governance",
    "employee training", "overseas markets", "operating cash flow", "balance-sheet structure",
    "brand building", "workplace safety", "energy efficiency", "social responsibility",
    "intellectual property", "smart manufacturing", "channel expansion", "cost control",
    "information security", "compliance", "talent pipeline", "product quality", "data governance",
]
EN_VERBS = ["continued to advance", "steadily improved", "further deepened", "accelerated",
            "kept optimising", "systematically strengthened", "actively explored", "firmly promoted"]
EN_OBJECTS = [
    "the high-quality development of our core business", "collaborative innovation with partners",
    "a lean operating-management system", "the quality of our ESG disclosures",
    "control of key technologies", "our global operating network", "internal control and audit",
    "full-lifecycle customer service", "KPI-based incentives", "an open cloud and API ecosystem",
    "receivables turnover", "the share of renewable energy we use",
]
EN_SENTENCES = [
    "During the reporting period, the company made notable progress in {t}, with {t2} reaching "
    "RMB {n} billion for the year, up {p}% year on year.",
    "We {v} {o}, laying a solid foundation for {t}.",
    "At the end of {y}, indicators related to {t} were {p} percentage points higher than a year "
    "earlier, the best level in our history.",
    "Facing a complex and changing external environment, management kept a steady course and {v} {o}.",
    "On {t}, the company invested a cumulative RMB {n} billion across {k} key projects, supporting "
    "about {m} jobs.",
    "In {t}, we built long-term strategic relationships with {k} partners while keeping ROE at "
    "around {p}%.",
    "Over the next three years the company will focus on {t} and {t2}, and will keep working on {o}.",
    "The board paid close attention to {t} and completed the related policy revisions in Q{q} {y}.",
]
ZH_HEAD = ["概述", "经营情况", "主要指标", "展望"]
EN_HEAD = ["Overview", "Operations", "Key figures", "Outlook"]


def _fill(rng, tpl, topics, verbs, objects):
    t, t2 = rng.sample(topics, 2)
    return tpl.format(
        t=t, t2=t2, v=rng.choice(verbs), o=rng.choice(objects),
        n=f"{rng.uniform(1, 900):.2f}", p=f"{rng.uniform(0.5, 35):.1f}",
        y=rng.choice([2022, 2023, 2024]), k=rng.randint(3, 120),
        m=f"{rng.randint(200, 90000):,}", q=rng.randint(1, 4),
    )


def zh_paragraph(rng, target=400):
    out = []
    while sum(len(s) for s in out) < target:
        out.append(_fill(rng, rng.choice(ZH_SENTENCES), ZH_TOPICS, ZH_VERBS, ZH_OBJECTS))
    return "".join(out)


def en_paragraph(rng, target=250):
    out, words = [], 0
    while words < target:
        s = _fill(rng, rng.choice(EN_SENTENCES), EN_TOPICS, EN_VERBS, EN_OBJECTS)
        s = s[0].upper() + s[1:]
        out.append(s)
        words += len(s.split())
    return " ".join(out)


def titles(ch, sec):
    """(zh title, en title) of a page; sec=0 means the chapter itself."""
    zt = ZH_TOPICS[(ch * 7 + sec * 3) % len(ZH_TOPICS)]
    et = EN_TOPICS[(ch * 7 + sec * 3) % len(EN_TOPICS)]
    if sec == 0:
        return f"第{ch}章 {zt}", f"Chapter {ch}: {et.capitalize()}"
    return f"第{ch}章 第{sec}节：{zt}分析", f"Chapter {ch}, section {sec}: {et} review"


def page_body(seed, ch, sec, lang):
    rng = random.Random(f"{seed}-{ch}-{sec}-{lang}")
    zh = lang == "zh"
    para = zh_paragraph if zh else en_paragraph
    head = ZH_HEAD if zh else EN_HEAD
    topics = ZH_TOPICS if zh else EN_TOPICS
    lines = [f"## {head[0]}", "", para(rng), ""]
    # a list with numbers
    for _ in range(4):
        t = rng.choice(topics)
        v = f"{rng.uniform(-5, 40):.1f}"
        lines.append(f"- {t}：同比变动 {v}%" if zh else f"- {t}: {v}% change year on year")
    lines += ["", f"## {head[1]}", "", para(rng), ""]
    # a table
    if zh:
        lines += ["| 指标 | 2023 年 | 2024 年 | 同比 |", "| --- | ---: | ---: | ---: |"]
    else:
        lines += ["| Metric | 2023 | 2024 | YoY |", "| --- | ---: | ---: | ---: |"]
    for t in rng.sample(topics, 5):
        a = rng.uniform(10, 5000)
        b = a * rng.uniform(0.8, 1.4)
        lines.append(f"| {t} | {a:,.1f} | {b:,.1f} | {(b / a - 1) * 100:+.1f}% |")
    lines += ["", f"## {head[3]}", "", para(rng), ""]
    link = f"https://example.com/report/2024/ch{ch:03d}.pdf"
    lines.append(f"详见[年度报告全文第 {ch} 章]({link})。" if zh
                 else f"See [chapter {ch} of the full report]({link}).")
    lines.append("")
    return "\n".join(lines)


def yfront(title):
    t = title.replace('"', '\\"')
    return f'---\ntitle: "{t}"\n---\n\n'


NIANBAO_REPORT = """languages: [zh, en]
year: 2024
title: { zh: "年度报告", en: "Annual Report" }
subtitle: { zh: "基准测试语料", en: "Benchmark corpus" }
organization: { zh: "示例机构", en: "Example Organisation" }
base_url: "/"
theme: default
highlights: [m1_a]
"""


def front(title, weight, extra=""):
    t = title.replace('"', '\\"')
    return f'+++\ntitle = "{t}"\nweight = {weight}\n{extra}+++\n\n'


# ---------------------------------------------------------------- templates
HUGO_CONFIG = """baseURL = "https://example.com/"
title = "年度报告"
defaultContentLanguage = "zh"
defaultContentLanguageInSubdir = false
hasCJKLanguage = true
# Not comparable / not wanted: feeds, sitemap, robots.txt, taxonomies, 404.
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
enableRobotsTXT = false
enableEmoji = false
disableHugoGeneratorInject = true

[languages]
  [languages.zh]
    languageName = "中文"
    title = "年度报告"
    weight = 1
  [languages.en]
    languageName = "English"
    title = "Annual Report"
    weight = 2

# Match Zola's Markdown defaults: tables, footnotes, strikethrough, task lists on;
# no smart punctuation, no autolinking of bare URLs, no definition lists.
[markup.goldmark.extensions]
  typographer = false
  linkify = false
  definitionList = false
"""
HUGO_BASEOF = """<!DOCTYPE html>
<html lang="{{ .Language.Lang }}">
<head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body>
{{ block "main" . }}{{ end }}
</body>
</html>
"""
HUGO_SINGLE = """{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
{{ .Content }}
</article>{{ end }}
"""
HUGO_LIST = """{{ define "main" }}<main>
<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
</main>{{ end }}
"""

ZOLA_CONFIG = """base_url = "https://example.com"
title = "年度报告"
default_language = "zh"
compile_sass = false
minify_html = false
build_search_index = false
generate_feeds = false
generate_sitemap = false
generate_robots_txt = false
taxonomies = []

[markdown]
# no [markdown.highlighting] table: no syntax highlighting (none needed: no code blocks)

[languages.en]
title = "Annual Report"
"""
ZOLA_BASE = """<!DOCTYPE html>
<html lang="{{ lang }}">
<head><meta charset="utf-8"><title>{% block title %}{% endblock title %}</title></head>
<body>
{% block main %}{% endblock main %}
</body>
</html>
"""
ZOLA_PAGE = """{% extends "base.html" %}
{% block title %}{{ page.title }}{% endblock title %}
{% block main %}<article>
<h1>{{ page.title }}</h1>
{{ page.content | safe }}
</article>{% endblock main %}
"""
ZOLA_SECTION = """{% extends "base.html" %}
{% block title %}{{ section.title }}{% endblock title %}
{% block main %}<main>
<h1>{{ section.title }}</h1>
{{ section.content | safe }}
<ul>{% for p in section.pages %}<li><a href="{{ p.path | safe }}">{{ p.title }}</a></li>{% endfor %}</ul>
</main>{% endblock main %}
"""
ZOLA_INDEX = """{% extends "base.html" %}
{% block title %}{{ section.title }}{% endblock title %}
{% block main %}<main>
<h1>{{ section.title }}</h1>
{{ section.content | safe }}
<ul>{% for s in section.subsections %}<li>{{ s }}</li>{% endfor %}</ul>
</main>{% endblock main %}
"""

MDBOOK_TOML = """[book]
title = "年度报告"
language = "zh"
src = "src"

[output.html]
no-section-label = true
# Not comparable: single print page, client-side search index, playground.
[output.html.print]
enable = false
[output.html.search]
enable = false
[output.html.playground]
runnable = false
"""
MDBOOK_INDEX_HBS = """<!DOCTYPE html>
<html lang="{{ language }}">
<head><meta charset="utf-8"><title>{{ title }}</title></head>
<body>
<article>
{{{ content }}}
</article>
</body>
</html>
"""


def write(path, text, stats):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data = text.encode("utf-8")
    with open(path, "wb") as f:
        f.write(data)
    stats["files"] += 1
    stats["bytes"] += len(data)
    if path.endswith(".md"):
        stats["md_files"] += 1
        stats["md_bytes"] += len(data)


def chapters(n):
    """[(chapter number, [section numbers])] for n pages per language."""
    out, left, ch = [], n, 0
    while left > 0:
        ch += 1
        k = min(SECTIONS_PER_CHAPTER, left)
        out.append((ch, list(range(1, k + 1))))
        left -= k
    return out


def generate(n, layout, outdir, seed=2024):
    if os.path.exists(outdir) and os.listdir(outdir):
        raise SystemExit(f"{outdir} exists and is not empty")
    st = {"files": 0, "bytes": 0, "md_files": 0, "md_bytes": 0}
    j = os.path.join
    chs = chapters(n)
    if layout in ("hugo", "zola"):
        c = j(outdir, "content")
        write(j(c, "_index.md"), front("年度报告", 0) + "本报告以中英文两种语言发布。\n", st)
        write(j(c, "_index.en.md"), front("Annual Report", 0)
              + "This report is published in Chinese and English.\n", st)
        # Zola reads sort_by; Hugo keeps it as an unused param and sorts by weight anyway.
        sec_extra = 'sort_by = "weight"\n'
        for ch, secs in chs:
            d = j(c, f"ch{ch:03d}")
            zt, et = titles(ch, 0)
            write(j(d, "_index.md"), front(zt, ch, sec_extra) + f"本章共 {len(secs)} 节。\n", st)
            write(j(d, "_index.en.md"), front(et, ch, sec_extra)
                  + f"This chapter has {len(secs)} sections.\n", st)
            for s in secs:
                zt, et = titles(ch, s)
                write(j(d, f"s{s:02d}.md"), front(zt, s) + page_body(seed, ch, s, "zh"), st)
                write(j(d, f"s{s:02d}.en.md"), front(et, s) + page_body(seed, ch, s, "en"), st)
        if layout == "hugo":
            write(j(outdir, "config.toml"), HUGO_CONFIG, st)
            lay = j(outdir, "layouts", "_default")
            write(j(lay, "baseof.html"), HUGO_BASEOF, st)
            write(j(lay, "single.html"), HUGO_SINGLE, st)
            write(j(lay, "list.html"), HUGO_LIST, st)
        else:
            write(j(outdir, "config.toml"), ZOLA_CONFIG, st)
            t = j(outdir, "templates")
            write(j(t, "base.html"), ZOLA_BASE, st)
            write(j(t, "page.html"), ZOLA_PAGE, st)
            write(j(t, "section.html"), ZOLA_SECTION, st)
            write(j(t, "index.html"), ZOLA_INDEX, st)
    elif layout == "mdbook":
        src = j(outdir, "src")
        summary = ["# 年度报告", ""]
        for ch, secs in chs:
            zt, _ = titles(ch, 0)
            summary.append(f"- [{zt}](ch{ch:03d}/index.md)")
            write(j(src, f"ch{ch:03d}", "index.md"), f"# {zt}\n\n本章共 {len(secs)} 节。\n", st)
            for s in secs:
                zt, _ = titles(ch, s)
                summary.append(f"    - [{zt}](ch{ch:03d}/s{s:02d}.md)")
                write(j(src, f"ch{ch:03d}", f"s{s:02d}.md"),
                      f"# {zt}\n\n" + page_body(seed, ch, s, "zh"), st)
        write(j(src, "SUMMARY.md"), "\n".join(summary) + "\n", st)
        write(j(outdir, "book.toml"), MDBOOK_TOML, st)
        write(j(outdir, "theme", "index.hbs"), MDBOOK_INDEX_HBS, st)
    elif layout == "nianbao":
        # nianbao's own layout (docs/content-format.md): chapters hold sections, numbers
        # live in metrics.yaml, one bar chart per chapter drawn from them.
        c = j(outdir, "content")
        write(j(c, "report.yaml"), NIANBAO_REPORT, st)
        write(j(c, "_index.zh.md"), yfront("年度报告") + "本报告以中英文两种语言发布。\n", st)
        write(j(c, "_index.en.md"), yfront("Annual Report")
              + "This report is published in Chinese and English.\n", st)
        for ch, secs in chs:
            d = j(c, f"{ch:03d}-ch{ch:03d}")
            zt, et = titles(ch, 0)
            write(j(d, "_index.zh.md"), yfront(zt) + f"本章共 {len(secs)} 节，"
                  f"重点指标为{{{{ metric:m{ch}_a }}}}。\n\n![本章指标](chart:c{ch})\n", st)
            write(j(d, "_index.en.md"), yfront(et) + f"This chapter has {len(secs)} sections; "
                  f"the key figure is {{{{ metric:m{ch}_a }}}}.\n\n![Key figures](chart:c{ch})\n", st)
            rng = random.Random(f"{seed}-{ch}-metrics")
            ms = []
            for k in "abc":
                v = rng.randint(1000, 900000000)
                ms.append(f"  - id: m{ch}_{k}\n    label: {{ zh: \"指标{k}\", en: \"Figure {k}\" }}\n"
                          f"    value: {v}\n    unit: cny\n")
            write(j(d, "metrics.yaml"), "metrics:\n" + "".join(ms)
                  + f"charts:\n  - id: c{ch}\n    type: bar\n    title: {{ zh: \"第{ch}章指标\", en: \"Chapter {ch} figures\" }}\n"
                  f"    series: [m{ch}_a, m{ch}_b, m{ch}_c]\n", st)
            for s_ in secs:
                zt, et = titles(ch, s_)
                write(j(d, f"{s_:02d}-s{s_:02d}.zh.md"), yfront(zt) + page_body(seed, ch, s_, "zh"), st)
                write(j(d, f"{s_:02d}-s{s_:02d}.en.md"), yfront(et) + page_body(seed, ch, s_, "en"), st)
    else:
        raise SystemExit(f"unknown layout {layout!r} (hugo, zola, mdbook, nianbao)")
    st.update(n=n, layout=layout, chapters=len(chs), outdir=outdir)
    return st


def main(argv):
    seed = 2024
    if "--seed" in argv:
        i = argv.index("--seed")
        seed = int(argv[i + 1])
        argv = argv[:i] + argv[i + 2:]
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    n, layout, outdir = int(argv[0]), argv[1], argv[2]
    print(json.dumps(generate(n, layout, outdir, seed), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
