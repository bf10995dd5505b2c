#!/usr/bin/env bash
# Ingest benchmark (not a test): single-event and batch ingest throughput and p50/p99 latency over loopback,
# side by side with a raw Kafka producer sending the same payloads in the same run. See ingest-api/README.md.
#   ingest-api/bench.sh [--events 20000] [--batch-size 100] [--batch-rounds 5] [--clients 8] [--response-bytes 700] [--bootstrap host:port]
# Without --bootstrap an in-process KRaft broker is started. Builds ingest-api and what it needs (no install).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${JAVA_HOME:-}" ]; then
  for jdk in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64; do
    [ -x "$jdk/bin/java" ] && export JAVA_HOME="$jdk" && break
  done
fi
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
mvn -B -q -pl ingest-api -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" -Dmdep.appendOutput=false >&2
# Sibling modules resolve to their target/classes in the reactor; the last file written is ingest-api's.
export LOG_LEVEL="${LOG_LEVEL:-WARN}" LOG_FORMAT="${LOG_FORMAT:-text}"
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -Xmx2g \
  -cp "ingest-api/target/test-classes:ingest-api/target/classes:$(cat "$cp_file")" \
  dev.mtp.ingest.bench.IngestBenchmark "$@"
