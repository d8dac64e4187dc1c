#!/usr/bin/env bash
# The ledger-lag benchmark (issue 19): from a handler completing a record to the ledger counting it, with the whole
# local system running (processor.jar fleet → SNS → SQS → notified Lambda → Redis) and the producer writing at a
# steady rate. Writes bench/results/64-ledger-lag.md. Tune with LAG_RATE, LAG_SECONDS, LAG_SHARDS, LAG_WORKERS.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
rate=${LAG_RATE:-1000}
seconds=${LAG_SECONDS:-60}
shards=${LAG_SHARDS:-4}
workers=${LAG_WORKERS:-2}
mkdir -p bench/results
bench_build_all # the system runs every part from its module's jar
cp=$(bench_classpath system-tests)
cmd="java -Xmx1g -cp <system-tests test classpath> io.streamwreck.systemtests.LedgerLagBenchmark $rate $seconds $shards $workers"
echo "bench: ledger-lag ($rate records/s for $seconds s, $shards shards, $workers workers) …" >&2
state=$(machine_state)
body=$(cd system-tests && bench_java -Xmx1g -cp "$cp" io.streamwreck.systemtests.LedgerLagBenchmark "$rate" "$seconds" "$shards" "$workers")
{
  echo "## Ledger lag: from the handler completing a record to the ledger counting it (issue 19)"
  echo
  echo "The whole local system (\`LocalSystem\`, as \`make up\` runs it): a fleet of processor.jar workers with the default"
  echo "\`--publish-linger\` 500 ms, notices to SNS (moto), the SNS → SQS → notified-Lambda runtime, the ledger in Redis;"
  echo "the producer writes at a steady rate. The workers' audit logs say when each record was completed (written before"
  echo "its notice is sent); a sampler tails them and asks the ledger about every completed record not yet counted, one"
  echo "classify call per pass, until it is processed. Lag = when the ledger first answered processed − when the handler"
  echo "completed it (an upper bound: the sampler's pass is in it). Target: p99 ≤ the publish linger + 1 s."
  echo "The floor is the linger itself: a notice waits up to 500 ms for others to share its SNS call, so the ratio to"
  echo "report is p99 against that target (\`p99_vs_target\`, ≤ 1 meets it)."
  echo
  echo "Command: \`bench/ledger-lag.sh\` (runs \`$cmd\`)"
  echo
  echo "$state"
  echo
  echo "$body"
} > bench/results/64-ledger-lag.md
grep '^RESULT' bench/results/64-ledger-lag.md >&2
