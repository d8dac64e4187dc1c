#!/usr/bin/env bash
# The ledger benchmark (issue 3): memory per record, lookup rate vs raw HMGET, record rate, on kinesis-local's
# sequence numbers. Writes bench/results/20-ledger.md. Tune with LEDGER_RECORDS, LEDGER_ROUNDS (bench/lib.sh: BENCH_PIN).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
records=${LEDGER_RECORDS:-1000000}
rounds=${LEDGER_ROUNDS:-7}
mkdir -p bench/results
cp=$(bench_classpath ledger)
cmd="java -Xmx4g -cp <ledger test classpath> io.streamwreck.ledger.LedgerBenchmark $records 4 $rounds"
echo "bench: ledger ($records records, $rounds rounds) …" >&2
state=$(machine_state)
body=$(cd ledger && bench_java -Xmx4g -cp "$cp" io.streamwreck.ledger.LedgerBenchmark "$records" 4 "$rounds")
{
  echo "## Ledger (issue 3)"
  echo
  echo "Memory: INFO used_memory growth per record after recording the records through \`RedisLedger.record\`"
  echo "(counts, delivered ranges, notice ids, shard index — everything), on a fresh Redis. Sequence numbers: real"
  echo "kinesis-local numbers captured at each write rate, and the ${records} from the model fitted to them (the"
  echo "\"fit\" column: how many captured numbers the model reproduces exactly). Notices hold what KCL hands over"
  echo "per 1 s poll at that rate. Lookups: \`classify(scope, shardId, batch)\` on batches of one shard in stream order"
  echo "(what the stream-checker sends) against raw pipelined HMGET on the same buckets and fields, precomputed (a client"
  echo "that does no work per key), same batches, same run: one warm-up round, then $rounds paired rounds; within a round"
  echo "the two sides take turns on slices of 50,000 keys (the first alternating from slice to slice and round to round),"
  echo "and each side's rate is all keys over the sum of its slices' times. The ratio is the median of the rounds' ratios,"
  echo "with min and max. Slices rather than a whole pass of a million keys per side (about 1 s each, as until issue"
  echo "15): at load ~11 whole passes let a slow spell land on one side, and one run's rounds ranged 0.39–1.52; slices"
  echo "spread a spell over both sides. CPU time per key: this JVM's (the calling thread's, and the rest: lettuce's event loop, GC, JIT)"
  echo "and Redis's, over all rounds. Recording: the median of $rounds passes on a flushed Redis, with min and max."
  echo
  echo "Command: \`bench/ledger.sh\` (runs \`$cmd\`)"
  echo
  echo "$state"
  echo
  echo "$body"
} > bench/results/20-ledger.md
grep '^RESULT' bench/results/20-ledger.md >&2
