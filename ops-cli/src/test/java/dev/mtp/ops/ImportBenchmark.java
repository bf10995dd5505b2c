package dev.mtp.ops;

import dev.mtp.common.topic.PersistenceTopics;
import dev.mtp.embedded.EmbeddedKafkaBroker;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Import throughput (scripts/bench-import): writes an old system's sessions and interactions as JSON Lines, then, each
 * in a child JVM of the same heap, publishes every line as it is with a bare producer of the same settings (the
 * baseline: no parsing, mapping, validation or event encoding) and imports them with {@code mtp-ops import --rate 0};
 * prints records/s, the ratio to the baseline, CPU per record and peak memory, then the import's own output.
 * Arguments: {@code --records=200000 --partitions=6 --heap=256m} (a quarter sessions, the rest interactions).
 */
public final class ImportBenchmark {

    private ImportBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = BenchArgs.parse(args, Map.of("records", "200000", "partitions", "6", "heap", "256m"));
        String kafka = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        EmbeddedKafkaBroker broker = null;
        if (kafka == null || kafka.isBlank()) {
            broker = EmbeddedKafkaBroker.builder().start();
            kafka = broker.bootstrapServers();
        }
        try {
            run(kafka, Integer.parseInt(o.get("records")), o.get("partitions"), o.get("heap"));
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    private static void run(String kafka, int records, String partitions, String heap) throws Exception {
        Path dir = Files.createTempDirectory("mtp-import-bench");
        int sessions = records / 4;
        Path sessionFile = dir.resolve("sessions.jsonl");
        Path interactionFile = dir.resolve("interactions.jsonl");
        long bytes = write(sessionFile, interactionFile, sessions, records - sessions);
        System.out.printf(Locale.ROOT, "%nimport benchmark: %,d sessions and %,d interactions (%,d bytes of JSON "
                        + "Lines) on %s partitions; %d cores, child heaps -Xmx%s, load %s%n%n", sessions,
                records - sessions, bytes, partitions, Runtime.getRuntime().availableProcessors(), heap,
                Files.readString(Path.of("/proc/loadavg")).strip());
        List<String[]> rows = new ArrayList<>();
        String baselinePrefix = "benchraw" + System.currentTimeMillis() + ".";
        ChildJvm.run(heap, env(kafka, baselinePrefix, partitions), OpsCli.class.getName(), "topics", "create").check();
        ChildJvm raw = ChildJvm.run(heap, env(kafka, baselinePrefix, partitions), RawPublish.class.getName(), kafka,
                PersistenceTopics.withPrefix(baselinePrefix).sessions().name(), sessionFile.toString(),
                PersistenceTopics.withPrefix(baselinePrefix).interactions().name(), interactionFile.toString()).check();
        double baseline = records / raw.seconds();
        rows.add(row("bare producer (baseline)", records, raw, baseline));
        String prefix = "benchimport" + System.currentTimeMillis() + ".";
        Map<String, String> env = env(kafka, prefix, partitions);
        ChildJvm.run(heap, env, OpsCli.class.getName(), "topics", "create").check();
        ChildJvm imported = ChildJvm.run(heap, env, OpsCli.class.getName(), "import", "--sessions",
                sessionFile.toString(), "--interactions", interactionFile.toString(), "--session-strategy",
                "CRITICAL_ONLY", "--interaction-strategy", "RESPONSE_ONLY", "--rate", "0", "--work-dir",
                dir.resolve("work").toString()).check();
        rows.add(row("import", records, imported, baseline));
        ChildJvm again = ChildJvm.run(heap, env, OpsCli.class.getName(), "import", "--sessions",
                sessionFile.toString(), "--interactions", interactionFile.toString(), "--session-strategy",
                "CRITICAL_ONLY", "--interaction-strategy", "RESPONSE_ONLY", "--rate", "0", "--work-dir",
                dir.resolve("work").toString(), "--restart").check();
        rows.add(row("import again (--restart)", records, again, baseline));

        System.out.printf("%-26s %10s %8s %11s %12s %8s %14s %13s%n", "run", "records", "seconds", "records/s",
                "vs baseline", "CPU s", "CPU us/record", "peak RSS MiB");
        rows.forEach(r -> System.out.printf("%-26s %10s %8s %11s %12s %8s %14s %13s%n", (Object[]) r));
        System.out.println("\nthe import's own output (progress on stderr, then the summary):\n");
        System.out.println(imported.output());
        System.out.println("run again with --restart (it finds what it published and publishes nothing):\n");
        System.out.println(again.output());
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static Map<String, String> env(String kafka, String prefix, String partitions) {
        return Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka, "APP_TOPICS_PREFIX", prefix, "APP_TOPICS_PARTITIONS",
                partitions, "LOG_LEVEL", "WARN", "LOG_FORMAT", "text");
    }

    private static String[] row(String name, long records, ChildJvm c, double baseline) {
        double rate = records / c.seconds();
        return new String[]{name, String.format(Locale.ROOT, "%,d", records),
                String.format(Locale.ROOT, "%.1f", c.seconds()), String.format(Locale.ROOT, "%,.0f", rate),
                String.format(Locale.ROOT, "%.2fx", rate / baseline), String.format(Locale.ROOT, "%.1f", c.cpuSeconds()),
                String.format(Locale.ROOT, "%.1f", c.cpuSeconds() * 1e6 / records),
                String.format(Locale.ROOT, "%,d", c.peakRssKb() / 1024)};
    }

    /** An old system's records: its own field names are the pipeline's, so no mapping is needed. */
    private static long write(Path sessionFile, Path interactionFile, int sessions, int interactions)
            throws Exception {
        long bytes = 0;
        try (BufferedWriter out = Files.newBufferedWriter(sessionFile, StandardCharsets.UTF_8)) {
            for (int i = 0; i < sessions; i++) {
                String line = "{\"sessionId\":\"old-" + i + "\",\"userId\":\"user-" + i % 5000 + "\",\"status\":"
                        + "\"closed\",\"context\":{\"plan\":\"pro\",\"locale\":\"en-GB\",\"channel\":\"web\"},"
                        + "\"metadata\":{\"source\":\"legacy\",\"shard\":" + i % 16 + "},\"occurredAt\":"
                        + "\"2025-06-01T10:00:00Z\"}";
                out.write(line);
                out.newLine();
                bytes += line.length() + 1;
            }
        }
        try (BufferedWriter out = Files.newBufferedWriter(interactionFile, StandardCharsets.UTF_8)) {
            for (int i = 0; i < interactions; i++) {
                String line = "{\"interactionId\":\"turn-" + i + "\",\"sessionId\":\"old-" + i % sessions + "\","
                        + "\"role\":\"assistant\",\"request\":\"How do I return item " + i + "?\",\"response\":"
                        + "\"Open your orders, choose the item and press Return; a label is emailed to you within "
                        + "the hour.\",\"processingTimeMs\":" + (200 + i % 900) + ",\"occurredAt\":"
                        + (1_748_772_000_000L + i) + "}";
                out.write(line);
                out.newLine();
                bytes += line.length() + 1;
            }
        }
        return bytes;
    }

    /** The baseline: every line published as it is, keyed by its line number, with the import's producer settings. */
    public static final class RawPublish {
        public static void main(String[] args) throws Exception {
            Map<String, Object> props = new HashMap<>();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            props.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
            props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
            AtomicReference<Exception> failed = new AtomicReference<>();
            long sent = 0;
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                for (int f = 1; f < args.length; f += 2) {
                    try (BufferedReader in = Files.newBufferedReader(Path.of(args[f + 1]), StandardCharsets.UTF_8)) {
                        for (String line = in.readLine(); line != null; line = in.readLine()) {
                            producer.send(new ProducerRecord<>(args[f], Long.toString(sent++).getBytes(
                                    StandardCharsets.UTF_8), line.getBytes(StandardCharsets.UTF_8)), (m, e) -> {
                                if (e != null) {
                                    failed.compareAndSet(null, e);
                                }
                            });
                        }
                    }
                }
                producer.flush();
            }
            if (failed.get() != null) {
                throw failed.get();
            }
            System.out.printf(Locale.ROOT, "published %,d lines%n", sent);
        }
    }
}
