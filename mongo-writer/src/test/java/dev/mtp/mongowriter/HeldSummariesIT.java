package dev.mtp.mongowriter;

import dev.mtp.common.event.EntityType;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.mongowriter.store.DocumentRejectedException;
import dev.mtp.runtime.RunningApp;
import dev.mtp.runtime.consume.DeadLetterPublisher;
import dev.mtp.testkit.Events;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Session summaries held back over several polls (docs/decisions/0007): one summary write per session for many
 * polls, offsets committed only once the summaries covering them are written, and neither a crash between two
 * flushes nor a rebalance with held-back work (flushed, or dropped while MongoDB is down) loses or double-counts
 * anything. Each run is compared with a writer that holds nothing back.
 */
@RealServers
class HeldSummariesIT {
    private static final Duration CATCH_UP = Duration.ofSeconds(180);
    /** Never due by time or size: only an empty poll, a rebalance or a stop flushes. */
    private static final Map<String, String> HOLD_LONG = Map.of(
            "APP_MONGO_WRITER_SUMMARY_WINDOW_MS", "60000", "APP_MONGO_WRITER_SUMMARY_WINDOW_EVENTS", "1000000");

    @Test
    void summariesOfManyPollsAreWrittenOncePerSessionAndOffsetsWaitForThem(TestNamespace ns) throws Exception {
        try (Harness h = new Harness(ns)) {
            h.ensureTopics();
            Events.Clocked ev = new Events.Clocked();
            int sessions = 20;
            int perSession = 15;
            List<EventEnvelope> events = new ArrayList<>();
            for (int s = 0; s < sessions; s++) {
                events.add(ev.created("c-" + s));
            }
            for (int i = 0; i < perSession; i++) {
                for (int s = 0; s < sessions; s++) {
                    events.add(ev.interaction("c-" + s, "c-" + s + "-i" + i, "answer " + i));
                }
            }
            h.produce(events); // all of it before the writer starts: its polls are full until the end
            RunningApp app = h.start(with(HOLD_LONG, "APP_CONSUME_MAX_POLL_RECORDS", "25"));
            h.awaitCaughtUp(CATCH_UP);

            for (int s = 0; s < sessions; s++) {
                Document session = h.session("c-" + s);
                assertThat(session.getInteger("interactionCount")).as("c-" + s).isEqualTo(perSession);
                assertThat(session.getString("lastInteractionId")).isEqualTo("c-" + s + "-i" + (perSession - 1));
            }
            MeterRegistry meters = app.meterRegistry();
            double batches = counter(meters, "mtp.consume.batches");
            double summaryWrites = meters.get("mtp.mongo.writes").tag("kind", "interaction_summary").counter().count();
            // 300 interactions in 25-record polls; written with every poll, each poll would write ~20 summaries.
            assertThat(batches).as("polls").isGreaterThanOrEqualTo(12);
            assertThat(summaryWrites).as("summary writes for %s polls", batches).isLessThan(batches * sessions / 3);
            assertThat(meters.get("mtp.consume.pending").gauge().value()).isZero();

            assertSameAsAWriterThatHoldsNothingBack(h);
        }
    }

    /**
     * Killed with SIGKILL while summaries are held back after some were flushed and committed: the interaction
     * documents of the uncommitted polls exist, their summaries do not. The next writer reads those polls again;
     * only the events that created their interaction document count ({@code interactionsFirst}), so nothing is
     * counted twice or lost.
     */
    @Test
    void aWriterKilledBetweenTwoFlushesLosesNothingAndCountsNothingTwice(TestNamespace ns) throws Exception {
        try (Harness h = new Harness(ns)) {
            h.ensureTopics();
            Events.Clocked ev = new Events.Clocked();
            int sessions = 100;
            int perSession = 20;
            List<EventEnvelope> events = new ArrayList<>();
            for (int s = 0; s < sessions; s++) {
                events.add(ev.created("k-" + s));
            }
            for (int i = 0; i < perSession; i++) {
                for (int s = 0; s < sessions; s++) {
                    events.add(ev.interaction("k-" + s, "k-" + s + "-i" + i, "answer " + i + " ".repeat(300)));
                    if (i == 7) {
                        events.add(ev.evaluation("k-" + s, "k-" + s, EntityType.SESSION, Map.of("score", s)));
                    }
                }
            }
            h.produce(events);
            long end = h.endTotal();

            Path log = Files.createTempFile(Path.of("target"), "mongo-writer-held-", ".log");
            Process child = h.startChild(log, Map.of("APP_CONSUME_MAX_POLL_RECORDS", "100",
                    "APP_MONGO_WRITER_SUMMARY_WINDOW_MS", "60000", "APP_MONGO_WRITER_SUMMARY_WINDOW_EVENTS", "400"));
            try {
                await("a flush committed, then interaction documents written whose summaries are held back")
                        .atMost(CATCH_UP).pollInterval(Duration.ofMillis(20))
                        .until(() -> h.committedTotal() > 0 && countedInSessions(h) < h.interactions().countDocuments());
            } finally {
                child.destroyForcibly();
                child.waitFor(30, TimeUnit.SECONDS);
            }
            long committedAtKill = h.committedTotal();
            assertThat(committedAtKill).as("killed before the end (log %s)", log).isLessThan(end);

            h.start();
            h.awaitCaughtUp(CATCH_UP);
            for (int s = 0; s < sessions; s++) {
                Document session = h.session("k-" + s);
                assertThat(session.getInteger("interactionCount")).as("k-" + s).isEqualTo(perSession);
                assertThat(session.getInteger("evaluationCount")).as("k-" + s).isEqualTo(1);
            }
            assertSameAsAWriterThatHoldsNothingBack(h);
        }
    }

    /**
     * A second member joins while the first holds summaries back: the first flushes and commits before it lets go.
     * Events keep coming until then, so the first never runs idle (an empty poll flushes held-back work at once, and
     * a fast first member could otherwise finish the backlog before the second has joined).
     */
    @Test
    void aRebalanceWithHeldBackWorkFlushesItBeforeThePartitionsGo(TestNamespace ns) throws Exception {
        try (Harness h = new Harness(ns)) {
            h.ensureTopics();
            Events.Clocked ev = new Events.Clocked();
            h.produce(manyInteractions(ev, "r", 200, 40));
            RunningApp first = h.start(with(HOLD_LONG, "APP_CONSUME_MAX_POLL_RECORDS", "20"));
            await("the first member holds summaries back").atMost(CATCH_UP)
                    .until(() -> gauge(first, "mtp.consume.pending") > 0);
            AtomicBoolean trickling = new AtomicBoolean(true);
            CompletableFuture<Integer> trickle = CompletableFuture.supplyAsync(() -> {
                int n = 0;
                for (; trickling.get(); n++) {
                    try {
                        h.produce(ev.interaction("t-" + n % 10, "t-" + n % 10 + "-i" + n, "t" + n));
                        Thread.sleep(10);
                    } catch (Exception e) {
                        throw new IllegalStateException("trickle stopped", e);
                    }
                }
                return n;
            });
            try {
                h.start(with(HOLD_LONG, "APP_CONSUME_MAX_POLL_RECORDS", "20"));
                await("the first member flushed on revocation").atMost(CATCH_UP)
                        .until(() -> counter(first.meterRegistry(), "mtp.consume.flushes", "reason", "rebalance") >= 1);
            } finally {
                trickling.set(false);
            }
            int trickled = trickle.get(30, TimeUnit.SECONDS);
            h.awaitCaughtUp(CATCH_UP);

            assertCounts(h, "r", 200, 40, trickled);
            assertSameAsAWriterThatHoldsNothingBack(h);
        }
    }

    /**
     * MongoDB is unreachable for the first member while it holds summaries back, and a second member joins: the
     * first cannot flush, so it drops the held-back work of the partitions it gives up, without committing them;
     * the second reads them again from the last commit. Nothing is lost or counted twice.
     */
    @Test
    void aRebalanceWhileTheStoreIsDownDropsTheHeldBackWorkOfThePartitionsThatGo(TestNamespace ns) throws Exception {
        URI server = URI.create(ns.mongoUri());
        try (Harness h = new Harness(ns); TcpProxy proxy = new TcpProxy(server.getHost(), server.getPort())) {
            h.ensureTopics();
            h.produce(manyInteractions(new Events.Clocked(), "d", 200, 40));
            RunningApp first = h.start("mongodb://127.0.0.1:" + proxy.port(), ns.mongoDatabaseName(),
                    with(HOLD_LONG, "APP_CONSUME_MAX_POLL_RECORDS", "20"));
            await("the first member holds summaries back").atMost(CATCH_UP)
                    .until(() -> gauge(first, "mtp.consume.pending") > 0);
            proxy.cut();
            await("the first member waits for the store").atMost(CATCH_UP).until(() -> !first.readiness().up());
            long committedBefore = h.committedTotal();
            h.start(with(HOLD_LONG, "APP_CONSUME_MAX_POLL_RECORDS", "20"));
            await("the second member took partitions and wrote them").atMost(CATCH_UP)
                    .until(() -> h.committedTotal() > committedBefore);
            proxy.restore();
            h.awaitCaughtUp(CATCH_UP);

            assertCounts(h, "d", 200, 40);
            assertSameAsAWriterThatHoldsNothingBack(h);
        }
    }

    /**
     * MongoDB refuses a held-back summary for a data reason (here: the count was edited into text by hand, so $inc
     * fails with TypeMismatch). Its records can only be dead-lettered from their own poll: the writer drops what it
     * held, the loop reads again from the last commit, and that session's summaries are no longer held back, so its
     * records go to the dead-letter topic and every other session is counted exactly.
     */
    @Test
    void aHeldBackSummaryTheStoreRefusesIsReadAgainAndItsRecordsAreDeadLettered(TestNamespace ns) throws Exception {
        try (Harness h = new Harness(ns)) {
            RunningApp app = h.start(HOLD_LONG);
            h.ensureTopics();
            Events.Clocked ev = new Events.Clocked();
            h.produce(ev.created("bad"), ev.created("good"));
            h.awaitCaughtUp(CATCH_UP);
            h.sessions().updateOne(new Document("_id", "bad"),
                    new Document("$set", new Document("interactionCount", "edited by hand")));

            List<EventEnvelope> events = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                events.add(ev.interaction("bad", "bad-i" + i, "answer " + i));
                events.add(ev.interaction("good", "good-i" + i, "answer " + i));
            }
            h.produce(events);
            h.awaitCaughtUp(CATCH_UP);

            assertThat(h.session("good").getInteger("interactionCount")).isEqualTo(3);
            assertThat(h.interactions().countDocuments()).as("interaction documents").isEqualTo(6);
            List<ConsumerRecord<byte[], byte[]>> letters = h.deadLetters(3);
            assertThat(letters).hasSize(3).allSatisfy(r -> {
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("bad");
                assertThat(Harness.header(r, DeadLetterPublisher.ERROR_CLASS))
                        .isEqualTo(DocumentRejectedException.class.getName());
            });
            assertThat(counter(app.meterRegistry(), "mtp.consume.rewinds")).as("re-reads").isGreaterThanOrEqualTo(1);
        }
    }

    private static List<EventEnvelope> manyInteractions(Events.Clocked ev, String prefix, int sessions, int perSession) {
        List<EventEnvelope> events = new ArrayList<>();
        for (int i = 0; i < perSession; i++) {
            for (int s = 0; s < sessions; s++) {
                if (i == 0) {
                    events.add(ev.created(prefix + "-" + s));
                }
                events.add(ev.interaction(prefix + "-" + s, prefix + "-" + s + "-i" + i, "a" + i));
            }
        }
        return events;
    }

    private static void assertCounts(Harness h, String prefix, int sessions, int perSession) {
        assertCounts(h, prefix, sessions, perSession, 0);
    }

    /** {@code others}: interactions of sessions outside the prefix, in the collection too. */
    private static void assertCounts(Harness h, String prefix, int sessions, int perSession, int others) {
        for (int s = 0; s < sessions; s++) {
            assertThat(h.session(prefix + "-" + s).getInteger("interactionCount")).as(prefix + "-" + s)
                    .isEqualTo(perSession);
        }
        assertThat(h.interactions().countDocuments()).isEqualTo((long) sessions * perSession + others);
    }

    /** A writer that holds nothing back, on the same topics into another database, makes the same documents. */
    private static void assertSameAsAWriterThatHoldsNothingBack(Harness h) throws Exception {
        h.assertSameAsAReferenceWriter(Map.of("APP_MONGO_WRITER_SUMMARY_WINDOW_MS", "0"), CATCH_UP);
    }

    private static long countedInSessions(Harness h) {
        long counted = 0;
        for (Document s : h.sessions().find()) {
            counted += s.getInteger("interactionCount", 0);
        }
        return counted;
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> all = new java.util.HashMap<>(base);
        all.put(key, value);
        return all;
    }

    private static double counter(MeterRegistry registry, String name, String... tags) {
        Counter counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    private static double gauge(RunningApp app, String name) {
        Gauge gauge = app.meterRegistry().find(name).gauge();
        return gauge == null ? 0 : gauge.value();
    }
}
