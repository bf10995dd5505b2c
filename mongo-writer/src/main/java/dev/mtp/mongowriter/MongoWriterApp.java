package dev.mtp.mongowriter;

import dev.mtp.runtime.AppContext;
import dev.mtp.runtime.AppLauncher;
import dev.mtp.runtime.kafka.PipelineTopics;
import dev.mtp.runtime.mongo.MongoConnections;

/** mongo-writer: complete session, interaction and evaluation documents in MongoDB. */
public final class MongoWriterApp {
    private MongoWriterApp() {}

    public static void main(String[] args) {
        AppLauncher.run(MongoWriterConfig.TABLE, MongoWriterApp::start);
    }

    static void start(AppContext ctx) throws Exception {
        PipelineTopics.ensure(ctx);
        MongoConnections.open(ctx);
    }
}
