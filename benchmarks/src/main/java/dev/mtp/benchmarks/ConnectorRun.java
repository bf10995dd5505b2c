package dev.mtp.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * (b) The official MongoDB Kafka sink connector in Kafka Connect standalone, as a child JVM: the connector from
 * Connect's plugin path (with the driver it ships with), idempotent upserts keyed by the interaction id
 * ({@code PartialValueStrategy} on {@code entityId}, {@code ReplaceOneDefaultStrategy}), unordered bulk writes,
 * one task, the same poll size as the others.
 */
final class ConnectorRun implements AutoCloseable {
    /** Every system runs in a JVM of its own, with the same heap, beside the servers in the benchmark's JVM. */
    static final String HEAP = "-Xmx1g";

    private final Process process;
    private final Path log;

    ConnectorRun(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static ConnectorRun start(Path workDir, Path pluginPath, String bootstrap, String topic, String mongoUri,
                              String database, String name, int maxPollRecords) throws IOException {
        Files.createDirectories(workDir);
        Path worker = workDir.resolve("worker.properties");
        List<String> workerLines = new ArrayList<>(BenchKafka.workerLines());
        workerLines.addAll(List.of(
                "bootstrap.servers=" + bootstrap,
                "key.converter=org.apache.kafka.connect.storage.StringConverter",
                "value.converter=org.apache.kafka.connect.json.JsonConverter",
                "value.converter.schemas.enable=false",
                "offset.storage.file.filename=" + workDir.resolve("connect.offsets"),
                "offset.flush.interval.ms=1000",
                "plugin.path=" + pluginPath.toAbsolutePath(),
                "listeners=http://127.0.0.1:0",
                "consumer.max.poll.records=" + maxPollRecords,
                "consumer.auto.offset.reset=earliest", ""));
        Files.writeString(worker, String.join("\n", workerLines));
        Path sink = workDir.resolve("mongo-sink.properties");
        Files.writeString(sink, String.join("\n",
                "name=" + name,
                "connector.class=com.mongodb.kafka.connect.MongoSinkConnector",
                "tasks.max=1",
                "topics=" + topic,
                "connection.uri=" + mongoUri,
                "database=" + database,
                "collection=interactions",
                "document.id.strategy=com.mongodb.kafka.connect.sink.processor.id.strategy.PartialValueStrategy",
                "document.id.strategy.partial.value.projection.type=AllowList",
                "document.id.strategy.partial.value.projection.list=entityId",
                "writemodel.strategy=com.mongodb.kafka.connect.sink.writemodel.strategy.ReplaceOneDefaultStrategy",
                "bulk.write.ordered=false",
                "max.batch.size=0", ""));
        Path log = workDir.resolve("connect.log");
        return child(log, java.util.Map.of(), "org.apache.kafka.connect.cli.ConnectStandalone", worker.toString(),
                sink.toString());
    }

    /** A main class of this class path in a child JVM, output to {@code log}. */
    static ConnectorRun child(Path log, java.util.Map<String, String> env, String mainClass, String... args)
            throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, HEAP, "-cp", System.getProperty("java.class.path"),
                mainClass));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("LOG_LEVEL", "WARN");
        builder.environment().put("LOG_FORMAT", "text");
        builder.environment().putAll(env);
        return new ConnectorRun(builder.start(), log);
    }

    /** CPU time the child used so far (start-up included), split by kind of thread; read before {@link #close()}. */
    ProcessCpu cpu() {
        return ProcessCpu.of(process.toHandle(),
                process.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN));
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
