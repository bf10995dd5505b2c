package dev.mtp.embedded;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MongoDB of {@code ./mtp up} where no {@code mongod} exists: a {@link MongoStandIn} on an H2 file. SIGTERM
 * closes the file cleanly, so the last writes survive the restart.
 */
public final class MongoStandInMain {

    private static final MainArgs.Option FILE = new MainArgs.Option("file", "MONGO_FILE", ".run/mongo/mongo.mv.db",
            "H2 file of the data, created with its directory if missing");
    private static final MainArgs.Option PORT = new MainArgs.Option("port", "MONGO_PORT", "27017",
            "port on 127.0.0.1");

    private MongoStandInMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        StandaloneLogging.useBundledConfigUnlessSet();
        Logger log = LoggerFactory.getLogger(MongoStandInMain.class);
        Path file;
        int port;
        try {
            MainArgs options = MainArgs.parse("mongo-stand-in", args, List.of(FILE, PORT));
            file = options.path(FILE);
            port = options.port(PORT);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        MongoStandIn mongo;
        try {
            mongo = MongoStandIn.h2File(file, port);
        } catch (RuntimeException e) {
            log.error("MongoDB stand-in did not start: {}", e.getMessage(), e);
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            mongo.close();
            stopped.countDown();
        }, "mongo-stand-in-stop"));
        stopped.await();
    }
}
