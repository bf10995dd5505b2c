package dev.mtp.reconciler.it;

import com.mongodb.client.MongoCollection;
import dev.mtp.cachestore.CacheWrite;
import dev.mtp.cachestore.StoredKey;
import dev.mtp.cachestore.VersionVector;
import dev.mtp.common.config.Config;
import dev.mtp.common.projection.SessionFold;
import dev.mtp.common.projection.SessionState;
import dev.mtp.common.version.Incarnation;
import dev.mtp.common.version.Version;
import dev.mtp.common.version.VersionRule.OtherIncarnations;
import dev.mtp.reconciler.Codecs;
import dev.mtp.reconciler.Pipeline;
import dev.mtp.reconciler.ShadowReconcilerConfig;
import dev.mtp.reconciler.shadow.ShadowEntry;
import dev.mtp.reconciler.shadow.ShadowEntrySerde;
import dev.mtp.reconciler.shadow.ShadowFold;
import dev.mtp.reconciler.shadow.ShadowStore;
import dev.mtp.reconciler.tracking.MongoSyncTracking;
import dev.mtp.runtime.RunningApp;
import dev.mtp.runtime.config.ConfigLoader;
import dev.mtp.runtime.kafka.PipelineTopics;
import dev.mtp.runtime.kafka.TopicIncarnations;
import dev.mtp.testkit.Events;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Versions scoped to a topic incarnation (docs/decisions/0012), with the reconciler on a real broker and Redis: a value
 * an earlier life of the topic left, at offsets far above the new life's, is drift the reconciler repairs; and a shadow
 * entry left from an earlier life (restored from the changelog, no event touched it since) never takes a current
 * value back.
 */
@RealServers
class OtherIncarnationIT {

    static final Incarnation EARLIER = new Incarnation("Earlier0");

    @TempDir
    Path stateDir;

    @Test
    void aValueOfAnotherIncarnationIsRepairedAndAnEntryOfAnEarlierLifeKeepsACurrentValue(TestNamespace ns)
            throws Exception {
        try (Pipeline pipeline = new Pipeline(ns, stateDir)) {
            Config config = ConfigLoader.load(ShadowReconcilerConfig.TABLE, Map.of(), pipeline.environment());
            TopicIncarnations current;
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    ns.kafkaBootstrapServers()))) {
                PipelineTopics.ensure(admin, config, Duration.ofSeconds(60));
                current = TopicIncarnations.resolve(admin, pipeline.topics().allNames(), Duration.ofSeconds(30));
            }
            Incarnation sessions = current.of(pipeline.topics().sessions().name());
            Instant t0 = Instant.now();

            // "s-new": Redis holds it as an earlier life left it, at offset 900; the topic's new life creates it.
            SessionState earlier = SessionFold.apply(SessionState.empty("s-new"),
                    Events.created("s-new", "FULL_SESSION", t0), Version.of(EARLIER, 900)).state();
            pipeline.store().write(List.of(CacheWrite.session(earlier, false, OtherIncarnations.SUPERSEDE, EARLIER))).get();
            pipeline.produce(Events.created("s-new", "WITH_CONTEXT", t0));
            pipeline.flush();

            // "s-old": the shadow's entry is from an earlier life (in the changelog the reconciler restores), and
            // cache-writer already wrote the session from the life consumed now.
            SessionState old = SessionFold.apply(SessionState.empty("s-old"),
                    Events.created("s-old", "FULL_SESSION", t0), Version.of(EARLIER, 900)).state();
            String oldKey = pipeline.keys().session("s-old");
            ShadowEntry oldEntry = ShadowEntry.session(oldKey, old, ShadowFold.sessionDesired(old, Codecs.DEFAULT),
                    t0.toEpochMilli() - 60_000).withCheckAt(t0.toEpochMilli() - 55_000);
            seedChangelog(ns, ShadowStore.changelog(ShadowStore.applicationId(config)), "s-old",
                    oldKey, ShadowEntrySerde.encode(oldEntry));
            SessionState now = SessionFold.apply(SessionState.empty("s-old"),
                    Events.created("s-old", "WITH_CONTEXT", t0), Version.of(sessions, 0)).state();
            pipeline.store().write(List.of(CacheWrite.session(now, false, OtherIncarnations.SUPERSEDE,
                    current.of(pipeline.topics().interactions().name())))).get();
            byte[] currentValue = pipeline.store().inspect(oldKey).get().value();

            try (RunningApp app = pipeline.startReconciler()) {
                String newKey = pipeline.keys().session("s-new");
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    StoredKey held = pipeline.store().inspect(newKey).get();
                    assertThat(held.versions()).hasValueSatisfying(v ->
                            assertThat(v.get(0).incarnation()).isEqualTo(sessions));
                    assertThat(count(app.meterRegistry(), "mtp.reconciler.repairs", "outcome", "kept")).isPositive();
                });
                assertThat(count(app.meterRegistry(), "mtp.reconciler.drift", "kind", "other_incarnation"))
                        .isGreaterThanOrEqualTo(2);
                assertThat(count(app.meterRegistry(), "mtp.reconciler.checks", "result", "ahead")).isZero();
                assertThat(pipeline.store().inspect(oldKey).get().value()).as("the current value is kept")
                        .isEqualTo(currentValue);
                assertThat(pipeline.store().inspect(newKey).get().versions()).contains(
                        VersionVector.session(Version.of(sessions, 0),
                                Version.noneIn(current.of(pipeline.topics().interactions().name()))));

                MongoCollection<Document> kvshadow = ns.mongoDatabase().getCollection(MongoSyncTracking.COLLECTION);
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    Document repaired = kvshadow.find(new Document("_id", newKey)).first();
                    assertThat(repaired).isNotNull();
                    Document lastRepair = repaired.get("lastRepair", Document.class);
                    assertThat(lastRepair.getString("kind")).isEqualTo("other_incarnation");
                    assertThat(lastRepair.getString("from")).isEqualTo("900." + EARLIER.tag() + ",-1." + EARLIER.tag());
                    assertThat(lastRepair.getString("to")).isEqualTo("0." + sessions.tag() + ",-1");
                    assertThat(lastRepair.getString("outcome")).isEqualTo("applied");
                });
            }
        }
    }

    /** Writes an entry to the shadow's changelog, in the partition of its session's task, before the app starts. */
    private static void seedChangelog(TestNamespace ns, String topic, String sessionId, String key, byte[] entry)
            throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                ns.kafkaBootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, Pipeline.PARTITIONS, (short) 1).configs(
                    Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))).all().get();
        }
        ns.awaitTopicReady(topic);
        int partition = Utils.toPositive(Utils.murmur2(sessionId.getBytes(StandardCharsets.UTF_8)))
                % Pipeline.PARTITIONS;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ns.kafkaBootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, partition, key, entry)).get();
        }
    }

    private static double count(MeterRegistry registry, String name, String tag, String value) {
        return registry.find(name).tag(tag, value).counters().stream().mapToDouble(Counter::count).sum();
    }
}
