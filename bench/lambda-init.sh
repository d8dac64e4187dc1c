#!/usr/bin/env bash
# Lambda cold start (issue "Structure"): init + first invocation of both Lambdas' deployment jars, each in a fresh
# JVM as Lambda runs it, against the same jars built from an older commit (default 7d6c721), measured in the same
# run in paired, interleaved rounds. Writes bench/results/45-lambda-init.md and prints the RESULT lines.
#
# What is timed: from the handler's construction (Lambda's init: `new NotifiedHandler()` / `new CheckerHandler()`)
# to the first invocation returned — a notice of $LAMBDA_INIT_KEYS keys recorded, or POST /reconcile of as many keys
# answered — against a local redis-server. Both jars are run by the same probes (NotifiedInitProbe,
# CheckerInitProbe from the test trees, compiled here against the Lambda library only), with the template's
# JAVA_TOOL_OPTIONS. Also reported: JVM start to the same point, and the JVM's CPU time.
#
# Builds with `mvn -o package` only (never install). Tune with LAMBDA_INIT_BASE (commit), LAMBDA_INIT_ROUNDS (≥ 7),
# LAMBDA_INIT_KEYS; LAMBDA_INIT_SKIP_BUILD=1 reuses this tree's jars as they are.
set -euo pipefail
cd "$(dirname "$0")/.."
MVN=${MVN:-mvn}
base=${LAMBDA_INIT_BASE:-7d6c721}
rounds=${LAMBDA_INIT_ROUNDS:-7}
keys=${LAMBDA_INIT_KEYS:-2000}
base_sha=$(git rev-parse --short "$base^{commit}")
head_sha=$(git describe --always --dirty --abbrev=7)
work=target/lambda-init
mkdir -p bench/results "$work"

if [ "${LAMBDA_INIT_SKIP_BUILD:-0}" != 1 ]; then
  echo "bench: building notified-lambda and checker-lambda of this tree …" >&2
  $MVN -B -q -ntp -o package -DskipTests -pl notified-lambda,checker-lambda -am >&2
fi
# The baseline: the same two jars from $base, built once in a tree of their own (kept for later runs).
base_dir="$work/base-$base_sha"
if [ ! -f "$base_dir/notified-lambda/target/notified-lambda.jar" ] || [ ! -f "$base_dir/checker-lambda/target/checker-lambda.jar" ]; then
  echo "bench: building the baseline jars from $base_sha …" >&2
  rm -rf "$base_dir" && mkdir -p "$base_dir"
  git archive "$base_sha" | tar -x -C "$base_dir"
  # Not offline: the old tree needs artifacts this one no longer uses, absent on a fresh machine.
  (cd "$base_dir" && $MVN -B -q -ntp package -DskipTests -pl notified-lambda,checker-lambda -am) >&2
fi
old_notified="$base_dir/notified-lambda/target/notified-lambda.jar"
old_checker="$base_dir/checker-lambda/target/checker-lambda.jar"
new_notified=notified-lambda/target/notified-lambda.jar
new_checker=checker-lambda/target/checker-lambda.jar

# The probes use only the Lambda library (in both jars): compiled once, run against either jar.
rm -rf "$work/probes" && mkdir -p "$work/probes/notified" "$work/probes/checker"
javac --release 17 -nowarn -cp "$new_notified" -d "$work/probes/notified" notified-lambda/src/test/java/io/streamwreck/notified/NotifiedInitProbe.java
javac --release 17 -nowarn -cp "$new_checker" -d "$work/probes/checker" checker-lambda/src/test/java/io/streamwreck/checker/CheckerInitProbe.java

# A private Redis for the run.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no >"$work/redis.log" 2>&1 &
redis_pid=$!
trap 'kill "$redis_pid" 2>/dev/null || true' EXIT
for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done

# The functions' environment on Lambda (template.yaml), pointed at the local Redis.
tool_options=$(sed -n 's/^ *JAVA_TOOL_OPTIONS: *"\(.*\)"$/\1/p' cfn/template.yaml)
export JAVA_TOOL_OPTIONS="$tool_options"
export REDIS_URL="redis://127.0.0.1:$port" LEDGER_TTL=2h APP_NAME=billing STREAM_NAME=lambda-init-seed
export AWS_LAMBDA_FUNCTION_NAME=lambda-init-probe AWS_LAMBDA_INITIALIZATION_TYPE=on-demand
export POWERTOOLS_SERVICE_NAME=notified-lambda POWERTOOLS_METRICS_NAMESPACE=streamwreck
unset AWS_EMF_ENVIRONMENT

# probe KIND JAR STREAM → "init_ms jvm_ms cpu_ms"
probe() {
  local kind=$1 jar=$2 stream=$3 class dir
  if [ "$kind" = notified ]; then class=io.streamwreck.notified.NotifiedInitProbe; else class=io.streamwreck.checker.CheckerInitProbe; fi
  dir="$work/probes/$kind"
  if ! java -cp "$jar:$dir" "$class" "$stream" "$keys" >"$work/probe.out" 2>"$work/probe.err"; then
    echo "bench: the $kind probe failed on $jar:" >&2; cat "$work/probe.err" >&2; exit 2
  fi
  awk -F= '/^init_ms=/{i=$2} /^jvm_ms=/{j=$2} /^cpu_ms=/{c=$2} END{print i, j, c}' "$work/probe.err"
}

# The checker asks for keys the ledger holds: one notice recorded first (by this tree's function).
probe notified "$new_notified" lambda-init-seed >/dev/null
samples="$work/samples.txt"
: >"$samples"
echo "bench: $rounds rounds, old ($base_sha) and new ($head_sha) alternating which goes first …" >&2
for r in $(seq "$rounds"); do
  if [ $((r % 2)) = 1 ]; then order="old new"; else order="new old"; fi
  for side in $order; do
    if [ "$side" = old ]; then nj=$old_notified; cj=$old_checker; else nj=$new_notified; cj=$new_checker; fi
    echo "notified $r $side $(probe notified "$nj" "lambda-init-$r-$side-$RANDOM")" >>"$samples"
    echo "checker $r $side $(probe checker "$cj" lambda-init-seed)" >>"$samples"
  done
  echo "bench: round $r/$rounds done" >&2
done

# What each jar loads (not timed): one more run per function and side with -Xlog:class+load, counted by library.
classes() {
  local kind=$1 jar=$2 stream=$3 side=$4 class
  if [ "$kind" = notified ]; then class=io.streamwreck.notified.NotifiedInitProbe; else class=io.streamwreck.checker.CheckerInitProbe; fi
  java -Xlog:class+load=info:file="$work/classes-$kind-$side.log" -cp "$jar:$work/probes/$kind" "$class" "$stream" "$keys" \
    >/dev/null 2>&1 || { echo "bench: the $kind probe failed with -Xlog:class+load" >&2; exit 2; }
}
classes notified "$old_notified" "lambda-init-classes-old-$RANDOM" old
classes notified "$new_notified" "lambda-init-classes-new-$RANDOM" new
classes checker "$old_checker" lambda-init-seed old
classes checker "$new_checker" lambda-init-seed new
class_table=$(python3 - "$work" <<'PY'
import sys, collections
groups = [("Log4j2 + Powertools", ("org.apache.logging.", "software.amazon.lambda.")), ("EMF library", ("software.amazon.cloudwatchlogs.",)),
          ("Jackson", ("com.fasterxml.",)), ("lettuce", ("io.lettuce.",)), ("netty", ("io.netty.",)), ("reactor", ("reactor.",)),
          ("JDK XML", ("com.sun.org.apache.", "javax.xml.", "jdk.xml.", "org.w3c.", "org.xml.")), ("JFR", ("jdk.jfr.",))]
print("| function, side | classes loaded | from the JDK's CDS archive | " + " | ".join(g for g, _ in groups) + " |")
print("|---|---:|---:|" + "---:|" * len(groups))
for kind in ("notified", "checker"):
    for side in ("old", "new"):
        total = shared = 0
        counts = collections.Counter()
        for line in open(f"{sys.argv[1]}/classes-{kind}-{side}.log"):
            parts = line.split()
            if len(parts) < 2:
                continue
            total += 1
            if "shared objects file" in line:
                shared += 1
            for g, prefixes in groups:
                if parts[1].startswith(prefixes):
                    counts[g] += 1
        print(f"| {kind}-lambda, {'baseline' if side == 'old' else 'new'} | {total} | {shared} | " + " | ".join(str(counts[g]) for g, _ in groups) + " |")
PY
)

summary=$(python3 - "$samples" "$rounds" <<'PY'
import sys, statistics as st
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
rounds = int(sys.argv[2])
out = []
table = ["| function | baseline median ms | new median ms | ratio median (min–max) | JVM start → done, ms: baseline / new | CPU ms: baseline / new |",
         "|---|---:|---:|---:|---:|---:|"]
for fn in ("notified", "checker"):
    data = {}
    for kind, r, side, init, jvm, cpu in rows:
        if kind == fn:
            data.setdefault(int(r), {})[side] = (float(init), float(jvm), float(cpu))
    ratios = [d["new"][0] / d["old"][0] for d in data.values()]
    old = [d["old"] for d in data.values()]
    new = [d["new"] for d in data.values()]
    med = lambda xs, i: st.median(x[i] for x in xs)
    ratio = st.median(ratios)
    table.append(f"| {fn}-lambda | {med(old,0):.0f} | {med(new,0):.0f} | {ratio:.2f} ({min(ratios):.2f}–{max(ratios):.2f}) "
                 f"| {med(old,1):.0f} / {med(new,1):.0f} | {med(old,2):.0f} / {med(new,2):.0f} |")
    out.append(f"RESULT {fn}-init ms={med(new,0):.0f} baseline_ms={med(old,0):.0f} ratio={ratio:.2f} "
               f"ratio_min={min(ratios):.2f} ratio_max={max(ratios):.2f} rounds={len(ratios)} target=0.6")
print("\n".join(table))
print()
print("Per round (init ms, old / new):")
print()
for fn in ("notified", "checker"):
    per = {}
    for kind, r, side, init, jvm, cpu in rows:
        if kind == fn:
            per.setdefault(int(r), {})[side] = float(init)
    print(f"- {fn}: " + ", ".join(f"{per[r]['old']:.0f} / {per[r]['new']:.0f}" for r in sorted(per)))
print()
print("\n".join(out))
PY
)
load=$(cut -d' ' -f1-3 /proc/loadavg)
{
  echo "## Lambda cold start: init + first invocation (issue \"Structure\")"
  echo
  echo "Each function's deployment jar in a fresh JVM, as Lambda runs it (\`JAVA_TOOL_OPTIONS=$tool_options\`,"
  echo "the template's), timed from the handler's construction (Lambda's init) to its first invocation returned:"
  echo "a notice of $keys keys recorded (notified), \`POST /reconcile\` of $keys qualified keys answered (checker),"
  echo "against a local \`redis-server\`. Baseline: the same jars built from $base_sha, in the same run; $rounds paired"
  echo "rounds, alternating which jar goes first. Ratio = new / baseline per round; the median is reported with"
  echo "min and max. Target: ratio ≤ 0.6. With SnapStart (template.yaml) AWS restores a primed snapshot instead."
  echo
  echo "Command: \`bench/lambda-init.sh\` (LAMBDA_INIT_BASE=$base_sha, LAMBDA_INIT_ROUNDS=$rounds, LAMBDA_INIT_KEYS=$keys;"
  echo "this tree at $head_sha; machine load average $load at the end)"
  echo
  echo "$summary"
  echo
  echo "Classes loaded from JVM start to the first invocation returned (one more run of each jar with"
  echo "\`-Xlog:class+load\`, not timed), by library:"
  echo
  echo "$class_table"
} > bench/results/45-lambda-init.md
grep '^RESULT' bench/results/45-lambda-init.md
