#!/usr/bin/env python3
"""Save-to-reload latency of `nianbao serve`.

Starts `nianbao serve --port 0` on a report folder, listens to the reload
event stream like a browser tab, then repeatedly rewrites one section file
and times from the write to the arrival of the reload event (which is sent
after the rebuild finishes). Prints min / median / p90 in milliseconds.

    python3 bench/serve_latency.py --root . --runs 30
    python3 bench/serve_latency.py --root /tmp/bench-12000/nianbao
    python3 bench/serve_latency.py --root /tmp/series-1200/series \
        --file content/2024/0100-chapter-99/01-section-0.zh.md

Without --file, the section file in the middle of content/*/ is edited.
bench/series.py imports `measure` to time an edit in a series.
"""
import argparse
import glob
import os
import socket
import statistics
import subprocess
import sys
import time


def start_server(binary, root):
    proc = subprocess.Popen([binary, "serve", "--port", "0", "--root", root],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline()
    if not line.startswith("serving at http://"):
        proc.kill()
        sys.exit(f"unexpected output from serve: {line!r}")
    host, port = line.split("http://", 1)[1].split("/", 1)[0].rsplit(":", 1)
    return proc, host, int(port)


def open_events(host, port):
    sock = socket.create_connection((host, port))
    sock.sendall(f"GET /__nianbao/events HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
    sock.settimeout(30)
    buf = b""
    while b"\r\n\r\n" not in buf:
        buf += sock.recv(4096)
    return sock


def wait_reload(sock):
    buf = b""
    while b"data: reload" not in buf:
        chunk = sock.recv(4096)
        if not chunk:
            sys.exit("event stream closed")
        buf += chunk


def middle_section(root):
    """The section file in the middle of content/*/ (a chapter's section)."""
    sections = sorted(glob.glob(os.path.join(root, "content", "*", "*.md")))
    sections = [s for s in sections if not os.path.basename(s).startswith("_index")]
    return sections[len(sections) // 2]


def measure(binary, root, target, runs):
    """Serves `root`, rewrites `target` `runs` times and returns the sorted
    save-to-reload times in milliseconds. The file is restored afterwards."""
    original = open(target, encoding="utf-8").read()
    proc, host, port = start_server(binary, root)
    samples = []
    sock = None
    try:
        sock = open_events(host, port)
        for run in range(runs):
            started = time.perf_counter()
            with open(target, "w", encoding="utf-8") as f:
                f.write(original + f"\n\nEdit {run}.\n")
            wait_reload(sock)
            samples.append((time.perf_counter() - started) * 1000)
            time.sleep(0.1)  # let the editor's burst settle, as between real saves
    finally:
        if sock:
            sock.close()
        with open(target, "w", encoding="utf-8") as f:
            f.write(original)
        proc.terminate()
        proc.wait()
    return sorted(samples)


def summary(samples):
    """(min, median, p90) of sorted samples."""
    p90 = samples[max(0, int(len(samples) * 0.9) - 1)]
    return samples[0], statistics.median(samples), p90


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", default=".")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--binary", default="target/release/nianbao")
    parser.add_argument("--file", help="the file to edit, relative to --root (default: a section in the middle)")
    args = parser.parse_args()
    target = os.path.join(args.root, args.file) if args.file else middle_section(args.root)
    samples = measure(args.binary, args.root, target, args.runs)
    low, median, p90 = summary(samples)
    print(f"{args.root}: edited {os.path.relpath(target, args.root)}, {args.runs} runs")
    print(f"save-to-reload ms: min {low:.1f}  median {median:.1f}  p90 {p90:.1f}")


if __name__ == "__main__":
    main()
