# Sourced by bench/<name>.sh: what every benchmark script shares.
#   bench_classpath MODULE   build MODULE and what it needs in the reactor (no install: sibling modules come from
#                            their target/ directories, never from ~/.m2), print its test classpath (relative to MODULE)
#   bench_java ARGS…         run java; with BENCH_PIN=1 the benchmark JVM on CPU 1 and the servers it starts on CPU 0
#   machine_state            a Markdown paragraph: load average and the busiest processes right now
# bench/run builds the whole reactor once and exports BENCH_BUILT=1, so the scripts skip their own build.
MVN=${MVN:-mvn}
BENCH_MVN_FLAGS=${BENCH_MVN_FLAGS:--B -ntp -o -q}

# Builds every module (package, no tests) once per bench run, with each module's test class path: bench/run does it
# before the benchmarks, a benchmark that runs the whole system (its jars) when run alone.
bench_build_all() {
  if [ "${BENCH_BUILT:-0}" != 1 ]; then
    echo "bench: building every module in the reactor (package, no tests) …" >&2
    # shellcheck disable=SC2086
    $MVN $BENCH_MVN_FLAGS package -DskipTests dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
      -Dmdep.includeScope=test >&2
    export BENCH_BUILT=1
  fi
}

bench_classpath() {
  local module=$1
  if [ "${BENCH_BUILT:-0}" != 1 ]; then
    echo "bench: building $module (and what it needs) in the reactor …" >&2
    # shellcheck disable=SC2086
    $MVN $BENCH_MVN_FLAGS package -DskipTests -pl "$module" -am \
      dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >&2
  fi
  echo "target/test-classes:target/classes:$(cat "$module/target/bench.classpath")"
}

# Re-pins every process below $1 (the servers the benchmark JVM starts: Redis, kinesis-local, DynamoDB Local,
# moto) to CPU 0, all threads, until $1 exits.
_bench_pin_children() {
  local root=$1 pinned=" "
  while kill -0 "$root" 2>/dev/null; do
    local queue=("$root") pid kids
    while [ ${#queue[@]} -gt 0 ]; do
      pid=${queue[0]}; queue=("${queue[@]:1}")
      kids=$(pgrep -P "$pid" || true)
      for k in $kids; do
        queue+=("$k")
        case "$pinned" in *" $k "*) ;; *) taskset -a -p -c 0 "$k" >/dev/null 2>&1 && pinned+="$k " ;; esac
      done
    done
    sleep 0.5
  done
}

bench_java() {
  if [ "${BENCH_PIN:-0}" = 1 ] && command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
    taskset -c 1 java "$@" &
    local jvm=$!
    _bench_pin_children "$jvm" &
    local pinner=$!
    local status=0
    wait "$jvm" || status=$?
    kill "$pinner" 2>/dev/null || true
    wait "$pinner" 2>/dev/null || true
    return $status
  else
    java "$@"
  fi
}

# Where the shared machine stood when a benchmark began (other work on the 2 cores moves the figures).
machine_state() {
  local load top
  load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
  # top's second frame: CPU use over the last second (the first is since each process started).
  top=$(top -b -n 2 -d 1 -w 200 2>/dev/null | awk '/^top -/{frame++} frame==2 && /^ *[0-9]+ /{print}' \
        | sort -k9 -nr | head -5 | awk '{printf "%s%s %s%%", (NR>1?", ":""), $12, $9}')
  echo "Machine when this benchmark began: load average $load (1, 5, 15 min) on $(nproc) cores; busiest processes over 1 s:"
  echo "${top:-?}. Pinning: $([ "${BENCH_PIN:-0}" = 1 ] && echo 'benchmark JVM on CPU 1, the servers it starts on CPU 0 (BENCH_PIN=1)' || echo 'none (BENCH_PIN=0)')."
}
