package dev.mtp.mongowriter;

import com.mongodb.client.MongoDatabase;
import dev.mtp.common.topic.PersistenceTopics;
import dev.mtp.common.topic.TopicDescriptor;
import dev.mtp.mongowriter.document.DocumentIndexes;
import dev.mtp.mongowriter.document.SchemaMigration;
import dev.mtp.mongowriter.store.MongoBatchWriter;
import dev.mtp.mongowriter.store.MongoErrors;
import dev.mtp.mongowriter.store.MongoWriteKeys;
import dev.mtp.runtime.AppContext;
import dev.mtp.runtime.AppLauncher;
import dev.mtp.runtime.consume.ConsumeLoop;
import dev.mtp.runtime.consume.ConsumeLoops;
import dev.mtp.runtime.incarnation.IncarnationWatch;
import dev.mtp.runtime.kafka.PipelineTopics;
import dev.mtp.runtime.kafka.ProvisionedTopics;
import dev.mtp.mongostore.MongoConnections;
import dev.mtp.mongostore.MongoIncarnationRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;

/**
 * mongo-writer: complete session, interaction and evaluation documents in MongoDB. A consumer group on the three
 * persistence topics; each poll is one batch written with unordered, version-guarded bulk writes
 * ({@link MongoBatchWriter}) by the shared consume loop, which commits offsets only after the writes are durable.
 */
public final class MongoWriterApp {
    private static final Logger log = LoggerFactory.getLogger(MongoWriterApp.class);

    private MongoWriterApp() {}

    public static void main(String[] args) {
        AppLauncher.run(MongoWriterConfig.TABLE, MongoWriterApp::start);
    }

    /** The app's start, for {@link AppLauncher}: also used to run mongo-writer inside another JVM (benchmarks). */
    public static void start(AppContext ctx) throws Exception {
        ProvisionedTopics provisioned = PipelineTopics.ensure(ctx);
        PersistenceTopics topics = provisioned.names();
        MongoDatabase database = MongoConnections.open(ctx);
        log.info("{}", SchemaMigration.run(database));
        if (ctx.get(MongoWriterConfig.CREATE_INDEXES)) {
            DocumentIndexes.ensure(database, ctx.get(MongoWriterConfig.GUARD_INDEXES));
            log.info("indexes of sessions, interactions and evaluations are in place");
        }
        IncarnationWatch.start(ctx, provisioned, topics.eventTopics().stream().map(TopicDescriptor::name).toList(),
                List.of(new MongoIncarnationRegistry(database)));
        MongoBatchWriter writer = ctx.open("mongo-batch-writer", new MongoBatchWriter(database,
                MongoWriteKeys.settings(ctx.config()), ctx.meterRegistry(), Clock.systemUTC()));
        ConsumeLoops.open(ctx, ctx.get(MongoWriterConfig.GROUP_ID), provisioned, topics.eventTopics(), writer,
                MongoErrors.CLASSIFIER, ctx.get(MongoWriterConfig.DECODE_AHEAD) ? ConsumeLoop.Decoding.AHEAD
                        : ConsumeLoop.Decoding.INLINE);
    }
}
