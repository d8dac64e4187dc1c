#!/usr/bin/env bash
# The drift page (issue 20): `--format html` with 100,000 drifted keys against the same page with 1,000, both opened
# in headless Chromium (Debian's chromium, bin/deps), in paired interleaved rounds: file size and time until the first
# drawn frame is painted, and the filter's response. Writes bench/results/75-drift-page.md and prints the RESULT line.
# The benchmark lives in stream-checker's test sources. Tune with PAGE_KEYS, PAGE_BASELINE_KEYS, PAGE_ROUNDS.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
keys=${PAGE_KEYS:-100000}
baseline=${PAGE_BASELINE_KEYS:-1000}
rounds=${PAGE_ROUNDS:-7}
mkdir -p bench/results
cp=$(bench_classpath stream-checker)
jvm="-Xmx1g -Dlogback.configurationFile=src/main/resources/logback.xml"
cmd="java $jvm -cp <stream-checker test classpath> io.streamwreck.streamchecker.DriftPageBenchmark $keys $baseline $rounds"
echo "bench: drift page ($keys against $baseline drifted keys, $rounds rounds) …" >&2
state=$(machine_state)
body=$(cd stream-checker && bench_java $jvm -cp "$cp" io.streamwreck.streamchecker.DriftPageBenchmark "$keys" "$baseline" "$rounds")
{
  echo "## The drift page in headless Chromium: many drifted keys against few (issue 20)"
  echo
  echo "\`stream-checker --format html\` writes one self-contained page; its key list is drawn by the page's script from"
  echo "the embedded JSON report, 500 rows at a time, so every key is in the file once. Aim: ≤ 10 MB and ≤ 2 s to render"
  echo "with 100,000 drifted keys. Measured: the file's size, and the time from the start of the load (file URL, Debian's"
  echo "chromium, headless, one browser for every round) until the first frame with the drawn key list was painted — HTML"
  echo "parsed, the JSON parsed, the list built, its first page drawn — against the same page with ${baseline} keys, same"
  echo "run, paired interleaved rounds; the ratio is the median of the rounds' time ratios (how much longer the big page"
  echo "takes). One warm-up round is not kept."
  echo
  echo "Command: \`bench/drift-page.sh\` (runs \`$cmd\`)"
  echo
  echo "$state"
  echo
  echo "$body"
} > bench/results/75-drift-page.md
grep '^RESULT' bench/results/75-drift-page.md >&2
