package dev.mtp.ops;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.mtp.cachestore.CacheStoreSettings;
import dev.mtp.cachestore.RedisClients;
import dev.mtp.cachestore.RedisCacheStore;
import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.Config;
import dev.mtp.common.json.Json;
import dev.mtp.common.strategy.StrategyDefaults;
import dev.mtp.common.strategy.StrategyProfile;
import dev.mtp.common.topic.PersistenceTopics;
import dev.mtp.ingest.usage.HtmlReport;
import dev.mtp.ingest.usage.KeySpaceScan;
import dev.mtp.ingest.usage.Recommendations;
import dev.mtp.ingest.usage.UsageAnalysis;
import dev.mtp.ingest.usage.UsageService;
import dev.mtp.ingest.usage.UsageStore;
import dev.mtp.runtime.kafka.KafkaClients;
import dev.mtp.mongostore.MongoSettings;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code analyze}: the analysis of measured usage that analyze_persistence_patterns gives (every ingest instance's
 * buckets in MongoDB, the key space in Redis), with the recommendations, plus what only Kafka knows: records
 * dead-lettered in the window. Text by default, {@code --json}, and {@code --html FILE} for a self-contained report.
 */
@Command(name = "analyze", description = "Analyze measured usage per entity type and strategy, with findings and "
        + "recommendations (docs/decisions/0015).")
final class AnalyzeCommand implements Callable<Integer> {
    /** The longest app.usage.retention-ms: no bucket is older. */
    static final int MAX_WINDOW_MINUTES = 90 * 24 * 60;

    @Option(names = "--window-minutes", defaultValue = "1440", description = "Minutes of usage (default 1440, 24 h).")
    int windowMinutes;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write a self-contained HTML report to FILE.")
    Path html;

    @Option(names = "--json", description = "Print the analysis and recommendations as JSON.")
    boolean json;

    @Option(names = "--scan-max-keys", defaultValue = "10000", description = "Most cache keys to scan (0: none).")
    int scanMaxKeys;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (windowMinutes < 1 || windowMinutes > MAX_WINDOW_MINUTES) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--window-minutes: must be between 1 and "
                    + MAX_WINDOW_MINUTES + ", was " + windowMinutes);
        }
        Config config = OpsCli.config();
        Clock clock = Clock.systemUTC();
        UsageStore.UsageHistory history;
        MongoClientSettings mongoSettings = MongoSettings.builder(config,
                        new ConnectionString(config.get(CommonConfigKeys.MONGODB_URI).toString()))
                .applyToClusterSettings(c -> c.serverSelectionTimeout(5, TimeUnit.SECONDS))
                .build();
        try (MongoClient mongo = MongoClients.create(mongoSettings)) {
            history = new UsageStore(mongo.getDatabase(config.get(CommonConfigKeys.MONGODB_DATABASE)),
                    Duration.ofMinutes(MAX_WINDOW_MINUTES)).read(clock.instant(), Duration.ofMinutes(windowMinutes));
        }
        UsageAnalysis analysis = new UsageAnalysis(history, keySpace(config, clock));
        StrategyDefaults profile = profileInForce(history);
        Map<String, Object> report = analysis.analyze(windowMinutes, profile.describe());
        long deadLetters = deadLetters(config, clock.instant().minus(Duration.ofMinutes(windowMinutes)));
        report.put("deadLetters", deadLetters);
        if (deadLetters > 0) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> findings = (List<Map<String, Object>>) report.get("findings");
            findings.add(UsageAnalysis.finding("SYNC_FAILURES", "dead letters", deadLetters + " records a writer could "
                    + "not apply were dead-lettered in the window", "review error logs (the mtp.dlq.* headers say why)"));
        }
        Map<String, Object> recommendations = Recommendations.fromUsage(analysis, windowMinutes, profile);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> both = new LinkedHashMap<>();
            both.put("analysis", report);
            both.put("recommendations", recommendations);
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(both));
        } else {
            print(out, report, recommendations);
        }
        if (html != null) {
            Files.writeString(html, HtmlReport.render(report, recommendations, analysis.curves()));
            out.println("report written to " + html);
        }
        out.flush();
        return 0;
    }

    private dev.mtp.ingest.usage.KeySpace keySpace(Config config, Clock clock) {
        CacheStoreSettings settings = CacheStoreSettings.from(config);
        if (scanMaxKeys <= 0 || settings.cluster()) {
            return UsageService.keySpace(Optional.empty());
        }
        RedisClient client = RedisClients.standalone(settings);
        try (RedisCacheStore cache = RedisCacheStore.open(settings, clock);
             StatefulRedisConnection<String, String> connection = client.connect()) {
            return UsageService.keySpace(Optional.of(new KeySpaceScan(connection.sync(), cache, clock, scanMaxKeys, 200)));
        } finally {
            client.shutdown();
        }
    }

    /** The profile the most recent instance reported; development's defaults when none did. */
    static StrategyDefaults profileInForce(UsageStore.UsageHistory history) {
        Map<?, ?> latest = null;
        for (Object info : history.instanceInfo().values()) {
            if (info instanceof Map<?, ?> map && map.get("profile") instanceof Map<?, ?> profile) {
                latest = profile;
            }
        }
        return latest == null ? StrategyDefaults.of(StrategyProfile.DEVELOPMENT) : StrategyDefaults.fromDescription(latest);
    }

    /** Records on the dead-letter topic since {@code since}, by their timestamps. */
    private static long deadLetters(Config config, Instant since) {
        String topic = PersistenceTopics.withPrefix(config.get(CommonConfigKeys.TOPICS_PREFIX)).deadLetter().name();
        Map<String, Object> props = new HashMap<>(KafkaClients.admin(config));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic, Duration.ofSeconds(10))
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            Map<TopicPartition, Long> times = new HashMap<>();
            partitions.forEach(p -> times.put(p, since.toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> from = consumer.offsetsForTimes(times, Duration.ofSeconds(10));
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            long total = 0;
            for (TopicPartition p : partitions) {
                OffsetAndTimestamp start = from.get(p);
                total += start == null ? 0 : end.get(p) - start.offset();
            }
            return total;
        }
    }

    @SuppressWarnings("unchecked")
    private static void print(PrintWriter out, Map<String, Object> report, Map<String, Object> recommendations) {
        Map<String, Object> window = (Map<String, Object>) report.get("window");
        out.printf("usage over %s min: %s s measured, %s buckets from %s%n", window.get("minutes"),
                window.get("coveredSeconds"), window.get("buckets"), window.get("instances"));
        out.printf("%-12s %-17s %9s %9s %9s %12s %12s %10s  %s%n", "entity", "strategy", "writes/s", "reads/s",
                "Redis hit", "Redis p50", "MongoDB p50", "bytes/key", "pattern");
        for (Object r : (List<Object>) report.get("strategies")) {
            Map<String, Object> row = (Map<String, Object>) r;
            Map<String, Object> latency = (Map<String, Object>) row.get("latencyMs");
            out.printf("%-12s %-17s %9s %9s %9s %12s %12s %10s  %s%n", row.get("entityType"), row.get("strategy"),
                    cell(row.get("writesPerSecond")), cell(row.get("readsPerSecond")),
                    cell(((Map<String, Object>) row.get("hitRatio")).get("redis")),
                    cell(((Map<String, Object>) latency.get("redis")).get("p50AtMost")),
                    cell(((Map<String, Object>) latency.get("mongodb")).get("p50AtMost")),
                    cell(((Map<String, Object>) row.get("keys")).get("bytesPerKey")),
                    ((Map<String, Object>) row.get("pattern")).get("label"));
        }
        for (Object f : (List<Object>) report.get("findings")) {
            Map<String, Object> finding = (Map<String, Object>) f;
            out.printf("finding %s (%s): %s%n", finding.get("kind"), finding.get("where"), finding.get("detail"));
        }
        for (Object i : (List<Object>) recommendations.get("recommendations")) {
            Map<String, Object> item = (Map<String, Object>) i;
            out.printf("recommend %s %s: %s -> %s (%s; confidence %s, %s sampled reads)%n", item.get("entityType"),
                    item.get("strategy"), item.get("action"), item.get("recommended"), item.get("reason"),
                    item.get("confidence"), item.get("sampleReads"));
        }
        Map<String, Object> profile = (Map<String, Object>) recommendations.get("recommendedProfile");
        out.printf("recommended profile: %s (%s)%n", profile.get("profile"), profile.get("how"));
    }

    /** A table cell: "-" where the analysis has no figure (no reads, no keys scanned). */
    private static Object cell(Object value) {
        return value == null ? "-" : value;
    }
}
