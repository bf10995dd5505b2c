package dev.mtp.benchmarks;

import dev.mtp.runtime.config.KafkaClientProperties;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Client properties of the benchmarks' own Kafka clients: those of {@code KAFKA_CONFIG_FILE} (security, as the apps
 * read it, docs/security.md) and the bootstrap servers, so a benchmark runs against a secured cluster too.
 */
final class BenchKafka {

    private BenchKafka() {}

    /** A mutable map: add the benchmark client's own settings to it. */
    static Map<String, Object> client(String bootstrap) {
        Map<String, Object> props = new HashMap<>(passThrough());
        props.put("bootstrap.servers", bootstrap);
        return props;
    }

    /** Lines for a Kafka Connect worker: the worker's own clients and its sink tasks' consumers. */
    static List<String> workerLines() {
        List<String> lines = new ArrayList<>();
        passThrough().forEach((name, value) -> {
            lines.add(name + "=" + value);
            lines.add("consumer." + name + "=" + value);
        });
        return lines;
    }

    private static Map<String, String> passThrough() {
        String file = System.getenv("KAFKA_CONFIG_FILE");
        return file == null || file.isBlank() ? Map.of() : KafkaClientProperties.fromFile(file.strip());
    }
}
