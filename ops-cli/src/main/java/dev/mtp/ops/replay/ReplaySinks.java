package dev.mtp.ops.replay;

import com.mongodb.ConnectionString;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.Config;
import dev.mtp.common.event.TopicRole;
import dev.mtp.mongostore.MongoSettings;
import dev.mtp.mongowriter.store.MongoWriteKeys;
import dev.mtp.ops.kafka.PipelineApp;
import dev.mtp.runtime.consume.SourcedEvent;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** The sinks a replay or a redrive writes through, opened from the same settings as their apps. */
public final class ReplaySinks {
    private ReplaySinks() {}

    public static ReplaySink open(PipelineApp app, Config config) {
        return switch (app) {
            case MONGO_WRITER -> mongo(config);
            case CACHE_WRITER -> CacheReplaySink.open(config);
            case RECONCILER -> throw new IllegalArgumentException("the reconciler has no writes to replay through");
        };
    }

    private static ReplaySink mongo(Config config) {
        MongoClient client = MongoClients.create(MongoSettings.builder(config,
                new ConnectionString(config.get(CommonConfigKeys.MONGODB_URI).toString())).build());
        MongoReplaySink sink = new MongoReplaySink(client.getDatabase(config.get(CommonConfigKeys.MONGODB_DATABASE)),
                MongoWriteKeys.settings(config));
        return new Closing(sink, client);
    }

    /** A sink that closes its connection after itself. */
    private record Closing(ReplaySink sink, AutoCloseable connection) implements ReplaySink {
        @Override
        public Set<TopicRole> topics() {
            return sink.topics();
        }

        @Override
        public Map<Outcome, Long> write(List<SourcedEvent> batch) throws Exception {
            return sink.write(batch);
        }

        @Override
        public Map<Outcome, Long> judge(List<SourcedEvent> batch) throws Exception {
            return sink.judge(batch);
        }

        @Override
        public void flush() throws Exception {
            sink.flush();
        }

        @Override
        public void close() throws Exception {
            try (AutoCloseable c = connection) {
                sink.close();
            }
        }
    }
}
