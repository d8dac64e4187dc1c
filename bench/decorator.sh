#!/usr/bin/env bash
# The decorator benchmark (issue 19): records/s of a usual KCL application wrapped by GatedProcessorFactory.wrap
# (notices to SNS, gated checkpoints) against the same application unwrapped, same stream, same run. Writes
# bench/results/62-decorator.md. Tune with DECORATOR_RECORDS, DECORATOR_SHARDS, DECORATOR_ROUNDS.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
records=${DECORATOR_RECORDS:-200000}
shards=${DECORATOR_SHARDS:-4}
rounds=${DECORATOR_ROUNDS:-7}
mkdir -p bench/results
cp=$(bench_classpath processor)
jvm="-Xms1g -Xmx2g"
cmd="java $jvm -cp <processor test classpath> io.streamwreck.processor.DecoratorBenchmark $records $shards $rounds"
echo "bench: decorator ($records records, $shards shards, $rounds rounds) …" >&2
state=$(machine_state)
body=$(cd processor && bench_java $jvm -Dlogback.configurationFile=src/main/resources/logback.xml -cp "$cp" \
  io.streamwreck.processor.DecoratorBenchmark "$records" "$shards" "$rounds")
{
  echo "## Decorator: the cost of reconciling an existing KCL application (issue 19)"
  echo
  echo "A KCL 2.x application written the usual way (its own \`ShardRecordProcessor\`, checkpointing itself every 1,000"
  echo "records; in-process Scheduler, polling) reads a full stream from TRIM_HORIZON, once as it is and once wrapped by"
  echo "the one line \`GatedProcessorFactory.wrap(…)\` (notices to SNS on moto in PublishBatch calls, 500 ms linger, each"
  echo "checkpoint held until the notices up to it are published). Each round is a new application (a new lease table),"
  echo "so each reads the same data. Records/s = records ÷ the time from the Scheduler's start (KCL start-up included,"
  echo "the same in both) to the last record handled and, wrapped, every notice published. Target: ratio ≥ 0.9."
  echo
  echo "Command: \`bench/decorator.sh\` (runs \`$cmd\`)"
  echo
  echo "$state"
  echo
  echo "$body"
} > bench/results/62-decorator.md
grep '^RESULT' bench/results/62-decorator.md >&2
