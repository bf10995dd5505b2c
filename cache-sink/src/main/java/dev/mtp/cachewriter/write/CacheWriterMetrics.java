package dev.mtp.cachewriter.write;

import dev.mtp.cachestore.CacheWrite;
import dev.mtp.cachestore.WriteOutcome;
import dev.mtp.cachestore.WriteResult;
import dev.mtp.cachewriter.plan.BatchPlan;
import dev.mtp.common.event.TopicRole;
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
 *   <li>{@code mtp_cache_events_total{topic, decision}}: events by topic and fold decision: applied, duplicate (the
 *       same offset again: a redelivery, normal) or stale (a lower offset of the same incarnation: only a replay
 *       produces one); its rate is the events/s;</li>
 *   <li>{@code mtp_cache_keys_total{kind, outcome}}: keys written, removed, expired, absent, skipped as duplicate,
 *       skipped as stale, failed, by key kind (session, interaction, latest); cache-writer supersedes other
 *       incarnations, so its {@code other_incarnation} stays 0;</li>
 *   <li>{@code mtp_cache_superseded_other_incarnation_total{kind}}: keys written or removed over a value of another
 *       incarnation of its topic, or one written before incarnations were recorded (docs/decisions/0012): each is
 *       one key that held state from another life of the topics;</li>
 *   <li>{@code mtp_cache_redis_seconds}: one batch's pipelined Redis round trip;</li>
 *   <li>{@code mtp_cache_state_seconds}: producing and acknowledging one batch's session states;</li>
 *   <li>{@code mtp_cache_state_evicted_total}: session states let go after the retention period unchanged.</li>
 * </ul>
 */
final class CacheWriterMetrics {

    private static final List<String> KEY_KINDS = List.of("session", "interaction", "latest");
    /** Outcome columns of {@link #keys}: one per {@link WriteOutcome}, then "failed". */
    private static final int FAILED = WriteOutcome.values().length;

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new HashMap<>();
    /** mtp_cache_keys_total by kind (row) and outcome (column), looked up once: a batch counts a thousand results. */
    private final Counter[][] keys = new Counter[KEY_KINDS.size()][FAILED + 1];
    /** mtp_cache_superseded_other_incarnation_total by kind. */
    private final Counter[] superseded = new Counter[KEY_KINDS.size()];
    final Timer redis;
    final Timer state;
    final Counter evicted;

    CacheWriterMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.redis = Timer.builder("mtp.cache.redis").description("One batch's pipelined Redis writes, send to last reply")
                .publishPercentiles(0.5, 0.99).register(registry);
        this.state = Timer.builder("mtp.cache.state").description("Producing and acknowledging one batch's session states")
                .publishPercentiles(0.5, 0.99).register(registry);
        this.evicted = Counter.builder("mtp.cache.state.evicted")
                .description("Session states evicted: unchanged for app.cache-writer.state-retention-ms")
                .register(registry);
        for (TopicRole topic : List.of(TopicRole.SESSIONS, TopicRole.INTERACTIONS)) {
            // The decisions of a fold that supersedes other incarnations: it never answers OTHER_INCARNATION.
            for (Decision d : List.of(Decision.APPLY, Decision.DUPLICATE, Decision.STALE)) {
                event(topic, d);
            }
        }
        for (int kind = 0; kind < KEY_KINDS.size(); kind++) {
            for (WriteOutcome o : WriteOutcome.values()) {
                keys[kind][o.ordinal()] = key(KEY_KINDS.get(kind), o.name().toLowerCase(Locale.ROOT));
            }
            keys[kind][FAILED] = key(KEY_KINDS.get(kind), "failed");
            superseded[kind] = Counter.builder("mtp.cache.superseded.other.incarnation")
                    .description("Keys written or removed over a value of another incarnation of its topic")
                    .tag("kind", KEY_KINDS.get(kind)).register(registry);
        }
    }

    void decisions(BatchPlan plan) {
        plan.decisions().forEach((topic, byDecision) ->
                byDecision.forEach((decision, n) -> event(topic, decision).increment(n)));
    }

    void results(List<WriteResult> results) {
        int[][] counts = new int[KEY_KINDS.size()][FAILED + 1];
        int[] supersessions = new int[KEY_KINDS.size()];
        for (WriteResult r : results) {
            int kind = kind(r.write());
            counts[kind][r.failed() ? FAILED : r.outcome().ordinal()]++;
            if (r.supersededOtherIncarnation()) {
                supersessions[kind]++;
            }
        }
        for (int kind = 0; kind < supersessions.length; kind++) {
            if (supersessions[kind] > 0) {
                superseded[kind].increment(supersessions[kind]);
            }
        }
        for (int kind = 0; kind < counts.length; kind++) {
            for (int outcome = 0; outcome < counts[kind].length; outcome++) {
                if (counts[kind][outcome] > 0) {
                    keys[kind][outcome].increment(counts[kind][outcome]);
                }
            }
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
                    case OTHER_INCARNATION -> "other_incarnation";
                })
                .register(registry));
    }

    private Counter key(String kind, String outcome) {
        return counters.computeIfAbsent("k/" + kind + "/" + outcome, k -> Counter.builder("mtp.cache.keys")
                .description("Cache key writes by kind and outcome").tag("kind", kind).tag("outcome", outcome)
                .register(registry));
    }

    /** The row of {@link #keys}: the index of the write's key kind in {@link #KEY_KINDS}. */
    private static int kind(CacheWrite write) {
        return switch (write) {
            case CacheWrite.PutSession p -> 0;
            case CacheWrite.RemoveSession r -> 0;
            case CacheWrite.PurgeSession p -> 0;
            case CacheWrite.PutInteraction p -> 1;
            case CacheWrite.RemoveInteraction r -> 1;
            case CacheWrite.PutLatestResponse p -> 2;
            case CacheWrite.RemoveLatestResponse r -> 2;
        };
    }
}
