#!/usr/bin/env bash
# Long fuzzing run: arbitrary Markdown, front matter and YAML through every
# stage of nianbao (tests/fuzz.rs), in release mode. Any panic fails the run
# and proptest prints the smallest input that causes it.
#
#   tests/fuzz.sh            # 100000 cases per in-memory target
#   FUZZ_CASES=1000000 tests/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cases="${FUZZ_CASES:-100000}"
pipeline=$((cases / 20))
echo "fuzzing: $cases Markdown renders, $cases x 3 YAML parses, $pipeline whole-pipeline runs (check + render)"
start=$(date +%s)
FUZZ_CASES="$cases" cargo test --release --test testsuite fuzz:: -- --test-threads 2
end=$(date +%s)
echo "fuzzing done in $((end - start)) s: $((cases * 4 + pipeline * 2)) executions, 0 panics"
