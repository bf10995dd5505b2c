package dev.mtp.mongowriter.store;

import com.mongodb.WriteConcern;
import dev.mtp.common.config.Config;
import dev.mtp.common.config.ConfigKey;

import java.time.Duration;

/** The settings of the write path: mongo-writer's, and any tool's that writes through {@link MongoBatchWriter}. */
public final class MongoWriteKeys {
    private MongoWriteKeys() {}

    /** How many members of the replica set must have a write before it counts as done. */
    public enum WriteAcknowledgement {
        /** A majority of the replica set, journaled: a failover cannot roll the write back. The default. */
        MAJORITY,
        /** The primary alone: faster, but a failover right after the write can lose it after its offset was committed. */
        PRIMARY
    }

    public static final ConfigKey<WriteAcknowledgement> WRITE_ACKNOWLEDGEMENT =
            ConfigKey.enumOf("app.mongo-writer.write-acknowledgement", WriteAcknowledgement.class)
                    .withDefault(WriteAcknowledgement.MAJORITY)
                    .withDoc("Write concern of the bulk writes; offsets are committed only after it is met. MAJORITY "
                            + "(w: majority, journaled) or PRIMARY (w: 1).");

    public static final ConfigKey<Integer> MAX_DOCUMENT_BYTES = ConfigKey.integer("app.mongo-writer.max-document-bytes")
            .range(16_384, 16_777_216)
            .withDefault(16_777_216)
            .withDoc("Largest document an event may produce, in bytes (MongoDB's limit is 16777216). A larger one is "
                    + "refused before it is sent and its record goes to the dead-letter topic.");

    public static final ConfigKey<Integer> MAX_MAP_DEPTH = ConfigKey.integer("app.mongo-writer.max-map-depth")
            .range(1, 90)
            .withDefault(32)
            .withDoc("Nesting levels of a user map (context, metadata, evaluation data) stored as documents; a "
                    + "deeper subtree is stored as JSON text under the key %json (MongoDB allows 100 levels).");

    public static final ConfigKey<Integer> CONFLICT_ROUNDS = ConfigKey.integer("app.mongo-writer.conflict-rounds")
            .range(1, 100)
            .withDefault(5)
            .withDoc("Rounds of re-reading versions and re-writing when version guards lose to a concurrent writer, "
                    + "before the batch counts as a transient failure and is retried after a backoff.");

    public static final ConfigKey<Integer> VERSION_CACHE_ENTRIES = ConfigKey.integer("app.mongo-writer.version-cache-entries")
            .range(1_000, 10_000_000)
            .withDefault(200_000)
            .withDoc("Documents whose versions the writer remembers (least recently used out first), so that each "
                    + "compare-and-set expects the right version without reading; a miss costs one lost CAS and one "
                    + "read, never a wrong write. About 200 bytes each.");

    public static final ConfigKey<Integer> WRITE_THREADS = ConfigKey.integer("app.mongo-writer.write-threads")
            .range(1, 64)
            .withDefault(2)
            .withDoc("Bulk writes of one batch that run at once: the batch is split by partition number (a session's "
                    + "events of every topic share one), so more threads only help with at least as many partitions "
                    + "assigned. 1 writes each batch in one thread.");

    public static final ConfigKey<Integer> SUMMARY_WINDOW_MS = ConfigKey.integer("app.mongo-writer.summary-window-ms")
            .range(0, 60_000)
            .withDefault(10_000)
            .withDoc("How long a session's interaction and evaluation summary (interactionCount, lastInteractionId, "
                    + "lastActivityAt, evaluationCount, ...) may be held back to coalesce the summary writes of several "
                    + "polls into one per session (like Kafka Streams' commit interval). Interaction and evaluation "
                    + "documents are written with their poll; offsets are committed only once the summaries covering "
                    + "them are written, so a crash redelivers at most this window. Held-back summaries are also written "
                    + "when a poll comes back empty, before a rebalance and at stop. 0 writes every summary with its poll.");

    public static final ConfigKey<Integer> SUMMARY_WINDOW_EVENTS = ConfigKey.integer("app.mongo-writer.summary-window-events")
            .range(1, 1_000_000)
            .withDefault(200_000)
            .withDoc("Events whose share of a session summary may be held back at once (about 150 bytes each) before "
                    + "the held-back summaries are written, whatever app.mongo-writer.summary-window-ms says; bounds "
                    + "the memory held and the records redelivered after a crash. The default lets the time window "
                    + "decide up to 20,000 events/s.");

    /** The writer's settings as configured. */
    public static MongoBatchWriter.Settings settings(Config config) {
        WriteConcern concern = switch (config.get(WRITE_ACKNOWLEDGEMENT)) {
            case MAJORITY -> WriteConcern.MAJORITY.withJournal(true);
            case PRIMARY -> WriteConcern.W1;
        };
        return new MongoBatchWriter.Settings(config.get(MAX_DOCUMENT_BYTES), config.get(MAX_MAP_DEPTH),
                config.get(CONFLICT_ROUNDS), concern, config.get(VERSION_CACHE_ENTRIES), config.get(WRITE_THREADS),
                Duration.ofMillis(config.get(SUMMARY_WINDOW_MS)), config.get(SUMMARY_WINDOW_EVENTS));
    }
}
