#!/usr/bin/env bash
# The stream-checker benchmark (issue 7): records/s of a full scan (--redis) of a 4-shard stream holding 200,000
# records against a raw GetRecords loop over the same shards, same run. Writes bench/results/70-stream-checker.md
# and prints the RESULT line. The benchmark lives in stream-checker's test sources (it starts the local stack), so
# it is built here and run on the module's test classpath. Tune with SCAN_RECORDS, SCAN_SHARDS, SCAN_ROUNDS, SCAN_PLAIN_RECORDS.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
records=${SCAN_RECORDS:-200000}
shards=${SCAN_SHARDS:-4}
rounds=${SCAN_ROUNDS:-7}
plain=${SCAN_PLAIN_RECORDS:-40000}
mkdir -p bench/results
cp=$(bench_classpath stream-checker)
# The command's own logging setup (warnings only, on stderr), not the tests' chattier one.
jvm="-Xms1g -Xmx2g -Dlogback.configurationFile=src/main/resources/logback.xml"
cmd="java $jvm -cp <stream-checker test classpath> io.streamwreck.streamchecker.StreamCheckerBenchmark $records $shards $rounds $plain"
echo "bench: stream-checker scan ($records records in $shards shards, $rounds rounds) …" >&2
state=$(machine_state)
body=$(cd stream-checker && bench_java $jvm -cp "$cp" io.streamwreck.streamchecker.StreamCheckerBenchmark "$records" "$shards" "$rounds" "$plain")
{
  echo "## stream-checker: a full scan against a raw GetRecords loop (issue 7)"
  echo
  echo "Records per second of \`stream-checker.jar\`'s whole scan — list the shards, read every one from"
  echo "TRIM_HORIZON within Kinesis' per-shard call rate, key every record (KPL check included), classify the keys"
  echo "against the ledger while reading goes on, write the report — against the simplest loop that only reads the same"
  echo "shards with the same client, same run. Target: ratio ≥ 0.9. Both sides are bound by kinesis-local, a single"
  echo "Node.js process that serves GetRecords at roughly 10,000 records/s on this machine: the ratio shows what the"
  echo "scan adds on top of reading, not how fast Kinesis itself is (AWS serves 2 MB/s per shard)."
  echo
  echo "Command: \`bench/stream-checker.sh\` (runs \`$cmd\`)"
  echo
  echo "$state"
  echo
  echo "$body"
} > bench/results/70-stream-checker.md
grep '^RESULT' bench/results/70-stream-checker.md >&2
