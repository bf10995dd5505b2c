package dev.mtp.ingest;

import com.mongodb.ConnectionString;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import dev.mtp.cachestore.CacheStore;
import dev.mtp.cachestore.CacheStoreSettings;
import dev.mtp.cachestore.RedisCacheStore;
import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.strategy.StrategyDefaults;
import dev.mtp.common.strategy.StrategyProfile;
import dev.mtp.common.topic.PersistenceTopics;
import dev.mtp.ingest.application.InputLimits;
import dev.mtp.ingest.application.PersistenceService;
import dev.mtp.ingest.application.RandomUuids;
import dev.mtp.ingest.application.Requests;
import dev.mtp.ingest.application.read.EntityReader;
import dev.mtp.ingest.application.sync.AdaptiveSync;
import dev.mtp.ingest.application.sync.CacheFastPath;
import dev.mtp.ingest.http.AllowedHosts;
import dev.mtp.ingest.http.AllowedOrigins;
import dev.mtp.ingest.http.AuthFilter;
import dev.mtp.ingest.http.HostFilter;
import dev.mtp.ingest.http.HttpsKeystore;
import dev.mtp.ingest.http.IngestHttpServer;
import dev.mtp.ingest.http.JsonApiServlet;
import dev.mtp.ingest.http.UsageApiServlet;
import dev.mtp.ingest.http.OriginFilter;
import dev.mtp.ingest.kafka.KafkaEventPublisher;
import dev.mtp.ingest.mcp.McpEndpoints;
import dev.mtp.ingest.store.CacheStoreFastPath;
import dev.mtp.ingest.store.TieredReader;
import dev.mtp.ingest.mcp.McpMessageServlet;
import dev.mtp.ingest.mcp.ScreenedTransport;
import dev.mtp.ingest.tools.AnalyzePatternsTool;
import dev.mtp.ingest.tools.IngestTools;
import dev.mtp.ingest.tools.RecommendationsTool;
import dev.mtp.ingest.tools.ToolRegistry;
import dev.mtp.ingest.usage.UsageRecorder;
import dev.mtp.ingest.usage.UsageService;
import dev.mtp.runtime.AppContext;
import dev.mtp.runtime.AppLauncher;
import dev.mtp.runtime.kafka.KafkaClients;
import dev.mtp.mongostore.MongoSettings;
import dev.mtp.runtime.kafka.PipelineTopics;
import dev.mtp.runtime.kafka.ProvisionedTopics;
import dev.mtp.runtime.ops.HealthCheck;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * ingest-api: validates writes from chat services (MCP tools, plain HTTP), publishes each as one
 * event, and answers only after Kafka acknowledged it; then, under normal load, may also write the
 * cache directly (hybrid sync).
 */
public final class IngestApp {
    private static final Logger log = LoggerFactory.getLogger(IngestApp.class);

    private IngestApp() {}

    public static void main(String[] args) {
        AppLauncher.run(IngestConfig.TABLE, IngestApp::start);
    }

    /** Opens everything and registers the HTTP start; public for in-process runs (tests, the benchmark). */
    public static void start(AppContext ctx) throws Exception {
        // Config decisions first: an instance that requires API keys but has none must not open anything.
        List<String> apiKeys = IngestConfig.apiKeys(ctx.config());
        if (apiKeys.isEmpty() && IngestConfig.profile(ctx.config()) != StrategyProfile.DEVELOPMENT) {
            log.warn("API keys are off (app.auth.mode=off) in the {} profile: every caller may write and read",
                    ctx.get(IngestConfig.PROFILE));
        }
        AllowedOrigins origins = IngestConfig.allowedOrigins(ctx.config());
        AllowedHosts hosts = IngestConfig.allowedHosts(ctx.config());
        InputLimits limits = IngestConfig.limits(ctx.config());
        int maxBody = ctx.get(IngestConfig.MAX_BODY_BYTES);

        ProvisionedTopics provisioned = PipelineTopics.ensure(ctx);
        PersistenceTopics topics = provisioned.names();
        KafkaEventPublisher publisher = ctx.open("kafka-producer", new KafkaEventPublisher(
                KafkaClients.producer(ctx.config()), topics, provisioned.incarnations(),
                ctx.get(IngestConfig.PUBLISH_TIMEOUT_MS)));
        KafkaClients.bindMetrics(ctx, publisher.producerForMetrics());

        boolean fastPathOn = ctx.get(IngestConfig.SYNC_FAST_PATH);
        boolean readsOn = ctx.get(IngestConfig.READ_ENABLED);
        boolean usageOn = ctx.get(IngestConfig.USAGE_ENABLED);
        CacheStore cache = fastPathOn || readsOn ? openCache(ctx) : null;
        MongoDatabase mongo = readsOn || usageOn ? openMongo(ctx) : null;
        Optional<UsageRecorder> recorder = usageOn ? Optional.of(UsageWiring.recorder(ctx)) : Optional.empty();
        // The fast path writes each event at its offset in the incarnation of the topic it was published to.
        Optional<CacheFastPath> fastPath = fastPathOn ? Optional.of(new CacheStoreFastPath(cache,
                provisioned.incarnations().of(topics.sessions().name()),
                provisioned.incarnations().of(topics.interactions().name()))) : Optional.empty();
        Optional<EntityReader> reader = readsOn
                ? Optional.of(UsageWiring.measured(new TieredReader(cache, mongo, ctx.get(IngestConfig.READ_TIMEOUT_MS),
                        ctx.get(IngestConfig.READ_WAIT_MS), Clock.systemUTC()),
                        recorder))
                : Optional.empty();
        AdaptiveSync sync = ctx.open("adaptive-sync", new AdaptiveSync(fastPath,
                ctx.get(CommonConfigKeys.SYNC_MAX_ASYNC_THREADS), ctx.get(IngestConfig.SYNC_MAX_QUEUED_WRITES),
                ctx.get(CommonConfigKeys.SYNC_ASYNC_TIMEOUT_MS), publisher::backlog,
                ctx.get(IngestConfig.SYNC_MAX_PUBLISH_BACKLOG)));
        bindMetrics(ctx.meterRegistry(), sync);

        RandomUuids uuids = new RandomUuids();
        PersistenceService service = new PersistenceService(UsageWiring.measured(publisher, recorder), sync, reader,
                Clock.systemUTC(), uuids, KafkaClients.clientId(ctx.appName(), "producer"));
        StrategyDefaults defaults = IngestConfig.strategyDefaults(ctx.config());
        Requests requests = new Requests(defaults, uuids);
        Optional<UsageService> usage = recorder.isPresent()
                ? Optional.of(UsageWiring.service(ctx, recorder.get(), mongo, cache, defaults, sync))
                : Optional.empty();
        ToolRegistry tools = IngestTools.create(service, requests, limits, usage);

        // Host and Origin are checked by the filters below on every path, the SDK's transports included.
        McpEndpoints mcp = ctx.open("mcp", new McpEndpoints(tools, limits, maxBody, version()));

        Map<String, HttpServlet> servlets = new LinkedHashMap<>();
        servlets.put(McpEndpoints.STREAMABLE_ENDPOINT, new ScreenedTransport(mcp.streamableServlet(), maxBody,
                mcp.streamableServlet().protocolVersions()));
        servlets.put(McpEndpoints.SSE_ENDPOINT, mcp.sseServlet());
        servlets.put(McpEndpoints.MESSAGE_ENDPOINT, new McpMessageServlet(
                new ScreenedTransport(mcp.sseServlet(), maxBody, List.of()), tools, limits, maxBody));
        servlets.put(JsonApiServlet.PREFIX + "/*", new JsonApiServlet(service, requests, limits, maxBody,
                ctx.get(IngestConfig.MAX_BATCH_SIZE)));
        if (usage.isPresent()) {
            servlets.put(UsageApiServlet.PATH + "/*", new UsageApiServlet(tools.find(AnalyzePatternsTool.NAME).orElseThrow(),
                    tools.find(RecommendationsTool.NAME).orElseThrow(), limits));
        }
        List<Filter> filters = new ArrayList<>();
        filters.add(new HostFilter(hosts));
        filters.add(new OriginFilter(origins));
        if (!apiKeys.isEmpty()) {
            filters.add(new AuthFilter(apiKeys));
        }
        log.info("profile {}; API keys {}; allowed hosts: {}; tools: {}", defaults.summary(),
                apiKeys.isEmpty() ? "off" : "required (" + apiKeys.size() + " keys)", hosts, tools.names());

        IngestHttpServer http = ctx.open("http", new IngestHttpServer(ctx.get(IngestConfig.HTTP_HOST),
                ctx.get(IngestConfig.HTTP_PORT), ctx.get(IngestConfig.HTTP_MAX_THREADS), servlets, filters,
                HttpsKeystore.from(ctx.config())));
        // Requests are taken only once everything behind them is open.
        ctx.afterStart("http", http::start);
    }

    /**
     * The cache, through cache-store (the one key layout). Start-up waits for Redis like the writers do, but Redis is
     * not a readiness check of the ingest: writes need only Kafka, and the fast path and reads degrade on their own.
     */
    private static CacheStore openCache(AppContext ctx) throws InterruptedException {
        CacheStore cache = ctx.open("cache-store", RedisCacheStore.open(CacheStoreSettings.from(ctx.config()), Clock.systemUTC()));
        ctx.awaitHealthy(HealthCheck.of("redis", () -> cache.ping().get(5, TimeUnit.SECONDS)));
        return cache;
    }

    /** MongoDB for the read fallback; like Redis, awaited at start-up but not a readiness check of the ingest. */
    private static MongoDatabase openMongo(AppContext ctx) throws InterruptedException {
        ConnectionString uri = ctx.convert(CommonConfigKeys.MONGODB_URI, value -> new ConnectionString(value.toString()));
        MongoClient client = ctx.open("mongodb-client", MongoClients.create(MongoSettings.builder(ctx.config(), uri)
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(2, TimeUnit.SECONDS))
                .build()));
        MongoDatabase database = client.getDatabase(ctx.get(CommonConfigKeys.MONGODB_DATABASE));
        ctx.awaitHealthy(HealthCheck.of("mongodb", () -> database.runCommand(new Document("ping", 1)).toJson()));
        return database;
    }

    private static void bindMetrics(MeterRegistry registry, AdaptiveSync sync) {
        for (String counter : List.of("hybridDirect", "hybridDirectAlreadyCurrent", "eventOnlyHighLoad",
                "eventOnlyTimedOut", "eventOnlyFailed", "eventOnlyNotCached", "eventOnlyFastPathOff")) {
            FunctionCounter.builder("mtp.ingest.sync.writes", sync, s -> s.counter(counter))
                    .tag("outcome", counter)
                    .description("Acknowledged writes by how they reached the cache (hybrid sync)")
                    .register(registry);
        }
        Gauge.builder("mtp.ingest.sync.load.high", sync, s -> s.load().high() ? 1 : 0)
                .description("1 while writes skip the direct cache write because of load").register(registry);
        Gauge.builder("mtp.ingest.publish.backlog", sync, s -> s.load().publishBacklog())
                .description("Sends not yet acknowledged by Kafka").register(registry);
    }

    private static String version() {
        String version = IngestApp.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
