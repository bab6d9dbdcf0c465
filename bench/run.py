#!/usr/bin/env python3
"""Benchmark nianbao against Hugo on the same synthetic bilingual report.

One command on a fresh machine (as root, for apt):

    python3 bench/run.py                  # 120, 1200 and 12000 sections per language
    python3 bench/run.py --sizes 120 1200 --runs 5
    python3 bench/run.py --corpus gen_corpus --sizes 1200 12000 \
        --baseline /tmp/nianbao-before    # the project corpus, and an older build beside

Two corpora: `gen` (bench/gen.py, the default) and `gen_corpus`
(bench/gen_corpus.py, the project's benchmark corpus: tables, lists and
links in every section, a chart per chapter; its `nianbao` layout is ours,
its `hugo` layout Hugo's; nianbao's default theme is built in, so no themes/
is copied in). `--baseline` also measures another nianbao binary (an older
commit, say) in the same hyperfine run, so the two are compared under the
same load; `--interleave` makes the commands take turns run by run, for a
machine shared with other work.

Sources and outputs live on tmpfs (/dev/shm) so CPU work is compared, not
the disk. Every run starts from an empty output folder. Wall times come
from hyperfine (median), peak memory from /usr/bin/time -v. Each build is
checked for the number of pages it should produce. Results go to
bench/RESULTS.md.
"""
import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NIANBAO = os.path.join(ROOT, "target", "release", "nianbao")


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


def ensure_tools():
    missing = [pkg for tool, pkg in (("hugo", "hugo"), ("hyperfine", "hyperfine")) if not shutil.which(tool)]
    if not os.path.exists("/usr/bin/time"):
        missing.append("time")
    if missing:
        print(f"installing {' '.join(missing)} from Debian", flush=True)
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=True)
    print("building nianbao (release)", flush=True)
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)


def peak_kb(cmd):
    out = subprocess.run(["/usr/bin/time", "-v", *cmd], text=True, capture_output=True)
    if out.returncode != 0:
        sys.exit(f"command failed: {' '.join(cmd)}\n{out.stderr[-2000:]}")
    return int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", out.stderr).group(1))


def count(path, name=None, suffix=None):
    n = 0
    for _, _, files in os.walk(path):
        n += sum(1 for f in files if (name and f == name) or (suffix and f.endswith(suffix)))
    return n


def hyperfine(commands, prepare, runs, export, warmup=1):
    args = ["hyperfine", "--style", "basic", "--runs", str(runs), "--warmup", str(warmup), "--export-json", export]
    for name, cmd in commands:
        args += ["--prepare", prepare, "-n", name, cmd]
    subprocess.run(args, check=True)
    with open(export) as f:
        return {r["command"]: r for r in json.load(f)["results"]}


def generate(corpus, n, src):
    """Writes the corpus with n sections per language below src (src/nianbao,
    src/hugo); returns its number of chapters."""
    if corpus == "gen":
        gen = sh([sys.executable, os.path.join(ROOT, "bench", "gen.py"), "--sections", str(n), "--out", src])
        return int(re.search(r"in (\d+) chapters", gen.stdout).group(1))
    script = os.path.join(ROOT, "bench", "gen_corpus.py")
    chapters = set()
    for layout in ("nianbao", "hugo"):
        out = sh([sys.executable, script, str(n), layout, os.path.join(src, layout)])
        chapters.add(json.loads(out.stdout)["chapters"])
    assert len(chapters) == 1, f"the layouts disagree on the chapters: {chapters}"
    return chapters.pop()


def hyperfine_interleaved(commands, prepare, runs, export):
    """Like `hyperfine`, but one run of each command per round, round after
    round, so the commands take turns: on a machine shared with other work,
    load that comes and goes then weighs on each alike (hyperfine runs all
    of one command's runs before the next command's). One round first as a
    warm-up."""
    times = {name: [] for name, _ in commands}
    for round_ in range(runs + 1):
        results = hyperfine(commands, prepare, 1, export, warmup=0)
        if round_ == 0:
            continue
        for name, _ in commands:
            times[name].extend(results[name]["times"])
    out = {}
    for name, samples in times.items():
        samples.sort()
        mid = len(samples) // 2
        median = samples[mid] if len(samples) % 2 else (samples[mid - 1] + samples[mid]) / 2
        out[name] = {"median": median, "min": samples[0], "max": samples[-1], "times": samples}
    return out


def bench_size(corpus, n, work, runs, baseline, interleave=False):
    src = os.path.join(work, f"src-{n}")
    shutil.rmtree(src, ignore_errors=True)
    chapters = generate(corpus, n, src)
    nb_out, hugo_out = os.path.join(work, f"out-{n}-nianbao"), os.path.join(work, f"out-{n}-hugo")
    base_out = os.path.join(work, f"out-{n}-baseline")
    nb_cmd = [NIANBAO, "build", "--root", os.path.join(src, "nianbao"), "--output", nb_out]
    hugo_cmd = ["hugo", "--quiet", "--source", os.path.join(src, "hugo"), "--destination", hugo_out]
    commands = [("nianbao", " ".join(nb_cmd)), ("hugo", " ".join(hugo_cmd))]
    base_cmd = baseline and [baseline, "build", "--root", os.path.join(src, "nianbao"), "--output", base_out]
    if base_cmd:
        commands.append(("baseline", " ".join(base_cmd)))
    timer = hyperfine_interleaved if interleave else hyperfine
    results = timer(commands, f"rm -rf {nb_out} {hugo_out} {base_out}", runs,
                    os.path.join(work, f"hyperfine-{n}.json"))
    for out in (nb_out, hugo_out, base_out):
        shutil.rmtree(out, ignore_errors=True)
    memory = {"nianbao": peak_kb(nb_cmd), "hugo": peak_kb(hugo_cmd)}
    if base_cmd:
        memory["baseline"] = peak_kb(base_cmd)
        shutil.rmtree(base_out, ignore_errors=True)
    # Every page was produced: nianbao renders a page per chapter and language
    # plus the covers and the whole-report pages (every section again);
    # Hugo a page per section, a list per chapter, and homes.
    nb_pages, hugo_pages = count(nb_out, name="index.html"), count(hugo_out, suffix=".html")
    want_nb, want_hugo_min = 2 * (chapters + 2), 2 * (n + chapters + 1)
    assert nb_pages == want_nb, f"nianbao produced {nb_pages} pages, expected {want_nb}"
    assert hugo_pages >= want_hugo_min, f"hugo produced {hugo_pages} pages, expected at least {want_hugo_min}"
    charts = count(os.path.join(nb_out, "charts"), suffix=".svg")
    assert charts == 2 * chapters, f"nianbao drew {charts} charts, expected {2 * chapters}"
    shutil.rmtree(src, ignore_errors=True)
    row = {
        "sections": n, "chapters": chapters,
        "nianbao": results["nianbao"]["median"], "hugo": results["hugo"]["median"],
        "nianbao_mem": memory["nianbao"], "hugo_mem": memory["hugo"],
        "nianbao_pages": nb_pages, "hugo_pages": hugo_pages, "charts": charts,
    }
    if base_cmd:
        row.update(baseline=results["baseline"]["median"], baseline_mem=memory["baseline"])
    return row


def bench_2020(work, runs):
    out = os.path.join(work, "out-2020")
    results = hyperfine([("nianbao-2020", f"{NIANBAO} build --root {ROOT} --output {out}")],
                        f"rm -rf {out}", max(runs, 20), os.path.join(work, "hyperfine-2020.json"))
    r = results["nianbao-2020"]
    return {"median": r["median"], "min": r["min"], "max": r["max"]}


def machine():
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    hugo = sh(["hugo", "version"]).stdout.split()[1]
    nianbao = sh([NIANBAO, "--version"]).stdout.strip()
    return f"{os.cpu_count()} cores, {cpu}; {platform.system()} {platform.release()}; {nianbao}; Hugo {hugo}"


def table(rows):
    """The results table; with a baseline, its wall time and memory beside."""
    base = all("baseline" in r for r in rows)
    head = "| sections per language | nianbao wall | Hugo wall | ratio nianbao/Hugo | nianbao peak RSS | Hugo peak RSS | memory ratio |"
    rule = "| --- | --- | --- | --- | --- | --- | --- |"
    if base:
        head += " baseline wall | baseline peak RSS |"
        rule += " --- | --- |"
    lines = [head, rule]
    for r in rows:
        line = (f"| {r['sections']:,} | {r['nianbao'] * 1000:.0f} ms | {r['hugo'] * 1000:.0f} ms | "
                f"{r['nianbao'] / r['hugo']:.2f}× | {mib(r['nianbao_mem'])} | "
                f"{mib(r['hugo_mem'])} | {r['nianbao_mem'] / r['hugo_mem']:.2f}× |")
        if base:
            line += f" {r['baseline'] * 1000:.0f} ms | {mib(r['baseline_mem'])} |"
        lines.append(line)
    lines += ["", "Pages checked: " + "; ".join(
        f"{r['sections']:,}: nianbao {r['nianbao_pages']} pages + {r['charts']} charts, Hugo {r['hugo_pages']} pages"
        for r in rows)]
    sizes = {r["sections"]: r for r in rows}
    if 1200 in sizes and 12000 in sizes:
        lines += ["", f"Scaling: nianbao 12,000 / 1,200 = {sizes[12000]['nianbao'] / sizes[1200]['nianbao']:.1f}× "
                      f"(linear would be 10×); Hugo {sizes[12000]['hugo'] / sizes[1200]['hugo']:.1f}×."]
    return lines


def mib(kb):
    return f"{kb / 1024:.0f} MiB"


def write_results(rows, report_2020, info):
    lines = [
        "# Benchmark results",
        "",
        "Produced by `python3 bench/run.py` (see its docstring). Synthetic bilingual report from",
        "`bench/gen.py`: 6 sections a chapter, ~400 CJK characters or ~250 English words a section,",
        "lists, tables, links; nianbao also formats a metric per section and draws one chart per",
        "chapter and language, Hugo none. Sources and outputs on tmpfs; every run from an empty",
        "output folder; wall time is the hyperfine median.",
        "",
        f"Machine: {info}",
        "",
    ] + table(rows)
    if report_2020:
        lines += ["", f"The 2020 report (`content/`), full release build: median "
                      f"{report_2020['median'] * 1000:.1f} ms (min {report_2020['min'] * 1000:.1f}, max {report_2020['max'] * 1000:.1f})."]
    path = os.path.join(ROOT, "bench", "RESULTS.md")
    notes = ""
    if os.path.exists(path):
        with open(path) as f:
            text = f.read()
        if "\n## " in text:
            notes = text[text.index("\n## "):]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n" + notes)
    print("\n".join(lines))


CORPUS_HEADING = "## The project corpus (`bench/gen_corpus.py`)"


def write_corpus_results(rows, info, baseline, interleave):
    """Puts the gen_corpus table in its own section of RESULTS.md, replacing
    the one there, so the gen.py figures above stay as they are."""
    lines = [
        CORPUS_HEADING,
        "",
        "Produced by `python3 bench/run.py --corpus gen_corpus` (see its docstring): every",
        "section has a table, lists and links, every chapter a chart; nianbao builds the",
        "`nianbao` layout, Hugo the `hugo` layout of the same text. Wall time is the hyperfine",
        "median, peak RSS from `/usr/bin/time -v`, Hugo and nianbao in the same run.",
    ]
    if interleave:
        lines += ["With `--interleave`: the commands took turns, one run each per round, so load",
                  "from other work on the machine weighs on each alike."]
    if baseline:
        lines += [f"The baseline columns are `{os.path.basename(baseline)}`, measured in the same run."]
    lines += ["", f"Machine: {info}", ""] + table(rows) + [""]
    path = os.path.join(ROOT, "bench", "RESULTS.md")
    with open(path) as f:
        text = f.read()
    section = "\n".join(lines)
    if CORPUS_HEADING in text:
        start = text.index(CORPUS_HEADING)
        end = text.find("\n## ", start + len(CORPUS_HEADING))
        rest = text[end + 1:] if end >= 0 else ""
        text = text[:start] + section + ("\n" + rest if rest else "")
    else:
        at = text.find("\n## ")
        at = at + 1 if at >= 0 else len(text)
        text = text[:at] + section + "\n" + text[at:]
    with open(path, "w") as f:
        f.write(text)
    print(section)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[120, 1200, 12000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", default="/dev/shm/nianbao-bench")
    parser.add_argument("--corpus", choices=["gen", "gen_corpus"], default="gen",
                        help="gen: bench/gen.py (default); gen_corpus: bench/gen_corpus.py")
    parser.add_argument("--baseline", help="another nianbao binary to measure in the same run")
    parser.add_argument("--interleave", action="store_true",
                        help="the commands take turns, one run each per round (for a shared machine)")
    args = parser.parse_args()
    ensure_tools()
    os.makedirs(args.work, exist_ok=True)
    rows = [bench_size(args.corpus, n, args.work, args.runs, args.baseline, args.interleave) for n in args.sizes]
    if args.corpus == "gen":
        write_results(rows, bench_2020(args.work, args.runs), machine())
    else:
        write_corpus_results(rows, machine(), args.baseline, args.interleave)
    shutil.rmtree(args.work, ignore_errors=True)


if __name__ == "__main__":
    main()
