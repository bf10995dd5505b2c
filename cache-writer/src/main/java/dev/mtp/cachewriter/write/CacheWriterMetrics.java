package dev.mtp.cachewriter.write;

import dev.mtp.cachestore.CacheWrite;
import dev.mtp.cachestore.WriteOutcome;
import dev.mtp.cachestore.WriteResult;
import dev.mtp.cachewriter.plan.BatchPlan;
import dev.mtp.common.topic.TopicRole;
import dev.mtp.common.version.VersionRule.Decision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * cache-writer's own meters, next to the consume loop's ({@code mtp_consume_*}: events written, batches, batch latency,
 * retries, dead letters) and the consumer's ({@code kafka_consumer_fetch_manager_records_lag_max}: lag).
 * <ul>
 *   <li>{@code mtp_cache_events_total{topic, decision}}: events by topic and fold decision (applied, duplicate,
 *       stale); its rate is the events/s;</li>
 *   <li>{@code mtp_cache_keys_total{kind, outcome}}: keys written, removed, expired, absent, skipped as duplicate,
 *       skipped as stale, failed, by key kind (session, interaction, latest);</li>
 *   <li>{@code mtp_cache_redis_seconds}: one batch's pipelined Redis round trip;</li>
 *   <li>{@code mtp_cache_state_seconds}: producing and acknowledging one batch's session states.</li>
 * </ul>
 */
final class CacheWriterMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new HashMap<>();
    final Timer redis;
    final Timer state;

    CacheWriterMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.redis = Timer.builder("mtp.cache.redis").description("One batch's pipelined Redis writes, send to last reply")
                .publishPercentiles(0.5, 0.99).register(registry);
        this.state = Timer.builder("mtp.cache.state").description("Producing and acknowledging one batch's session states")
                .publishPercentiles(0.5, 0.99).register(registry);
        for (TopicRole topic : List.of(TopicRole.SESSIONS, TopicRole.INTERACTIONS)) {
            for (Decision d : Decision.values()) {
                event(topic, d);
            }
        }
        for (String kind : List.of("session", "interaction", "latest")) {
            for (WriteOutcome o : WriteOutcome.values()) {
                key(kind, o.name().toLowerCase(Locale.ROOT));
            }
            key(kind, "failed");
        }
    }

    void decisions(BatchPlan plan) {
        plan.decisions().forEach((topic, byDecision) ->
                byDecision.forEach((decision, n) -> event(topic, decision).increment(n)));
    }

    void results(List<WriteResult> results) {
        for (WriteResult r : results) {
            key(kind(r.write()), r.failed() ? "failed" : r.outcome().name().toLowerCase(Locale.ROOT)).increment();
        }
    }

    void redis(Duration took) {
        redis.record(took);
    }

    private Counter event(TopicRole topic, Decision decision) {
        return counters.computeIfAbsent("e/" + topic + "/" + decision, k -> Counter.builder("mtp.cache.events")
                .description("Events by topic and decision: applied, duplicate or stale (skipped)")
                .tag("topic", topic.baseName()).tag("decision", switch (decision) {
                    case APPLY -> "applied";
                    case DUPLICATE -> "duplicate";
                    case STALE -> "stale";
                })
                .register(registry));
    }

    private Counter key(String kind, String outcome) {
        return counters.computeIfAbsent("k/" + kind + "/" + outcome, k -> Counter.builder("mtp.cache.keys")
                .description("Cache key writes by kind and outcome").tag("kind", kind).tag("outcome", outcome)
                .register(registry));
    }

    private static String kind(CacheWrite write) {
        return switch (write) {
            case CacheWrite.PutSession p -> "session";
            case CacheWrite.RemoveSession r -> "session";
            case CacheWrite.PurgeSession p -> "session";
            case CacheWrite.PutInteraction p -> "interaction";
            case CacheWrite.RemoveInteraction r -> "interaction";
            case CacheWrite.PutLatestResponse p -> "latest";
            case CacheWrite.RemoveLatestResponse r -> "latest";
        };
    }
}
