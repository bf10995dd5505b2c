package dev.mtp.embedded;

import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka broker of {@code ./mtp up}: an {@link EmbeddedKafkaBroker} on fixed ports whose data directory is
 * formatted on the first start only, so topics and offsets survive restarts. SIGTERM stops it cleanly.
 */
public final class KafkaBrokerMain {

    private static final MainArgs.Option DATA_DIR = new MainArgs.Option("data-dir", "KAFKA_DATA_DIR", ".run/kafka",
            "directory of logs and metadata, kept across restarts");
    private static final MainArgs.Option PORT = new MainArgs.Option("port", "KAFKA_PORT", "9092",
            "client port on 127.0.0.1");
    private static final MainArgs.Option CONTROLLER_PORT = new MainArgs.Option("controller-port",
            "KAFKA_CONTROLLER_PORT", null, "KRaft controller port on 127.0.0.1; unset: the client port + 1");

    private KafkaBrokerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        StandaloneLogging.useBundledConfigUnlessSet();
        Logger log = LoggerFactory.getLogger(KafkaBrokerMain.class);
        EmbeddedKafkaBroker.Builder builder;
        try {
            MainArgs options = MainArgs.parse("kafka-broker", args, List.of(DATA_DIR, PORT, CONTROLLER_PORT));
            int port = options.port(PORT);
            builder = EmbeddedKafkaBroker.builder()
                    .dataDir(options.path(DATA_DIR))
                    .port(port)
                    .controllerPort(options.isSet(CONTROLLER_PORT) ? options.port(CONTROLLER_PORT) : port + 1);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        EmbeddedKafkaBroker broker;
        try {
            broker = builder.start();
        } catch (RuntimeException e) {
            log.error("Kafka broker did not start: {}", e.getMessage(), e);
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "kafka-broker-stop"));
        stopped.await();
    }
}
