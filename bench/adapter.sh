#!/usr/bin/env bash
# The adapter benchmark (RESULT adapter-throughput): lines from S3 objects to acknowledged Kinesis records through
# the adapter's pipeline (S3 → PostgreSQL staging → KinesisWriter, every key recorded), against KinesisWriter alone
# on the same lines, in one run. Writes bench/results/80-adapter.md and prints the RESULT line. The benchmark lives
# in adapter's test sources (it starts the local stack and its PostgreSQL). Tune with ADAPTER_BENCH_ARGS, e.g.
#   ADAPTER_BENCH_ARGS="--lines 20000 --files 4 --rounds 7 --shards 16 --calls 8" bench/adapter.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
mkdir -p bench/results

args=${ADAPTER_BENCH_ARGS:---lines 20000 --files 4 --rounds 7 --shards 16 --calls 8}
main=io.streamwreck.adapter.bench.AdapterBenchmark

cp=$(bench_classpath adapter)
echo "bench: adapter-throughput ($args) …" >&2
report=$(pwd)/adapter/target/bench-adapter.md
rm -f "$report"
state=$(machine_state)
# shellcheck disable=SC2086
(cd adapter && bench_java -Xmx1g -cp "$cp" $main $args --state-dir target/bench-stack --report "$report" >/dev/null)
result=$(grep '^RESULT adapter-throughput ' "$report")
table=$(grep -v '^RESULT ' "$report")

{
  echo "## Adapter: S3 log files to acknowledged Kinesis records"
  echo
  echo "Lines per second from S3 objects (half of them gzip) to acknowledged Kinesis records through the adapter's"
  echo "pipeline — register each object, stream it from moto's S3 into PostgreSQL in batches keyed (file, line), claim"
  echo "the lines (FOR UPDATE SKIP LOCKED), write them with KinesisWriter and record every key — against KinesisWriter"
  echo "alone writing the same lines with the same settings. The clock starts when the objects are registered (they"
  echo "are in S3 already, as a notification says) and stops when the last key is recorded. Each measurement gets a"
  echo "fresh stream of the same shape. Target (issue 16): at least 0.7. Paired, interleaved rounds; absolute figures"
  echo "are kinesis-local's, PostgreSQL's (fsync off) and moto's on this machine."
  echo
  echo "Command: \`bench/adapter.sh\` (runs \`$main $args\` on adapter's test classpath)"
  echo
  echo "$state"
  echo
  echo "$table"
  echo
  echo "$result target=0.7"
} > bench/results/80-adapter.md
echo "$result"
