#!/usr/bin/env bash
# Access-pattern latency benchmark (not a test): the seed's "Access Pattern Performance" operations through the
# ingest's JSON API and MCP calls (session status check, interaction response, full session retrieval, evaluation
# storage, complex queries), p50/p95/p99, next to the seed's figures and the bare Redis / MongoDB round trips measured
# in the same run. Starts its own Kafka broker, redis-server and MongoDB stand-in, with ingest-api and mongo-writer.
#   ingest-api/bench-access-patterns.sh [--requests=2000] [--sessions=500] [--evaluations=20000]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/java.sh
require_jdk21
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
mvn -B -q -ntp -pl ingest-api -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" -Dmdep.appendOutput=false >&2
export LOG_LEVEL="${LOG_LEVEL:-WARN}" LOG_FORMAT="${LOG_FORMAT:-text}"
exec "$JAVA_HOME/bin/java" -Xmx2g \
  -cp "ingest-api/target/test-classes:ingest-api/target/classes:$(cat "$cp_file")" \
  dev.mtp.ingest.bench.AccessPatternBenchmark "$@"
