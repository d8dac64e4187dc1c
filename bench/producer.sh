#!/usr/bin/env bash
# The producer benchmark (RESULT producer-put): KinesisWriter against a raw loop of 500-record PutRecords calls
# on kinesis-local, in one run. Writes bench/results/30-producer-put.md and prints the RESULT line.
# The benchmark lives in producer's test sources (it starts the local stack, which producer.jar does not ship),
# so it runs on the module's test classpath. Tune with PRODUCER_BENCH_ARGS, e.g.
#   PRODUCER_BENCH_ARGS="--records 20000 --rounds 7 --shards 32 --calls 8" bench/producer.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
mkdir -p bench/results

args=${PRODUCER_BENCH_ARGS:---records 20000 --rounds 7 --shards 32 --calls 8}
main=io.streamwreck.producer.bench.ProducerPutBenchmark

cp=$(bench_classpath producer)
echo "bench: producer-put ($args) …" >&2
report=$(pwd)/producer/target/bench-producer-put.md
rm -f "$report"
state=$(machine_state)
# It writes the table and the RESULT line to $report (progress on stderr).
# shellcheck disable=SC2086
(cd producer && bench_java -Xmx1g -cp "$cp" $main $args --state-dir target/bench-stack --report "$report" >/dev/null)
result=$(grep '^RESULT producer-put ' "$report")
table=$(grep -v '^RESULT ' "$report")

{
  echo "## Producer: KinesisWriter against raw PutRecords"
  echo
  echo "Records per second that \`KinesisWriter\` (write() for every record, then flush(); default settings except"
  echo "the calls in flight) gets into a kinesis-local stream, against a raw loop that sends the same records as"
  echo "pre-built 500-record PutRecords calls through the same client with the same number of calls in flight and"
  echo "no per-record bookkeeping. The ratio is what the writer's futures, routing, per-shard rate limit, batching and"
  echo "deadline machinery cost; target (issue 8): at least 0.9. kinesis-local enforces no per-shard limit and the"
  echo "writer's default limit (1000 records/s per shard, 90 % of it sustained) stays above what kinesis-local"
  echo "absorbs on a 32-shard stream, so the limiter runs on every record without binding. Each measurement gets a"
  echo "fresh stream of the same shape, because kinesis-local's PutRecords slows down as a shard fills (it hashes a"
  echo "shard's whole record list for every entry it adds), which would penalise whichever side wrote second into a"
  echo "shared stream. Each round measures both sides back to back, alternating which goes first; the ratio is the"
  echo "median of the rounds' ratios, with min and max. Absolute figures are kinesis-local's (one Node.js thread),"
  echo "not Kinesis's."
  echo
  echo "Command: \`bench/producer.sh\` (runs \`$main $args\` on producer's test classpath)"
  echo
  echo "$state"
  echo
  echo "$table"
  echo
  echo "$result target=0.9"
} > bench/results/30-producer-put.md
echo "$result"
