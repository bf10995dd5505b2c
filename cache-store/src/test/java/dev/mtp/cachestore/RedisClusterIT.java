package dev.mtp.cachestore;

import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.projection.SessionState;
import dev.mtp.common.strategy.InteractionField;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static dev.mtp.common.version.VersionRule.OtherIncarnations.SUPERSEDE;
import static org.assertj.core.api.Assertions.assertThat;

/** The same writes against a three-node Redis Cluster: one pipelined batch spans the nodes; a session stays on one. */
class RedisClusterIT {

    private static LocalRedisCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = LocalRedisCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static RedisCacheStore open() {
        return RedisCacheStore.open(CacheStoreSettings.defaults(cluster.seed(), "it:").withCluster(true),
                Clock.systemUTC());
    }

    /** As cache-writer does: a batch with a transient failure (a node connection still opening) is sent again. */
    private static List<WriteResult> writeRetryingTransientFailures(CacheStore store, List<CacheWrite> writes)
            throws Exception {
        for (int attempt = 1; ; attempt++) {
            List<WriteResult> results = store.write(writes).get(60, TimeUnit.SECONDS);
            boolean transientFailure = results.stream().anyMatch(r -> r.failed() && CacheErrors.CLASSIFIER.isTransient(r.error()));
            if (!transientFailure || attempt == 5) {
                return results;
            }
            Thread.sleep(500L * attempt);
        }
    }

    @Test
    void aBatchAcrossTheNodesIsWrittenReadAndPurgedPerSession() throws Exception {
        Instant now = Instant.now();
        try (RedisCacheStore store = open()) {
            List<CacheWrite> writes = new ArrayList<>();
            Set<Integer> slots = new HashSet<>();
            for (int i = 0; i < 60; i++) {
                String session = "cluster-session-" + i;
                SessionState s = Samples.session(session, "WITH_CONTEXT", now, i, i);
                writes.add(CacheWrite.session(s, false, SUPERSEDE, Samples.INTERACTIONS));
                EventEnvelope interaction = Samples.interaction(session, "int-" + i, "RESPONSE_ONLY", now);
                writes.addAll(CacheWrite.interaction(interaction, Samples.iv(i), SUPERSEDE));
                slots.add(SlotHash.getSlot(store.keys().session(session)));
                assertThat(SlotHash.getSlot(store.keys().interaction(session, "int-" + i)))
                        .isEqualTo(SlotHash.getSlot(store.keys().session(session)));
            }
            List<WriteResult> results = writeRetryingTransientFailures(store, writes);
            // A retried write that had landed the first time is a duplicate the second time.
            assertThat(results).allSatisfy(r -> assertThat(r.outcome()).as(String.valueOf(r.error()))
                    .isIn(WriteOutcome.WRITTEN, WriteOutcome.DUPLICATE));
            assertThat(slots).hasSizeGreaterThan(30);

            for (int i = 0; i < 60; i++) {
                String session = "cluster-session-" + i;
                assertThat(store.session(session).get().orElseThrow().versions()).isEqualTo(Samples.versions(i, i));
                assertThat(store.latestResponse(session).get().orElseThrow().get(InteractionField.INTERACTION_ID))
                        .isEqualTo("int-" + i);
            }
            // Every node got keys: the batch really was spread.
            for (var node : cluster.nodes()) {
                RedisClient client = RedisClient.create(RedisURI.create(node.url()));
                try (StatefulRedisConnection<String, String> c = client.connect()) {
                    assertThat(c.sync().dbsize()).as("keys on " + node.url()).isPositive();
                } finally {
                    client.shutdown();
                }
            }

            List<WriteResult> purged = writeRetryingTransientFailures(store, List.of(
                    new CacheWrite.PurgeSession("cluster-session-7", Samples.versions(100, 7), SUPERSEDE),
                    CacheWrite.session(Samples.session("cluster-session-8", "WITH_CONTEXT", now, 1, 1), false,
                            SUPERSEDE, Samples.INTERACTIONS)));
            assertThat(purged).extracting(WriteResult::outcome)
                    .containsExactly(WriteOutcome.REMOVED, WriteOutcome.STALE);
            assertThat(store.interaction("cluster-session-7", "int-7").get()).isEmpty();
            assertThat(store.latestResponse("cluster-session-7").get()).isEmpty();
            assertThat(store.inspect(store.keys().session("cluster-session-7")).get().isTombstone()).isTrue();
        }
    }
}
