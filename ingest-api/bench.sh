#!/usr/bin/env bash
# Ingest benchmark (not a test): single-event and batch ingest throughput, p50/p99 latency and CPU per event (ingest,
# client, broker, each in its own JVM) over loopback, side by side with a raw Kafka producer sending the same payloads
# in the same run. See ingest-api/README.md.
#   ingest-api/bench.sh [--events 20000] [--batch-size 100] [--batch-rounds 5] [--clients 8] [--response-bytes 700]
#                       [--bootstrap host:port] [--jfr FILE] [--ingest-classes DIR]
# Without --bootstrap a KRaft broker is started in its own JVM. Builds ingest-api and the modules it needs from this
# tree through the reactor (nothing installed, nothing taken from ~/.m2 but third-party jars).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/java.sh
require_jdk21
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
mvn -B -q -pl ingest-api -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" -Dmdep.appendOutput=false >&2
# In the reactor the sibling modules resolve to their target/classes; the last file written is ingest-api's.
if grep -q '\.m2/repository/dev/mtp/' "$cp_file"; then
  echo "the class path names project jars from ~/.m2, not this tree's classes" >&2
  exit 1
fi
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
"$JAVA_HOME/bin/java" -Xmx1g \
  -cp "ingest-api/target/test-classes:ingest-api/target/classes:$(cat "$cp_file")" \
  dev.mtp.ingest.bench.IngestBenchmark "$@"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
