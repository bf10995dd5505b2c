package dev.mtp.ingest;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.topic.PersistenceTopics;
import dev.mtp.ingest.application.PersistenceService;
import dev.mtp.ingest.http.IngestHttpServer;
import dev.mtp.ingest.kafka.KafkaEventPublisher;
import dev.mtp.ingest.tools.IngestTools;
import dev.mtp.ingest.tools.ToolRegistry;
import dev.mtp.runtime.AppContext;
import dev.mtp.runtime.AppLauncher;
import dev.mtp.runtime.kafka.KafkaClients;
import dev.mtp.runtime.kafka.PipelineTopics;

import java.time.Clock;
import java.util.UUID;

/**
 * ingest-api: validates writes from chat services (MCP tools, plain HTTP), publishes each as one
 * event, and answers only after Kafka acknowledged it.
 */
public final class IngestApp {
    private IngestApp() {}

    public static void main(String[] args) {
        AppLauncher.run(IngestConfig.TABLE, IngestApp::start);
    }

    static void start(AppContext ctx) throws Exception {
        PersistenceTopics topics = PipelineTopics.ensure(ctx);

        KafkaEventPublisher publisher = ctx.open("kafka-producer", new KafkaEventPublisher(
                KafkaClients.producer(ctx.config()), topics, ctx.get(IngestConfig.PUBLISH_TIMEOUT_MS)));
        PersistenceService service = new PersistenceService(publisher, Clock.systemUTC(), UUID::randomUUID,
                KafkaClients.clientId(ctx.appName(), "producer"));
        ToolRegistry tools = IngestTools.create(service,
                ctx.get(CommonConfigKeys.PERSISTENCE_DEFAULT_SESSION_STRATEGY),
                ctx.get(CommonConfigKeys.PERSISTENCE_DEFAULT_INTERACTION_STRATEGY),
                UUID::randomUUID);

        IngestHttpServer http = ctx.open("http", new IngestHttpServer(ctx.get(IngestConfig.HTTP_HOST),
                ctx.get(IngestConfig.HTTP_PORT), tools, ctx.get(IngestConfig.MAX_BODY_BYTES)));
        // Requests are taken only once everything behind them is open.
        ctx.afterStart("http", http::start);
    }
}
