package dev.mtp.reconciler.tracking;

import com.mongodb.client.MongoCollection;
import dev.mtp.reconciler.check.CheckOutcome;
import dev.mtp.reconciler.check.CheckSource;
import dev.mtp.reconciler.check.DriftKind;
import dev.mtp.reconciler.check.RepairOutcome;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

@RealServers
class MongoSyncTrackingIT {

    static CheckOutcome outcome(String key, DriftKind kind, RepairOutcome repair, String observed, long at) {
        return new CheckOutcome(key, "s-1", "session", "WITH_CONTEXT", "3,1", true, at + 1_800_000, observed,
                observed == null ? -2 : at + 1_800_000, kind, repair, CheckSource.TARGETED, at);
    }

    @Test
    void recordsPerKeyTheDesiredAndVerifiedVersionsTheLastCheckAndTheRepairsWithWhy(TestNamespace ns) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MongoCollection<Document> kvshadow = ns.mongoDatabase().getCollection(MongoSyncTracking.COLLECTION);
        try (MongoSyncTracking tracking = new MongoSyncTracking(ns.mongoDatabase(), Duration.ofHours(1), Duration.ZERO,
                1_000, registry, System::currentTimeMillis)) {
            tracking.checked(outcome("k1", DriftKind.MISSING, RepairOutcome.APPLIED, null, 1_000));
            tracking.checked(outcome("k1", DriftKind.MATCH, RepairOutcome.NOT_NEEDED, "3,1", 2_000));
            tracking.checked(outcome("k2", DriftKind.MATCH, RepairOutcome.NOT_NEEDED, "3,1", 2_000));
            assertThat(tracking.flush()).as("two keys, one write each").isEqualTo(2);

            Document k1 = kvshadow.find(new Document("_id", "k1")).first();
            assertThat(k1.getString("strategy")).isEqualTo("WITH_CONTEXT");
            assertThat(k1.get("desired", Document.class).getString("versions")).isEqualTo("3,1");
            assertThat(k1.get("desired", Document.class).getDate("expireAt").getTime()).isEqualTo(2_000 + 1_800_000);
            assertThat(k1.get("lastCheck", Document.class).getLong("observedExpireAt")).isEqualTo(2_000 + 1_800_000);
            assertThat(k1.get("lastCheck", Document.class).getString("source")).isEqualTo("targeted");
            assertThat(k1.get("verified", Document.class).getDate("at").getTime()).isEqualTo(2_000);
            assertThat(k1.get("lastRepair", Document.class).getString("to")).isEqualTo("3,1");
            assertThat(k1.get("lastRepair", Document.class).get("from")).isNull();
            assertThat(k1.get("verified", Document.class).getString("versions")).isEqualTo("3,1");
            assertThat(k1.get("lastCheck", Document.class).getString("result")).isEqualTo("match");
            assertThat(k1.getInteger("checks")).isEqualTo(2);
            assertThat(k1.get("repairs", Document.class).getInteger("missing")).isEqualTo(1);
            assertThat(k1.get("lastRepair", Document.class).getString("reason")).isEqualTo("key missing");
            assertThat(k1.get("lastRepair", Document.class).getString("outcome")).isEqualTo("applied");

            tracking.checked(outcome("k1", DriftKind.TTL, RepairOutcome.APPLIED, "3,1", 3_000));
            tracking.flush();
            k1 = kvshadow.find(new Document("_id", "k1")).first();
            assertThat(k1.getInteger("checks")).isEqualTo(3);
            assertThat(k1.get("repairs", Document.class).getInteger("total")).isEqualTo(2);
            assertThat(k1.get("drift", Document.class).getInteger("ttl")).isEqualTo(1);

            tracking.forget("k2");
            tracking.flush();
            assertThat(kvshadow.countDocuments(new Document("_id", "k2"))).isZero();
        }
    }

    @Test
    void aConsistentCheckWaitsForTheHoldSoLaterChecksOfItsKeyBecomeOneWriteWhileDriftGoesAtOnce(TestNamespace ns) {
        MongoCollection<Document> kvshadow = ns.mongoDatabase().getCollection(MongoSyncTracking.COLLECTION);
        AtomicLong now = new AtomicLong(1_000_000);
        MongoSyncTracking tracking = new MongoSyncTracking(ns.mongoDatabase(), Duration.ofHours(1),
                Duration.ofSeconds(30), 1_000, new SimpleMeterRegistry(), now::get);
        try (tracking) {
            tracking.checked(outcome("quiet", DriftKind.MATCH, RepairOutcome.NOT_NEEDED, "3,1", now.get()));
            tracking.checked(outcome("news", DriftKind.MISSING, RepairOutcome.APPLIED, null, now.get()));
            assertThat(tracking.flush()).as("the drift at once, the consistent check held").isEqualTo(1);
            assertThat(kvshadow.find(new Document("_id", "news")).first()).isNotNull();

            now.addAndGet(5_000);
            tracking.checked(outcome("quiet", DriftKind.MATCH, RepairOutcome.NOT_NEEDED, "3,1", now.get()));
            assertThat(tracking.flush()).as("held since its first check, 5 s ago").isZero();
            now.addAndGet(25_000);
            assertThat(tracking.flush()).as("30 s after its first check: both checks in one write").isEqualTo(1);
            Document quiet = kvshadow.find(new Document("_id", "quiet")).first();
            assertThat(quiet.getInteger("checks")).isEqualTo(2);
            assertThat(quiet.get("lastCheck", Document.class).getDate("at").getTime()).isEqualTo(now.get() - 25_000);

            tracking.checked(outcome("quiet", DriftKind.MATCH, RepairOutcome.NOT_NEEDED, "3,1", now.get()));
            tracking.checked(outcome("quiet", DriftKind.TTL, RepairOutcome.APPLIED, "3,1", now.get() + 1));
            assertThat(tracking.flush()).as("drift merged into a held record makes it news").isEqualTo(1);
            assertThat(kvshadow.find(new Document("_id", "quiet")).first().getInteger("checks")).isEqualTo(4);

            now.addAndGet(10_000);
            tracking.checked(outcome("quiet", DriftKind.MATCH, RepairOutcome.NOT_NEEDED, "3,1", now.get()));
            now.addAndGet(20_000);
            assertThat(tracking.flush()).as("the record written with its news gave up its turn: this one waits its own")
                    .isZero();
            now.addAndGet(10_000);
            assertThat(tracking.flush()).as("30 s after its own first check").isEqualTo(1);
            assertThat(kvshadow.find(new Document("_id", "quiet")).first().getInteger("checks")).isEqualTo(5);

            tracking.checked(outcome("closing", DriftKind.MATCH, RepairOutcome.NOT_NEEDED, "3,1", now.get()));
        }
        assertThat(kvshadow.find(new Document("_id", "closing")).first()).as("written at close, held or not")
                .isNotNull();
    }

    @Test
    void pastTheLimitRecordsAreDroppedAndCountedNotQueued(TestNamespace ns) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (MongoSyncTracking tracking = new MongoSyncTracking(ns.mongoDatabase(), Duration.ofHours(1), Duration.ZERO,
                100, registry, System::currentTimeMillis)) {
            for (int i = 0; i < 150; i++) {
                tracking.checked(outcome("k" + i, DriftKind.MATCH, RepairOutcome.NOT_NEEDED, "3,1", 1));
            }
            assertThat(tracking.flush()).isEqualTo(100);
            assertThat(registry.find("mtp.reconciler.tracking.dropped").tag("reason", "full").counter().count())
                    .isEqualTo(50);
        }
    }
}
