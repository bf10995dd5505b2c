package dev.mtp.embedded;

import java.nio.file.Path;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * The MongoDB wire-protocol stand-in (mongo-java-server) on 127.0.0.1, for machines without {@code mongod}. The
 * real {@code mongodb-driver-sync} talks to it; it answers {@code ping} but not {@code hello}, has no
 * transactions and no TTL expiry, so nothing on the product's main path may need those.
 */
public final class MongoStandIn implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MongoStandIn.class);
    private static final String HOST = "127.0.0.1";

    private final MongoServer server;
    private final int port;
    private final String description;
    private boolean closed;

    private MongoStandIn(MongoBackend backend, int requestedPort, String description) {
        long start = System.nanoTime();
        QuietLoggers.warnUnlessConfigured(QuietLoggers.MONGO_STAND_IN);
        this.server = new MongoServer(backend);
        try {
            server.bind(HOST, requestedPort);
        } catch (RuntimeException e) {
            // shutdown() also closes the backend, so an H2 file is not left open by a failed bind.
            server.shutdownNow();
            throw e;
        }
        this.port = server.getLocalAddress().getPort();
        this.description = description;
        LOG.info("MongoDB stand-in {} ready in {} ms ({})", connectionString(), (System.nanoTime() - start) / 1_000_000,
                description);
    }

    /** Data lives in this JVM's heap and goes with {@link #close()}. {@code port} 0 picks a free one. */
    public static MongoStandIn inMemory(int port) {
        return new MongoStandIn(new MemoryBackend(), port, "memory");
    }

    /**
     * Data lives in the H2 MVStore file {@code file} (created if missing) and survives restarts, provided the
     * stand-in is {@link #close() closed}: H2 commits the last second of writes on close.
     */
    public static MongoStandIn h2File(Path file, int port) {
        Objects.requireNonNull(file, "file");
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Dirs.createDirectories(parent);
        }
        return new MongoStandIn(new H2Backend(file.toString()), port, "H2 file " + file);
    }

    /** {@code mongodb://127.0.0.1:PORT}. */
    public String connectionString() {
        return "mongodb://" + HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    /** Disconnects clients, stops listening and closes the backend (H2 commits and closes its file); idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdownNow();
        LOG.info("MongoDB stand-in {} stopped ({})", connectionString(), description);
    }

    @Override
    public String toString() {
        return "MongoStandIn[" + connectionString() + ", " + description + "]";
    }
}
