package dev.mtp.ops;

import dev.mtp.common.event.EntityType;
import dev.mtp.common.event.EvaluationRecorded;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.topic.PersistenceTopics;
import dev.mtp.testkit.TestNamespace;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Runs ops-cli commands in the test's JVM as {@code main} would (same handlers, same exit codes), with the settings
 * of one test namespace as system properties, the highest layer the CLI reads.
 */
final class Cli implements AutoCloseable {

    record Run(int exitCode, String out, String err) {
        List<String> errorLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    private final Map<String, String> properties = new HashMap<>();
    final TestNamespace ns;
    final PersistenceTopics topics;

    Cli(TestNamespace ns, Map<String, String> extra) {
        this.ns = ns;
        this.topics = PersistenceTopics.withPrefix(ns.topicPrefix());
        properties.put("kafka.bootstrap.servers", ns.kafkaBootstrapServers());
        properties.put("app.topics.prefix", ns.topicPrefix());
        properties.put("app.topics.partitions", "2");
        properties.put("app.mongo-writer.group-id", ns.group("mongo-writer"));
        properties.put("app.lifecycle.startup-timeout-ms", "30000");
        properties.putAll(extra);
        properties.forEach(System::setProperty);
    }

    Cli(TestNamespace ns) {
        this(ns, Map.of());
    }

    Run run(String... args) {
        CommandLine cli = OpsCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        Run run = new Run(code, out.toString(), err.toString());
        System.err.println("$ mtp-ops " + String.join(" ", args) + "  -> " + code + "\n" + run.out() + run.err());
        return run;
    }

    /** Creates the pipeline's topics through the CLI. */
    void createTopics() {
        Run run = run("topics", "create");
        if (run.exitCode() != 0) {
            throw new AssertionError("topics create failed: " + run);
        }
    }

    /** Publishes evaluations e-0 .. e-(n-1) of sessions s-0 .. s-(n-1), each at {@code timestamp(i)}. */
    void produceEvaluations(int n, java.util.function.IntFunction<Instant> timestamp) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int i = 0; i < n; i++) {
                String session = "s-" + i;
                EventEnvelope event = EventEnvelope.of(UUID.nameUUIDFromBytes(("e-" + i).getBytes(StandardCharsets.UTF_8)),
                        session, session, null, Instant.parse("2026-12-01T00:00:00Z").plusSeconds(i), "test",
                        new EvaluationRecorded(EntityType.SESSION, Map.of("satisfaction_score", i % 5 + 0.5,
                                "comment", "fine, \"really\"", "topics", List.of("billing", "returns"))));
                byte[] value = topics.evaluations().valueSerde().serializer().serialize("", event);
                producer.send(new ProducerRecord<>(topics.evaluations().name(), null,
                        timestamp.apply(i).toEpochMilli(), session.getBytes(StandardCharsets.UTF_8), value)).get();
            }
        }
    }

    /** Publishes n evaluations without waiting for each: enough for a run that takes a while. */
    void produceManyEvaluations(int n) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            java.util.concurrent.Future<?> last = null;
            for (int i = 0; i < n; i++) {
                String session = "s-" + i;
                EventEnvelope event = EventEnvelope.of(UUID.randomUUID(), session, session, null, Instant.now(), "test",
                        new EvaluationRecorded(EntityType.SESSION, Map.of("satisfaction_score", i % 5 + 0.5)));
                last = producer.send(new ProducerRecord<>(topics.evaluations().name(),
                        session.getBytes(StandardCharsets.UTF_8),
                        topics.evaluations().valueSerde().serializer().serialize("", event)));
            }
            producer.flush();
            last.get();
        }
    }

    KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ns.kafkaBootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public void close() {
        properties.keySet().forEach(System::clearProperty);
    }
}
