# Sourced by every scripts/bench-NAME: builds the benchmarks module and the modules it needs from this tree
# (nothing installed; SKIP_BUILD=1 reuses the last build), then runs one benchmark's main class in its own JVM.
# Every benchmark prints its figures beside a baseline measured in the same run; the load average at start and end
# says how busy the machine was.
. scripts/lib/java.sh
require_jdk21

BENCH_JAR=benchmarks/target/benchmarks-0.1.0-SNAPSHOT.jar

run_benchmark() { # heap main-class-in-dev.mtp.benchmarks args...
  local heap="$1" main="$2"
  shift 2
  if [[ "${SKIP_BUILD:-}" != "1" ]]; then
    echo "building the benchmarks module..." >&2
    mvn -B -q -ntp -pl benchmarks -am package -DskipTests >&2
  fi
  export LOG_LEVEL="${LOG_LEVEL:-WARN}" LOG_FORMAT="${LOG_FORMAT:-text}"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  local status=0
  "$JAVA_HOME/bin/java" "-Xmx$heap" -cp "$BENCH_JAR" "dev.mtp.benchmarks.$main" "$@" || status=$?
  echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
  return "$status"
}
