#!/usr/bin/env bash
# The ledger benchmark (issue 3): memory per record, lookup rate vs raw HMGET, record rate, on kinesis-local's
# sequence numbers. Writes bench/results/20-ledger.md. Run from the repository root after `make build`.
set -euo pipefail
cd "$(dirname "$0")/.."
records=${LEDGER_RECORDS:-1000000}
mkdir -p bench/results
mvn -q -B -ntp -pl ledger dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
cp="target/test-classes:target/classes:$(cat ledger/target/bench.classpath)"
cmd="java -Xmx4g -cp <ledger test classpath> io.streamwreck.ledger.LedgerBenchmark $records 4"
echo "bench: ledger ($records records) …" >&2
body=$(cd ledger && java -Xmx4g -cp "$cp" io.streamwreck.ledger.LedgerBenchmark "$records" 4)
{
  echo "## Ledger (issue 3)"
  echo
  echo "Memory: INFO used_memory growth per record after recording the records through \`RedisLedger.record\`"
  echo "(counts, delivered ranges, notice ids, shard index — everything), on a fresh Redis. Sequence numbers: real"
  echo "kinesis-local numbers captured at each write rate, and the ${records} from the model fitted to them (the"
  echo "\"fit\" column: how many captured numbers the model reproduces exactly). Notices hold what KCL hands over"
  echo "per 1 s poll at that rate. Lookups: \`classify\` on batches taken in shard order (what the stream-checker"
  echo "sends) against raw pipelined HMGET on the same buckets and fields, same batches, same run (best of 6"
  echo "rounds after a warm-up round, the two sides alternating which goes first)."
  echo
  echo "Command: \`bench/ledger.sh\` (runs \`$cmd\`)"
  echo
  echo "$body"
} > bench/results/20-ledger.md
grep '^RESULT' bench/results/20-ledger.md >&2
