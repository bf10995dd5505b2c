package dev.mtp.ingest.usage;

import dev.mtp.common.event.EntityType;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.InteractionRecorded;
import dev.mtp.common.event.SessionCreated;
import dev.mtp.common.event.SessionUpdated;
import dev.mtp.common.strategy.StrategyDefaults;
import dev.mtp.common.strategy.StrategyProfile;
import dev.mtp.common.usage.CachingLevel;
import dev.mtp.common.usage.ReadOutcome;
import dev.mtp.common.usage.ShardsSampler;
import dev.mtp.common.usage.UsageTally;
import dev.mtp.ingest.application.read.EntityReader;
import dev.mtp.ingest.application.read.EntityVersion;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Every key sampled (rate 1), a clock the test moves: what each read and write is counted as. */
class UsageRecorderTest {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final UsageRecorder recorder = new UsageRecorder(new Clock() {
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }, new ShardsSampler(1, 1024));

    @Test
    void aHitTwoMinutesAfterTheWriteIsAReuseOfTwoMinutesNeedingTheContext() {
        recorder.write(session("s-1", "WITH_CONTEXT"), 300);
        now = now.plusSeconds(120);
        recorder.read(EntityType.SESSION, "s-1", found(EntityReader.Tier.REDIS, "WITH_CONTEXT",
                Map.of("status", "active", "context", Map.of("topic", "x"))), 700_000);

        UsageTally tally = recorder.swap().get("session/WITH_CONTEXT");
        assertThat(tally.writes()).isEqualTo(1);
        assertThat(tally.writeBytes()).isEqualTo(300);
        assertThat(tally.outcome(ReadOutcome.REDIS_HIT)).isEqualTo(1);
        assertThat(tally.reuse(CachingLevel.WITH_CONTEXT).weightAtMost(120)).isEqualTo(1);
        assertThat(tally.reuse(CachingLevel.WITH_CONTEXT).weightAtMost(60)).isZero();
        assertThat(tally.redisLatencyMs().quantileBound(0.5)).isEqualTo(0.75);
    }

    @Test
    void fallbacksSayWhy() {
        recorder.write(session("s-2", "CRITICAL_ONLY"), 200);
        recorder.write(session("s-3", "NONE"), 200);
        now = now.plusSeconds(3_601);
        recorder.read(EntityType.SESSION, "s-2", found(EntityReader.Tier.MONGODB, "CRITICAL_ONLY", Map.of("status", "x")), 5_000_000);
        recorder.read(EntityType.SESSION, "s-3", found(EntityReader.Tier.MONGODB, "NONE", Map.of("status", "x")), 5_000_000);
        // Written by another instance 10 s ago, as its lastActivityAt says, and not in Redis: evicted or lost.
        recorder.read(EntityType.SESSION, "s-4", found(EntityReader.Tier.MONGODB, "CRITICAL_ONLY",
                Map.of("status", "x", "lastActivityAt", now.minusSeconds(10).toString())), 5_000_000);
        recorder.read(EntityType.SESSION, "nope", Optional.empty(), 1_000_000);

        Map<String, UsageTally> bucket = recorder.swap();
        assertThat(bucket.get("session/CRITICAL_ONLY").outcome(ReadOutcome.MONGODB_EXPIRED)).isEqualTo(1);
        assertThat(bucket.get("session/CRITICAL_ONLY").outcome(ReadOutcome.MONGODB_EVICTED_OR_LOST)).isEqualTo(1);
        assertThat(bucket.get("session/CRITICAL_ONLY").reuse(CachingLevel.CRITICAL_ONLY).weightAtMost(10))
                .as("reuse from the answer's timestamp").isEqualTo(1);
        assertThat(bucket.get("session/NONE").outcome(ReadOutcome.MONGODB_NEVER_CACHED)).isEqualTo(1);
        assertThat(bucket.get("session/NOT_FOUND").outcome(ReadOutcome.NOT_FOUND)).isEqualTo(1);
    }

    @Test
    void keysWhoseTtlRanOutUnreadAreCountedOnceRewrittenAndWhileWaiting() {
        recorder.write(interaction("s-5", "i-1", "FULL_INTERACTION"), 900);   // 5 min TTL
        recorder.write(session("s-6", "FULL_SESSION"), 900);                  // 15 min TTL
        now = now.plusSeconds(600);
        assertThat(recorder.expiredUnreadNow()).isEqualTo(Map.of("interaction/FULL_INTERACTION", 1.0));
        recorder.write(session("s-6", null), 100); // an update keeps FULL_SESSION
        now = now.plusSeconds(1_000);
        recorder.write(session("s-6", null), 100);

        UsageTally full = recorder.swap().get("session/FULL_SESSION");
        assertThat(full.sampledWrites()).isEqualTo(3);
        assertThat(full.writeGaps().total()).isEqualTo(2);
        assertThat(full.expiredUnread()).as("the second gap, 1,000 s, outlived 900 s unread").isEqualTo(1);
        assertThat(recorder.swap()).isEmpty();
    }

    @Test
    void theAnalysisOfOneHourReportsRatesOutcomesAndAPoorHitRate() {
        for (int i = 0; i < 30; i++) {
            recorder.write(session("a-" + i, "CRITICAL_ONLY"), 200);
        }
        now = now.plusSeconds(3_700);
        for (int i = 0; i < 30; i++) {
            recorder.read(EntityType.SESSION, "a-" + i, found(EntityReader.Tier.MONGODB, "CRITICAL_ONLY",
                    Map.of("status", "active")), 2_000_000);
        }
        UsageStore.UsageHistory history = new UsageStore.UsageHistory(recorder.swap(), 3_700, Set.of("i-1"), 1,
                Map.of(), Map.of("i-1", Map.of("sync", Map.of("eventOnlyFailed", 2L, "hybridDirect", 5L))));
        Map<String, Object> report = new UsageAnalysis(history, KeySpace.unavailable("test"))
                .analyze(60, StrategyDefaults.of(StrategyProfile.PRODUCTION).describe());

        @SuppressWarnings("unchecked")
        Map<String, Object> row = ((List<Map<String, Object>>) report.get("strategies")).get(0);
        assertThat(row).containsEntry("strategy", "CRITICAL_ONLY").containsEntry("writes", 30L).containsEntry("reads", 30L);
        assertThat(row.get("hitRatio")).isEqualTo(Map.of("redis", 0.0, "mongodb", 1.0));
        assertThat(report.get("findings").toString()).contains("POOR_HIT_RATE").contains("0% of 30 reads answered by Redis")
                .contains("SYNC_FAILURES");
        @SuppressWarnings("unchecked")
        Map<String, Object> pattern = (Map<String, Object>) row.get("pattern");
        assertThat(pattern).containsEntry("type", "ANALYTICAL");

        Map<String, Object> advice = Recommendations.fromUsage(new UsageAnalysis(history, KeySpace.unavailable("test")),
                60, StrategyDefaults.of(StrategyProfile.PRODUCTION));
        // Every read came after every TTL: no strategy hits, so caching nothing costs least.
        assertThat(advice.toString()).contains("action=SWITCH, recommended=NONE");
    }

    private static EventEnvelope session(String id, String strategy) {
        return EventEnvelope.of(UUID.randomUUID(), id, id, strategy, Instant.EPOCH, "test", strategy == null
                ? new SessionUpdated(null, "idle", null, null) : new SessionCreated("u-1", "active", Map.of(), Map.of()));
    }

    private static EventEnvelope interaction(String sessionId, String id, String strategy) {
        return EventEnvelope.of(UUID.randomUUID(), sessionId, id, strategy, Instant.EPOCH, "test",
                new InteractionRecorded("user", "hi", "", Map.of(), Map.of(), null));
    }

    private static Optional<EntityReader.Found> found(EntityReader.Tier tier, String strategy, Map<String, Object> doc) {
        return Optional.of(new EntityReader.Found(tier, doc, strategy, EntityVersion.NONE));
    }
}
