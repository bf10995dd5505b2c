package dev.mtp.mongowriter.store;

import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.InteractionRecorded;
import dev.mtp.common.event.TopicRole;
import dev.mtp.common.version.Incarnation;
import dev.mtp.mongowriter.write.LaneEvent;
import dev.mtp.mongowriter.write.SessionWork;
import dev.mtp.runtime.consume.SourcedEvent;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Which summaries a batch writes now and what is held back, counted and taken along later: no server. */
class SummaryWindowTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final String TOPIC = "t.interactions";
    private final AtomicLong nanos = new AtomicLong(1_000);

    @Test
    void withTheWindowOffEverySummaryIsWrittenWithItsBatch() {
        SummaryWindow window = new SummaryWindow(Duration.ZERO, 1, nanos::get);
        SessionWork work = work(Map.of(), lanes(interaction("s-1", 0, 1)));

        assertThat(window.writtenNow(work)).containsExactly("s-1");
    }

    @Test
    void aSummaryIsHeldBackUnlessTheBatchAlsoFoldsItsSession() {
        SummaryWindow window = window();
        SourcedEvent update = interaction("s-1", 0, 1); // stands for the fold: only its session id counts
        SessionWork work = work(Map.of("s-1", List.of(update)), lanes(interaction("s-1", 0, 2), interaction("s-2", 0, 3)));

        Set<String> now = window.writtenNow(work);
        window.hold(work.interactionLanes(), now);

        assertThat(now).containsExactly("s-1");
        assertThat(window.pending()).isEqualTo(1);
        assertThat(window.lanes(new TopicPartition(TOPIC, 0))).containsOnlyKeys("s-2");
    }

    @Test
    void heldSharesAreDueOnceManyEnoughOrOnceTheOldestIsOldEnough() {
        SummaryWindow window = window();
        hold(window, interaction("s-1", 0, 1), interaction("s-2", 0, 2));
        assertThat(window.flushDue()).isFalse();

        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(window.flushDue()).as("the oldest is a second old").isTrue();

        SummaryWindow counted = window();
        hold(counted, interaction("s-1", 0, 1), interaction("s-1", 0, 2), interaction("s-2", 0, 3));
        assertThat(counted.flushDue()).as("three events, the window's count").isTrue();
    }

    @Test
    void aBatchWrittenAgainAfterARetryIsHeldOnce() {
        SummaryWindow window = window();
        SourcedEvent event = interaction("s-1", 0, 7);
        hold(window, event);
        hold(window, event);

        assertThat(window.pending()).isEqualTo(1);
        assertThat(window.lanes(new TopicPartition(TOPIC, 0)).get("s-1")).singleElement()
                .satisfies(share -> assertThat(share.source()).as("held without the event").isNull());
    }

    @Test
    void aSummaryWrittenNowTakesWhatWasHeldForItsSessionOnThatPartitionAndThenReleasesIt() {
        SummaryWindow window = window();
        SourcedEvent earlier = interaction("s-1", 0, 1);
        hold(window, earlier, interaction("s-2", 1, 2));
        SourcedEvent later = interaction("s-1", 0, 5);
        SessionWork work = work(Map.of("s-1", List.of(later)), lanes(later));

        List<SummaryWindow.HeldLane> taken = window.takeInto(work, Set.of("s-1"), List.of(later));

        assertThat(taken).containsExactly(new SummaryWindow.HeldLane(new TopicPartition(TOPIC, 0), "s-1"));
        assertThat(work.interactionLanes().get("s-1")).extracting(LaneEvent::offset).containsExactly(1L, 5L);
        assertThat(window.pending()).as("held until written").isEqualTo(2);
        window.written(taken);
        assertThat(window.pending()).isEqualTo(1);
        assertThat(window.partitions()).contains(new TopicPartition(TOPIC, 1));
    }

    @Test
    void aSessionWhoseSummaryWasRefusedIsWrittenWithItsBatchFromThenOn() {
        SummaryWindow window = window();
        window.neverHold("s-1");

        SessionWork work = work(Map.of(), lanes(interaction("s-1", 0, 1), interaction("s-2", 0, 2)));

        assertThat(window.writtenNow(work)).containsExactly("s-1");
    }

    @Test
    void droppingPartitionsDropsTheirSharesAndTheAgeOnceNothingIsHeld() {
        SummaryWindow window = window();
        hold(window, interaction("s-1", 0, 1), interaction("s-2", 1, 2));

        window.drop(List.of(new TopicPartition(TOPIC, 1)));
        assertThat(window.pending()).isEqualTo(1);
        window.dropAll();
        assertThat(window.pending()).isZero();
        nanos.addAndGet(Duration.ofHours(1).toNanos());
        assertThat(window.flushDue()).isFalse();
    }

    /** Due after a second or three events. */
    private SummaryWindow window() {
        return new SummaryWindow(Duration.ofSeconds(1), 3, nanos::get);
    }

    private static void hold(SummaryWindow window, SourcedEvent... events) {
        SessionWork work = work(Map.of(), lanes(events));
        window.hold(work.interactionLanes(), window.writtenNow(work));
    }

    private static SessionWork work(Map<String, List<SourcedEvent>> folds, Map<String, List<LaneEvent>> interactions) {
        return new SessionWork(folds, interactions, new LinkedHashMap<>(), Set.of());
    }

    private static Map<String, List<LaneEvent>> lanes(SourcedEvent... events) {
        Map<String, List<LaneEvent>> lanes = new LinkedHashMap<>();
        for (SourcedEvent e : events) {
            lanes.computeIfAbsent(e.event().sessionId(), id -> new ArrayList<>()).add(LaneEvent.interaction(e, true));
        }
        return lanes;
    }

    private static SourcedEvent interaction(String sessionId, int partition, long offset) {
        return new SourcedEvent(EventEnvelope.of(UUID.randomUUID(), sessionId, "i-" + offset, "FULL_INTERACTION",
                T0.plusSeconds(offset), "test", new InteractionRecorded("user", "q", "a", Map.of(), Map.of(), 1L)),
                TopicRole.INTERACTIONS, TOPIC, partition, offset, new Incarnation("Consumed"));
    }
}
