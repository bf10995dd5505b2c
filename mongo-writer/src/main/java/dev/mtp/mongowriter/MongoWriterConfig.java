package dev.mtp.mongowriter;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.ConfigKey;
import dev.mtp.common.config.ConfigTable;
import dev.mtp.mongowriter.store.MongoWriteKeys;

/** Every setting of mongo-writer, once. Rendered into docs/config/mongo-writer.md, and checked, by MongoWriterConfigDocumentedTest. */
public final class MongoWriterConfig {
    private MongoWriterConfig() {}

    /** Declared in common, where ops-cli reads it too (offsets, topics describe). */
    public static final ConfigKey<String> GROUP_ID = CommonConfigKeys.MONGO_WRITER_GROUP_ID;

    public static final ConfigKey<Boolean> GUARD_INDEXES = ConfigKey.bool("app.mongo-writer.guard-indexes")
            .withDefault(true)
            .withDoc("Create the unique index {_id, rev} (sessions, interactions) that matches the compare-and-set "
                    + "filters exactly. mongo-java-server (the stand-in) uses an index only for such a filter and scans "
                    + "the collection otherwise; on mongod the _id index serves the filters and false saves its upkeep.");

    public static final ConfigKey<Boolean> DECODE_AHEAD = ConfigKey.bool("app.mongo-writer.decode-ahead")
            .withDefault(true)
            .withDoc("Read one poll ahead and decode it on a thread of its own while MongoDB writes the batch in hand, "
                    + "so decoding overlaps the store's work (docs/decisions/0010). false decodes and writes one poll at "
                    + "a time on the consume thread: a little less CPU per event where the cores are busy anyway.");

    public static final ConfigKey<Boolean> CREATE_INDEXES = ConfigKey.bool("app.mongo-writer.create-indexes")
            .withDefault(true)
            .withDoc("Create the collections' indexes at start-up (idempotent); false where a DBA manages them.");

    public static final ConfigTable TABLE = ConfigTable.builder("mongo-writer")
            .addAll(CommonConfigKeys.runtime(8092))
            .addAll(CommonConfigKeys.KAFKA)
            .addAll(CommonConfigKeys.TOPICS)
            .addAll(CommonConfigKeys.MONGODB)
            .addAll(CommonConfigKeys.CONSUME)
            .addAll(CommonConfigKeys.INCARNATION)
            .add(GROUP_ID, MongoWriteKeys.WRITE_ACKNOWLEDGEMENT, MongoWriteKeys.MAX_DOCUMENT_BYTES,
                    MongoWriteKeys.MAX_MAP_DEPTH, MongoWriteKeys.CONFLICT_ROUNDS, MongoWriteKeys.VERSION_CACHE_ENTRIES,
                    MongoWriteKeys.WRITE_THREADS, DECODE_AHEAD, MongoWriteKeys.SUMMARY_WINDOW_MS,
                    MongoWriteKeys.SUMMARY_WINDOW_EVENTS, CREATE_INDEXES, GUARD_INDEXES)
            .build();
}
