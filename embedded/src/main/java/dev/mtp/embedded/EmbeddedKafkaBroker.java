package dev.mtp.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;

/**
 * A real single-node Kafka in this JVM: one KRaft process that is both broker and controller, listening on
 * 127.0.0.1 only. Internal topics have replication factor 1 and min ISR 1, consumer groups rebalance without the
 * initial delay, and topics are never created implicitly.
 *
 * <p>Started by {@link Builder#start()}, which returns once the broker is unfenced and serves requests.
 * {@link #close()} stops it and releases its ports.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    /** The optional SASL_SSL listener (SCRAM-SHA-512), beside the PLAINTEXT one the broker itself uses. */
    private static final String SECURE_LISTENER = "SECURE";
    private static final String HOST = "127.0.0.1";
    private static final String LOG_DIR = "kraft";
    /** Picked ports can be taken by someone else before Kafka binds them: then start again with new ones. */
    private static final int BIND_ATTEMPTS = 3;

    private final KafkaRaftServer server;
    private final Path dataDir;
    private final boolean deleteDataDirOnClose;
    private final int port;
    private final int controllerPort;
    private final int securePort;
    private final Duration startupTime;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafkaBroker(KafkaRaftServer server, Path dataDir, boolean deleteDataDirOnClose, int port,
                                int controllerPort, int securePort, Duration startupTime) {
        this.server = server;
        this.securePort = securePort;
        this.dataDir = dataDir;
        this.deleteDataDirOnClose = deleteDataDirOnClose;
        this.port = port;
        this.controllerPort = controllerPort;
        this.startupTime = startupTime;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code host:port} for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    /** {@code host:port} of the SASL_SSL listener; only with {@link Builder#saslSslListener}. */
    public String secureBootstrapServers() {
        if (securePort == 0) {
            throw new IllegalStateException("this broker has no SASL_SSL listener; start it with saslSslListener");
        }
        return HOST + ":" + securePort;
    }

    public int controllerPort() {
        return controllerPort;
    }

    /** Holds {@code server.properties} and, under {@code kraft/}, the logs and the metadata log. */
    public Path dataDir() {
        return dataDir;
    }

    /** From the call to {@link Builder#start()} until the broker was unfenced. */
    public Duration startupTime() {
        return startupTime;
    }

    /** Stops the broker and the controller and waits until both are down; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long start = System.nanoTime();
        server.shutdown();
        server.awaitShutdown();
        if (deleteDataDirOnClose) {
            Dirs.deleteRecursively(dataDir);
        }
        LOG.info("Kafka broker {} stopped in {} ms", bootstrapServers(), (System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public String toString() {
        return "EmbeddedKafkaBroker[" + bootstrapServers() + ", " + dataDir + "]";
    }

    /** Options of one broker; every default is stated once, here. */
    public static final class Builder {

        private Path dataDir;
        private int port;
        private int controllerPort;
        private int partitions = 3;
        private int internalTopicPartitions = 1;
        private Path secureKeystore;
        private String secureKeystorePassword;
        private final Map<String, String> overrides = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Directory for {@code server.properties}, logs and metadata; kept on close and not formatted again when it
         * already holds a formatted log. Default: a fresh temporary directory, deleted on close.
         */
        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            return this;
        }

        /** Client port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = requirePort(port, "port");
            return this;
        }

        /** KRaft controller port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder controllerPort(int controllerPort) {
            this.controllerPort = requirePort(controllerPort, "controllerPort");
            return this;
        }

        /** {@code num.partitions}: partitions of a topic created without a count. Default 3. */
        public Builder partitions(int partitions) {
            this.partitions = requirePositive(partitions, "partitions");
            return this;
        }

        /**
         * Partitions of {@code __consumer_offsets}, {@code __transaction_state} and the share-group state topic.
         * Default 1: a single broker gains nothing from Kafka's 50, and the first group join is a little faster.
         */
        public Builder internalTopicPartitions(int internalTopicPartitions) {
            this.internalTopicPartitions = requirePositive(internalTopicPartitions, "internalTopicPartitions");
            return this;
        }

        /**
         * Adds a SASL_SSL listener on a free port ({@link EmbeddedKafkaBroker#secureBootstrapServers()}): TLS with
         * the key and certificate of this PKCS12 key store, SCRAM-SHA-512 users (create them with the Admin API over
         * the PLAINTEXT listener, which the broker keeps for itself and for set-up).
         */
        public Builder saslSslListener(Path keystore, String password) {
            this.secureKeystore = Objects.requireNonNull(keystore, "keystore");
            this.secureKeystorePassword = Objects.requireNonNull(password, "password");
            return this;
        }

        /** Any broker property, applied after the ones this class sets. */
        public Builder config(String key, String value) {
            overrides.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Formats the data directory unless it is formatted, starts the broker and waits until it serves. */
        public EmbeddedKafkaBroker start() {
            QuietLoggers.warnUnlessConfigured(QuietLoggers.KAFKA);
            long start = System.nanoTime();
            boolean ownsDataDir = dataDir == null;
            boolean picksPorts = port == 0 && controllerPort == 0;
            for (int attempt = 1; ; attempt++) {
                Path dir = ownsDataDir ? Dirs.createTemp("mtp-kafka-") : Dirs.createDirectories(dataDir);
                int[] free = FreePorts.pick(3);
                int brokerPort = port != 0 ? port : free[0];
                int quorumPort = controllerPort != 0 ? controllerPort : free[1];
                int securePort = secureKeystore == null ? 0 : free[2];
                try {
                    KafkaRaftServer server = startServer(dir, brokerPort, quorumPort, securePort);
                    Duration startupTime = Duration.ofNanos(System.nanoTime() - start);
                    EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(server, dir, ownsDataDir, brokerPort,
                            quorumPort, securePort, startupTime);
                    LOG.info("Kafka broker {} ready in {} ms (data {})", broker.bootstrapServers(),
                            startupTime.toMillis(), dir);
                    return broker;
                } catch (RuntimeException e) {
                    if (ownsDataDir) {
                        Dirs.deleteRecursively(dir);
                    }
                    Optional<BindException> bindFailure = bindFailure(e);
                    if (bindFailure.isEmpty()) {
                        throw e;
                    }
                    if (!picksPorts || attempt == BIND_ATTEMPTS) {
                        throw new IllegalStateException("Kafka cannot listen on " + HOST + ":" + brokerPort
                                + " (clients) and " + HOST + ":" + quorumPort + " (controller): "
                                + bindFailure.get().getMessage(), e);
                    }
                    LOG.debug("Kafka port {} or {} was taken meanwhile, retrying with others", brokerPort, quorumPort);
                }
            }
        }

        private KafkaRaftServer startServer(Path dir, int brokerPort, int quorumPort, int securePort) {
            Properties props = brokerProperties(dir, brokerPort, quorumPort);
            if (securePort != 0) {
                addSecureListener(props, securePort);
            }
            formatUnlessFormatted(dir, props);
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            try {
                server.startup();
                return server;
            } catch (RuntimeException e) {
                server.shutdown();
                server.awaitShutdown();
                throw e;
            }
        }

        private Properties brokerProperties(Path dir, int brokerPort, int quorumPort) {
            String controller = HOST + ":" + quorumPort;
            String listeners = BROKER_LISTENER + "://" + HOST + ":" + brokerPort + ","
                    + CONTROLLER_LISTENER + "://" + controller;
            String internalPartitions = Integer.toString(internalTopicPartitions);
            Properties props = new Properties();
            props.put("process.roles", "broker,controller");
            props.put("node.id", Integer.toString(NODE_ID));
            props.put("controller.quorum.bootstrap.servers", controller);
            props.put("controller.listener.names", CONTROLLER_LISTENER);
            props.put("inter.broker.listener.name", BROKER_LISTENER);
            props.put("listeners", listeners);
            props.put("advertised.listeners", listeners);
            props.put("listener.security.protocol.map",
                    BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
            props.put("log.dirs", dir.resolve(LOG_DIR).toString());
            props.put("num.partitions", Integer.toString(partitions));
            props.put("default.replication.factor", "1");
            props.put("min.insync.replicas", "1");
            props.put("offsets.topic.replication.factor", "1");
            props.put("offsets.topic.num.partitions", internalPartitions);
            props.put("transaction.state.log.replication.factor", "1");
            props.put("transaction.state.log.min.isr", "1");
            props.put("transaction.state.log.num.partitions", internalPartitions);
            props.put("share.coordinator.state.topic.replication.factor", "1");
            props.put("share.coordinator.state.topic.min.isr", "1");
            props.put("share.coordinator.state.topic.num.partitions", internalPartitions);
            props.put("group.initial.rebalance.delay.ms", "0");
            props.put("auto.create.topics.enable", "false");
            props.putAll(overrides);
            return props;
        }

        private void addSecureListener(Properties props, int securePort) {
            String listener = SECURE_LISTENER + "://" + HOST + ":" + securePort;
            props.put("listeners", props.getProperty("listeners") + "," + listener);
            props.put("advertised.listeners", props.getProperty("advertised.listeners") + "," + listener);
            props.put("listener.security.protocol.map",
                    props.getProperty("listener.security.protocol.map") + "," + SECURE_LISTENER + ":SASL_SSL");
            String prefix = "listener.name." + SECURE_LISTENER.toLowerCase(java.util.Locale.ROOT) + ".";
            props.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
            props.put(prefix + "scram-sha-512.sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
            props.put(prefix + "ssl.keystore.type", "PKCS12");
            props.put(prefix + "ssl.keystore.location", secureKeystore.toAbsolutePath().toString());
            props.put(prefix + "ssl.keystore.password", secureKeystorePassword);
            props.put(prefix + "ssl.key.password", secureKeystorePassword);
        }

        /**
         * {@code kafka-storage.sh format --standalone}, unless a previous start formatted the directory: formatting
         * again would need the same cluster id, and the data is to be kept anyway.
         */
        private static void formatUnlessFormatted(Path dir, Properties props) {
            Path config = dir.resolve("server.properties");
            try (OutputStream out = Files.newOutputStream(config)) {
                props.store(out, "Written by " + EmbeddedKafkaBroker.class.getName() + " on every start");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + config, e);
            }
            if (Files.exists(dir.resolve(LOG_DIR).resolve("meta.properties"))) {
                return;
            }
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            int exitCode;
            try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
                exitCode = StorageTool.execute(new String[] {"format", "--config", config.toString(),
                        "--cluster-id", Uuid.randomUuid().toString(), "--standalone"}, print);
            }
            String text = output.toString(StandardCharsets.UTF_8).strip();
            if (exitCode != 0) {
                throw new IllegalStateException("formatting Kafka storage in " + dir + " failed (" + exitCode + "): "
                        + text);
            }
            LOG.debug("{}", text);
        }

        private static Optional<BindException> bindFailure(Throwable e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof BindException bind) {
                    return Optional.of(bind);
                }
            }
            return Optional.empty();
        }

        private static int requirePort(int port, String name) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException(name + " must be 0 (pick a free one) or 1-65535, was " + port);
            }
            return port;
        }

        private static int requirePositive(int value, String name) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, was " + value);
            }
            return value;
        }
    }
}
