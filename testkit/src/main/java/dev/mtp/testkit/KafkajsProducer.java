package dev.mtp.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A producer in another language: kafkajs on Node.js ({@code testkit/kafkajs/produce.mjs}), publishing events straight
 * to Kafka as a chat service would (docs/producers.md). kafkajs is installed on first use with {@code npm ci} from
 * the lockfile beside the script, into its git-ignored {@code node_modules}; node and npm come from the machine
 * ({@code scripts/test} installs them with apt when missing).
 */
public final class KafkajsProducer {

    /** kafkajs's partitioners: its default matches the contract's (murmur2), its legacy one does not. */
    public enum Partitioner {
        DEFAULT("default"), LEGACY("legacy");

        private final String arg;

        Partitioner(String arg) {
            this.arg = arg;
        }
    }

    /** One record to send: its value is the event's JSON. */
    public record Message(String topic, String key, String value) {}

    /** Where Kafka put a record. */
    public record Sent(String topic, int partition, long offset) {}

    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration SEND_TIMEOUT = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private KafkajsProducer() {}

    /** Sends the messages one at a time, in order, each acknowledged by every in-sync replica; where each landed. */
    public static List<Sent> send(String bootstrapServers, Partitioner partitioner, List<Message> messages)
            throws IOException, InterruptedException {
        Path dir = installed();
        ProcessBuilder builder = new ProcessBuilder("node", "produce.mjs", bootstrapServers, partitioner.arg)
                .directory(dir.toFile());
        builder.environment().put("KAFKAJS_NO_PARTITIONER_WARNING", "1");
        // To files, so that a producer that hangs is stopped by the timeout rather than a blocked read.
        Path acks = Files.createTempFile("kafkajs-producer", ".out");
        Path errors = Files.createTempFile("kafkajs-producer", ".err");
        builder.redirectOutput(acks.toFile()).redirectError(errors.toFile());
        Process node;
        try {
            node = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("node is needed to run kafkajs: install the nodejs package (scripts/test"
                    + " does)", e);
        }
        try (BufferedWriter in = new BufferedWriter(new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8))) {
            for (Message m : messages) {
                Map<String, String> line = new LinkedHashMap<>();
                line.put("topic", m.topic());
                line.put("key", m.key());
                line.put("value", m.value());
                in.write(JSON.writeValueAsString(line));
                in.newLine();
            }
        }
        boolean done = node.waitFor(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (!done) {
            node.destroyForcibly();
        }
        String out = Files.readString(acks);
        String stderr = Files.readString(errors);
        Files.delete(acks);
        Files.delete(errors);
        if (!done || node.exitValue() != 0) {
            throw new IllegalStateException("kafkajs producer failed (" + (done ? "exit " + node.exitValue() : "timed out")
                    + "): " + stderr);
        }
        List<Sent> sent = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                JsonNode ack = JSON.readTree(line);
                sent.add(new Sent(ack.get("topic").asText(), ack.get("partition").asInt(), ack.get("offset").asLong()));
            }
        }
        if (sent.size() != messages.size()) {
            throw new IllegalStateException("kafkajs acknowledged " + sent.size() + " of " + messages.size()
                    + " records: " + stderr);
        }
        return sent;
    }

    /** The script's folder, with kafkajs installed from the lockfile if it was not. */
    private static synchronized Path installed() throws IOException, InterruptedException {
        Path dir = RepositoryRoot.find().resolve("testkit/kafkajs");
        if (Files.exists(dir.resolve("node_modules/kafkajs/package.json"))) {
            return dir;
        }
        Process npm;
        try {
            npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(dir.toFile())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("npm is needed to install kafkajs: install the nodejs and npm packages"
                    + " (scripts/test does)", e);
        }
        String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!npm.waitFor(INSTALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || npm.exitValue() != 0) {
            npm.destroyForcibly();
            throw new IllegalStateException("npm ci in " + dir + " failed: " + output);
        }
        return dir;
    }
}
