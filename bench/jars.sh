#!/usr/bin/env bash
# Jar sizes (issue "Structure"): every deployable jar of this tree against the same jars built from an older commit
# (default 7d6c721, before the ledger module and the jar diet), so the comparison is made in one run. Writes
# bench/results/05-jar-sizes.md and prints the RESULT lines. Tune with JARS_BASE (commit).
# Builds with `mvn -o package` only (never install); the baseline tree is kept under target/jar-sizes/.
set -euo pipefail
cd "$(dirname "$0")/.."
MVN=${MVN:-mvn}
base=${JARS_BASE:-7d6c721}
base_sha=$(git rev-parse --short "$base^{commit}")
head_sha=$(git describe --always --dirty --abbrev=7)
jars=(processor producer stream-checker notified-lambda checker-lambda local)
mkdir -p bench/results target/jar-sizes

if [ "${BENCH_BUILT:-0}" != 1 ]; then
  echo "bench: building this tree's jars …" >&2
  $MVN -B -q -ntp -o package -DskipTests >&2
fi
base_dir="target/jar-sizes/base-$base_sha"
if [ ! -f "$base_dir/processor/target/processor.jar" ]; then
  echo "bench: building the jars of $base_sha …" >&2
  rm -rf "$base_dir" && mkdir -p "$base_dir"
  git archive "$base_sha" | tar -x -C "$base_dir"
  # Not offline: the old tree needs artifacts this one no longer uses (the Glue chain), absent on a fresh machine.
  (cd "$base_dir" && $MVN -B -q -ntp package -DskipTests) >&2
fi

size() { stat -c %s "$1"; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
{
  echo "## Jar sizes (issue \"Structure\")"
  echo
  echo "Each deployable jar of this tree ($head_sha) against the same jar built from $base_sha in this run. What"
  echo "changed: the ledger (lettuce, reactor) left \`core\` for its own module, so the producer and the processor no"
  echo "longer carry it; KCL's Glue Schema Registry chain (kafka-clients, kotlin, the wire compiler, scala, avro, the"
  echo "Glue and STS clients), which KCL needs only when a schema-registry deserializer is configured, is excluded;"
  echo "\`local\` no longer ships lettuce. Target: processor.jar ≤ 40 MB (the RESULT lines are in MiB)."
  echo
  echo "Command: \`bench/jars.sh\`"
  echo
  echo "| jar | $base_sha MiB | $head_sha MiB | ratio |"
  echo "|---|---:|---:|---:|"
  for j in "${jars[@]}"; do
    old=$(size "$base_dir/$j/target/$j.jar"); new=$(size "$j/target/$j.jar")
    echo "| $j.jar | $(mb "$old") | $(mb "$new") | $(awk -v a="$new" -v b="$old" 'BEGIN { printf "%.2f", a / b }') |"
  done
  echo
  for j in "${jars[@]}"; do
    old=$(size "$base_dir/$j/target/$j.jar"); new=$(size "$j/target/$j.jar")
    target=""; [ "$j" = processor ] && target=" target=40"
    echo "RESULT jar-$j mb=$(mb "$new") baseline_mb=$(mb "$old") ratio=$(awk -v a="$new" -v b="$old" 'BEGIN { printf "%.2f", a / b }')$target"
  done
} > bench/results/05-jar-sizes.md
grep '^RESULT' bench/results/05-jar-sizes.md >&2
