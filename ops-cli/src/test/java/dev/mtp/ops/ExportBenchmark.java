package dev.mtp.ops;

import dev.mtp.common.event.EntityType;
import dev.mtp.common.event.EvaluationRecorded;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.topic.PersistenceTopics;
import dev.mtp.embedded.EmbeddedKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Future;

/**
 * Export throughput and peak memory (scripts/bench-export): publishes N evaluations, then in child JVMs of the same
 * heap reads them with a bare consumer (the baseline: bytes only) and exports them as JSONL, CSV and Parquet with
 * {@code mtp-ops export evaluations}, and exports the first tenth as JSONL, so peak memory at N and at N/10 can be
 * compared. Each child's peak resident memory is its VmHWM, polled from /proc until it exits.
 * Arguments: {@code --records=1000000 --partitions=6 --heap=256m}.
 */
public final class ExportBenchmark {

    private ExportBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = BenchArgs.parse(args, Map.of("records", "1000000", "partitions", "6", "heap", "256m"));
        int records = Integer.parseInt(o.get("records"));
        String kafka = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        EmbeddedKafkaBroker broker = null;
        if (kafka == null || kafka.isBlank()) {
            broker = EmbeddedKafkaBroker.builder().start();
            kafka = broker.bootstrapServers();
        }
        try {
            run(kafka, records, o.get("partitions"), o.get("heap"));
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    private static void run(String kafka, int records, String partitions, String heap) throws Exception {
        String prefix = "bench" + System.currentTimeMillis() + ".";
        Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka, "APP_TOPICS_PREFIX", prefix,
                "APP_TOPICS_PARTITIONS", partitions, "LOG_LEVEL", "WARN", "LOG_FORMAT", "text");
        ChildJvm.run(heap, env, OpsCli.class.getName(), "topics", "create").check();
        String topic = PersistenceTopics.withPrefix(prefix).evaluations().name();
        long produceStart = System.nanoTime();
        long bytes = produce(kafka, topic, records);
        double produceSeconds = (System.nanoTime() - produceStart) / 1e9;
        System.out.printf(Locale.ROOT, "%nexport benchmark: %,d evaluations (%,d bytes of values, %.0f per record) on "
                        + "%s partitions, published in %.1f s; %d cores, child heaps -Xmx%s, load %s%n%n", records, bytes,
                (double) bytes / records, partitions, produceSeconds, Runtime.getRuntime().availableProcessors(), heap,
                Files.readString(Path.of("/proc/loadavg")).strip());

        Path dir = Files.createTempDirectory("mtp-export-bench");
        List<String[]> rows = new ArrayList<>();
        ChildJvm raw = ChildJvm.run(heap, env, RawRead.class.getName(), kafka, topic, Integer.toString(records)).check();
        double baselineRate = records / raw.seconds();
        rows.add(row("bare consumer (baseline)", records, raw, baselineRate, -1));
        String shown = "";
        for (String format : List.of("jsonl", "csv", "parquet")) {
            Path out = dir.resolve("evaluations." + format);
            ChildJvm export = ChildJvm.run(heap, env, OpsCli.class.getName(), "export", "evaluations", "-o",
                    out.toString()).check();
            shown = format.equals("jsonl") ? export.output() : shown;
            rows.add(row("export " + format, records, export, baselineRate, Files.size(out)));
        }
        Path tenth = dir.resolve("tenth.jsonl");
        ChildJvm small = ChildJvm.run(heap, env, OpsCli.class.getName(), "export", "evaluations", "-o", tenth.toString(),
                "--limit", Integer.toString(records / 10));
        if (small.exitCode() != ExportCommand.INCOMPLETE) {
            throw new IllegalStateException("the tenth export ended with " + small.exitCode() + ":\n" + small.output());
        }
        rows.add(row("export jsonl, first tenth", records / 10, small, baselineRate, Files.size(tenth)));

        System.out.printf("%-28s %12s %9s %12s %14s %14s %12s%n", "run", "records", "seconds", "records/s",
                "vs baseline", "peak RSS MiB", "output MiB");
        rows.forEach(r -> System.out.printf("%-28s %12s %9s %12s %14s %14s %12s%n", (Object[]) r));
        System.out.println("\nthe JSONL export's own output (progress on stderr, then the summary):\n");
        System.out.println(shown);
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    private static String[] row(String name, long records, ChildJvm c, double baselineRate, long outputBytes) {
        double rate = records / c.seconds();
        return new String[]{name, String.format(Locale.ROOT, "%,d", records),
                String.format(Locale.ROOT, "%.1f", c.seconds()), String.format(Locale.ROOT, "%,.0f", rate),
                String.format(Locale.ROOT, "%.2fx", rate / baselineRate),
                String.format(Locale.ROOT, "%,d", c.peakRssKb() / 1024),
                outputBytes < 0 ? "-" : String.format(Locale.ROOT, "%,.1f", outputBytes / 1048576.0)};
    }

    private static long produce(String kafka, String topic, int records) throws Exception {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        PersistenceTopics topics = PersistenceTopics.defaults();
        Random random = new Random(42);
        String[] sentiments = {"positive", "neutral", "negative"};
        long bytes = 0;
        Instant t0 = Instant.now().minus(Duration.ofDays(1));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            Future<?> last = null;
            for (int i = 0; i < records; i++) {
                String session = "session-" + random.nextInt(Math.max(1, records / 10));
                Map<String, Object> data = Map.of("satisfaction_score", random.nextInt(9) / 2.0 + 1,
                        "sentiment", sentiments[random.nextInt(3)], "topics", List.of("billing", "returns"),
                        "resolved", random.nextBoolean());
                EventEnvelope event = EventEnvelope.of(new UUID(random.nextLong(), random.nextLong()), session,
                        random.nextBoolean() ? session : "int-" + i, null, t0.plusMillis(i), "ingest-api@bench",
                        new EvaluationRecorded(random.nextBoolean() ? EntityType.SESSION : EntityType.INTERACTION, data));
                byte[] value = topics.evaluations().valueSerde().serializer().serialize("", event);
                bytes += value.length;
                last = producer.send(new ProducerRecord<>(topic, session.getBytes(StandardCharsets.UTF_8), value),
                        (m, e) -> {
                            if (e != null) {
                                throw new IllegalStateException(e);
                            }
                        });
            }
            producer.flush();
            last.get();
        }
        return bytes;
    }

    /** The baseline: a bare consumer reading every record of the topic, touching only its bytes. */
    public static final class RawRead {
        public static void main(String[] args) {
            Map<String, Object> props = new HashMap<>();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            long expected = Long.parseLong(args[2]);
            long read = 0;
            long bytes = 0;
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                List<TopicPartition> tps = new ArrayList<>();
                for (PartitionInfo p : consumer.partitionsFor(args[1])) {
                    tps.add(new TopicPartition(args[1], p.partition()));
                }
                consumer.assign(tps);
                consumer.seekToBeginning(tps);
                while (read < expected) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        read++;
                        bytes += r.value().length;
                    }
                }
            }
            System.out.printf(Locale.ROOT, "read %,d records, %,d bytes%n", read, bytes);
        }
    }
}
