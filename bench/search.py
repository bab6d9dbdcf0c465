#!/usr/bin/env python3
"""Reader search against its budgets (issue 19, SPEC "Reader search").

    python3 bench/search.py                       # 9 rounds, 1,200 sections
    python3 bench/search.py --runs 9 --sections 1200 --query-runs 5
    python3 bench/search.py --nianbao target/release/nianbao

1. Build time with the index and without it, on the same binary: the 2020
   report (content/) and the project corpus (bench/gen_corpus.py, layout
   `nianbao`, --sections per language), each copied twice, the second copy
   with `search: false` added to its report.yaml. The two builds take turns
   round after round (run.py's `hyperfine_interleaved`), output folders
   removed before each run; the medians and their ratio (budget: the index
   adds at most 20 %). Sources and outputs on tmpfs (/dev/shm).
2. Queries in headless Chromium on the built 2020 report
   (bench/search_query.mjs): per query, the kilobytes a first query
   downloads (index files and the result pages snippets are cut from;
   budget 300 KB) and the time from Enter to the results
   shown, and of that the time after the last index file arrived (budget
   100 ms); medians of --query-runs fresh browser contexts.

Prints Markdown tables; RESULTS.md is left alone (paste them there).
Needs hyperfine, /usr/bin/chromium and `npm ci --prefix tests/browser`;
builds the release binary unless --nianbao is given.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)

from run import hyperfine_interleaved  # noqa: E402

BUDGET_BUILD = 1.20
BUDGET_KB = 300
BUDGET_MS = 100


def copy_report(src_root, dest, search):
    """Copies the site at src_root (its content/ and themes/) to dest,
    with `search: false` added when search is off."""
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(dest)
    for sub in ("content", "themes"):
        if os.path.isdir(os.path.join(src_root, sub)):
            shutil.copytree(os.path.join(src_root, sub), os.path.join(dest, sub))
    if not search:
        with open(os.path.join(dest, "content", "report.yaml"), "a") as f:
            f.write("\nsearch: false\n")


def build_times(nianbao, name, src_root, work, runs):
    on, off = os.path.join(work, f"{name}-on"), os.path.join(work, f"{name}-off")
    copy_report(src_root, on, True)
    copy_report(src_root, off, False)
    outs = [os.path.join(work, f"{name}-on-out"), os.path.join(work, f"{name}-off-out")]
    commands = [
        ("search", f"{nianbao} build --root {on} --output {outs[0]}"),
        ("no search", f"{nianbao} build --root {off} --output {outs[1]}"),
    ]
    results = hyperfine_interleaved(commands, f"rm -rf {' '.join(outs)}", runs,
                                    os.path.join(work, f"hyperfine-{name}.json"))
    subprocess.run([nianbao, "build", "--root", on, "--output", outs[0]], check=True, capture_output=True)
    index_kb = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(os.path.join(outs[0], "search"))
                   for f in fs) / 1024
    files = sum(len(fs) for _, _, fs in os.walk(os.path.join(outs[0], "search")))
    return results["search"]["median"], results["no search"]["median"], index_kb, files, outs[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nianbao", help="a built nianbao binary (default: cargo build --release)")
    parser.add_argument("--runs", type=int, default=9, help="rounds of the build comparison")
    parser.add_argument("--sections", type=int, default=1200, help="sections per language of the corpus")
    parser.add_argument("--query-runs", type=int, default=5, help="fresh browser contexts per query")
    parser.add_argument("--work", default="/dev/shm/nianbao-search")
    args = parser.parse_args()

    if not shutil.which("hyperfine"):
        sys.exit("missing: hyperfine (apt-get install hyperfine)")
    nianbao = args.nianbao
    if not nianbao:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
        nianbao = os.path.join(ROOT, "target", "release", "nianbao")
    nianbao = os.path.abspath(nianbao)
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)

    corpus = os.path.join(args.work, "corpus")
    subprocess.run([sys.executable, os.path.join(BENCH, "gen_corpus.py"), str(args.sections), "nianbao", corpus],
                   check=True, capture_output=True)
    rows = []
    built_2020 = None
    for name, src in (("2020 report", ROOT), (f"corpus, {args.sections} sections", corpus)):
        on, off, kb, files, out = build_times(nianbao, name.split(",")[0].replace(" ", "-"), src, args.work, args.runs)
        if built_2020 is None:
            built_2020 = out
        ratio = on / off
        verdict = "meets" if ratio <= BUDGET_BUILD else "misses"
        rows.append(f"| {name} | {off * 1000:.0f} ms | {on * 1000:.0f} ms | {ratio:.2f}× | {kb:.0f} KB in {files} files "
                    f"| ≤ {BUDGET_BUILD:.2f}×: {verdict} |")

    query = subprocess.run(["node", os.path.join(BENCH, "search_query.mjs"), built_2020, str(args.query_runs)],
                           check=True, capture_output=True, text=True)
    queries = json.loads(query.stdout)["queries"]

    print(f"\nBuild time, median of {args.runs} rounds taking turns (same binary):\n")
    print("| site | without search | with search | ratio | index | budget |")
    print("| --- | --- | --- | --- | --- | --- |")
    print("\n".join(rows))
    print(f"\nQueries on the 2020 report, headless Chromium, loopback, median of {args.query_runs} "
          "fresh contexts (a first query each time):\n")
    print("| query | results | downloaded | Enter → results | after the last index file (max) | budget |")
    print("| --- | --- | --- | --- | --- | --- |")
    for q in queries:
        ok = q["kb"] <= BUDGET_KB and q["max_after_last_chunk_ms"] < BUDGET_MS
        print(f"| {q['query']} | {q['results']} | {q['kb']:.1f} KB | {q['total_ms']:.1f} ms "
              f"| {q['after_last_chunk_ms']:.1f} ms ({q['max_after_last_chunk_ms']:.1f}) "
              f"| ≤ {BUDGET_KB} KB, < {BUDGET_MS} ms: {'meets' if ok else 'misses'} |")
    shutil.rmtree(args.work, ignore_errors=True)


if __name__ == "__main__":
    main()
