#!/usr/bin/env bash
# The checker benchmark (issue 6): keys/s through HTTP POST /reconcile (10,000 keys per request) against
# RedisLedger.classify called directly, same run. Writes bench/results/40-checker.md and prints the RESULT line.
# The benchmark lives in checker-lambda's test sources (it starts the local stack), so it is built here and run
# on the module's test classpath. Tune with CHECKER_RECORDS, CHECKER_KEYS_PER_REQUEST, CHECKER_ROUNDS.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
records=${CHECKER_RECORDS:-200000}
per_request=${CHECKER_KEYS_PER_REQUEST:-10000}
rounds=${CHECKER_ROUNDS:-9}
mkdir -p bench/results
cp=$(bench_classpath checker-lambda)
jvm="-Xms1g -Xmx2g"
cmd="java $jvm -cp <checker-lambda test classpath> io.streamwreck.checker.CheckerBenchmark $records 4 $per_request $rounds"
echo "bench: checker ($records records, $per_request keys per request) …" >&2
state=$(machine_state)
body=$(cd checker-lambda && bench_java $jvm -cp "$cp" io.streamwreck.checker.CheckerBenchmark "$records" 4 "$per_request" "$rounds")
{
  echo "## Checker: POST /reconcile over HTTP (issue 6)"
  echo
  echo "Keys per second through the whole HTTP path — client, the local API Gateway stand-in"
  echo "(\`ApiGatewayServer\`), the proxy event, \`CheckerHandler\` parsing and validating every key, the ledger,"
  echo "the JSON answer — against \`RedisLedger.classify\` called directly on the same keys, same run."
  echo "Target: ratio ≥ 0.5 at 10,000 keys per request."
  echo
  echo "Command: \`bench/checker.sh\` (runs \`$cmd\`)"
  echo
  echo "$state"
  echo
  echo "$body"
} > bench/results/40-checker.md
grep '^RESULT' bench/results/40-checker.md >&2
