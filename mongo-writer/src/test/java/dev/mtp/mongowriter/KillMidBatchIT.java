package dev.mtp.mongowriter;

import dev.mtp.common.event.EntityType;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.testkit.Events;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * mongo-writer runs in its own JVM and is killed with SIGKILL (no shutdown hook, no commit) while it writes; a
 * second instance finishes. The documents must equal those of a writer that never crashed: nothing lost, nothing
 * applied twice (counts included).
 */
@RealServers
class KillMidBatchIT {
    private static final int SESSIONS = 200;
    private static final int INTERACTIONS_PER_SESSION = 15;

    @Test
    void aWriterKilledMidBatchLosesNothingAndDoubleAppliesNothingOnRestart(TestNamespace ns) throws Exception {
        try (Harness h = new Harness(ns)) {
            h.ensureTopics();
            Events.Clocked ev = new Events.Clocked();
            List<EventEnvelope> events = new ArrayList<>();
            for (int s = 0; s < SESSIONS; s++) {
                events.add(ev.created("k-" + s));
            }
            // Interleaved like concurrent chats, so every batch touches many sessions.
            for (int i = 0; i < INTERACTIONS_PER_SESSION; i++) {
                for (int s = 0; s < SESSIONS; s++) {
                    events.add(ev.interaction("k-" + s, "k-" + s + "-i" + i, "answer " + i + " ".repeat(500)));
                    if (i == 5) {
                        events.add(ev.updated("k-" + s, "idle", Map.of("turn", i), null));
                        events.add(ev.evaluation("k-" + s, "k-" + s + "-i" + i, EntityType.INTERACTION, Map.of("i", i)));
                    }
                }
            }
            for (int s = 0; s < SESSIONS; s++) {
                events.add(ev.evaluation("k-" + s, "k-" + s, EntityType.SESSION, Map.of("score", s)));
                events.add(ev.closed("k-" + s));
            }
            h.produce(events);
            long end = h.endTotal();

            Path log = Files.createTempFile(Path.of("target"), "mongo-writer-child-", ".log");
            Process child = h.startChild(log, Map.of("APP_CONSUME_MAX_POLL_RECORDS", "100"));
            try {
                await("the child writes a part of the topics").atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(20))
                        .until(() -> h.interactions().countDocuments() > SESSIONS * INTERACTIONS_PER_SESSION / 4);
            } finally {
                child.destroyForcibly();
                child.waitFor(30, TimeUnit.SECONDS);
            }
            long committedAtKill = h.committedTotal();
            assertThat(committedAtKill).as("killed before the end (log %s)", log).isLessThan(end);

            h.start();
            h.awaitCaughtUp(Duration.ofSeconds(180));

            for (int s = 0; s < SESSIONS; s++) {
                Document session = h.session("k-" + s);
                assertThat(session.getInteger("interactionCount")).as("k-" + s).isEqualTo(INTERACTIONS_PER_SESSION);
                assertThat(session.getInteger("evaluationCount")).as("k-" + s).isEqualTo(2);
                assertThat(session.getString("status")).isEqualTo("closed");
            }
            assertThat(h.interactions().countDocuments()).isEqualTo((long) SESSIONS * INTERACTIONS_PER_SESSION);
            assertThat(h.evaluations().countDocuments()).isEqualTo(2L * SESSIONS);

            // A writer that never crashed, on the same topics, into another database: the same documents.
            h.assertSameAsAReferenceWriter(Map.of(), Duration.ofSeconds(180));
        }
    }
}
