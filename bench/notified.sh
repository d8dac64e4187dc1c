#!/usr/bin/env bash
# The notified-lambda benchmark (issue 5): keys/s through NotifiedHandler against RedisLedger.record in the same
# run (cold start: bench/lambda-init.sh). Writes bench/results/50-notified.md. Run from the repository root
# (bench/lib.sh builds the module, its deployment jar included, in the reactor).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
notices=${NOTIFIED_NOTICES:-100}
mkdir -p bench/results
cp=$(bench_classpath notified-lambda)
cmd="java -cp <notified-lambda test classpath> io.streamwreck.notified.NotifiedBenchmark <report> $notices"
echo "bench: notified-lambda ($notices notices of 2,000 keys per round) …" >&2
body=$(mktemp)
trap 'rm -f "$body"' EXIT
# The function's JSON logs and EMF documents go to standard output: keep them out of the report.
state=$(machine_state)
(cd notified-lambda && bench_java -Xmx2g -cp "$cp" io.streamwreck.notified.NotifiedBenchmark "$body" "$notices" \
  > target/notified-bench-function-output.log)
{
  echo "## notified-lambda (issue 5)"
  echo
  echo "Throughput: keys recorded per second through \`NotifiedHandler.handleRequest\` — one SNS record per"
  echo "invocation, as SNS delivers to Lambda, each a notice of 2,000 keys: decoding and validating the notice,"
  echo "recording it and writing the EMF document — against \`RedisLedger.record\` called directly with"
  echo "the same kind of notices already decoded, on the same Redis in the same run. Target: ratio ≥ 0.8 (the median"
  echo "of the paired rounds' ratios, with min and max)."
  echo
  echo "Command: \`bench/notified.sh\` (runs \`$cmd\`)"
  echo
  echo "$state"
  echo
  cat "$body"
} > bench/results/50-notified.md
grep '^RESULT' bench/results/50-notified.md >&2
