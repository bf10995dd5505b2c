#!/usr/bin/env bash
# Usage measurement overhead benchmark (not a test): read p50/p99 through the JSON API of an ingest instance that
# measures usage (the default) and one that does not (APP_USAGE_ENABLED=false), on the same Kafka broker,
# redis-server and MongoDB stand-in, read in alternating rounds. Goal: at most 5 % more read p50.
#   ingest-api/bench-usage-overhead.sh [--reads=20000] [--sessions=500]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/java.sh
require_jdk21
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
mvn -B -q -ntp -pl ingest-api -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" -Dmdep.appendOutput=false >&2
export LOG_LEVEL="${LOG_LEVEL:-WARN}" LOG_FORMAT="${LOG_FORMAT:-text}"
exec "$JAVA_HOME/bin/java" -Xmx1g \
  -cp "ingest-api/target/test-classes:ingest-api/target/classes:$(cat "$cp_file")" \
  dev.mtp.ingest.bench.UsageOverheadBenchmark "$@"
