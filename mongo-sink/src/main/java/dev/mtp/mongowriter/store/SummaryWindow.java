package dev.mtp.mongowriter.store;

import dev.mtp.mongowriter.write.LaneEvent;
import dev.mtp.mongowriter.write.SessionWork;
import dev.mtp.runtime.consume.SourcedEvent;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The session summaries held back over several polls (docs/decisions/0007): each poll's share of a session's summary,
 * kept by the topic-partition of its events until the window is due, or until a later batch writes that session's
 * summary anyway and takes it along. No I/O; safe for the write threads, which hold back disjoint partitions at once.
 */
final class SummaryWindow {
    /** Sessions remembered as refused; the oldest are forgotten beyond this. */
    private static final int NEVER_HELD_ENTRIES = 10_000;

    /** A session's summary held back on one topic-partition. */
    record HeldLane(TopicPartition partition, String sessionId) {}

    private final long windowNanos;
    private final int windowEvents;
    private final LongSupplier nanoTime;
    private final Map<TopicPartition, Map<String, List<LaneEvent>>> held = new ConcurrentHashMap<>();
    private final AtomicInteger heldEvents = new AtomicInteger();
    /** When the oldest held-back share was held, 0 when nothing is held. */
    private final AtomicLong heldSince = new AtomicLong();
    /** Sessions whose summary the store refused: never held back again, so a refusal maps to its own records. */
    private final Set<String> neverHeld = Collections.newSetFromMap(Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > NEVER_HELD_ENTRIES;
                }
            }));

    /** A zero window holds nothing back: every summary is written with its batch. */
    SummaryWindow(Duration window, int windowEvents, LongSupplier nanoTime) {
        this.windowNanos = window.toNanos();
        this.windowEvents = windowEvents;
        this.nanoTime = nanoTime;
    }

    /** Events whose summary share is held back. */
    int pending() {
        return heldEvents.get();
    }

    /** True when the held-back shares are many enough, or the oldest old enough, to be written. */
    boolean flushDue() {
        long since = heldSince.get();
        return heldEvents.get() >= windowEvents || (since != 0 && nanoTime.getAsLong() - since >= windowNanos);
    }

    /**
     * The sessions whose summaries a batch writes now: all of them when the window is off; else those whose own fields
     * the batch changes (a fold or deletion orders with them) and those the store refused before.
     */
    Set<String> writtenNow(SessionWork work) {
        Set<String> now = new HashSet<>();
        if (windowNanos == 0) {
            now.addAll(work.interactionLanes().keySet());
            now.addAll(work.evaluationLanes().keySet());
        } else {
            now.addAll(work.folds().keySet());
            work.interactionLanes().keySet().stream().filter(neverHeld::contains).forEach(now::add);
            work.evaluationLanes().keySet().stream().filter(neverHeld::contains).forEach(now::add);
        }
        return now;
    }

    /**
     * Puts what was held back for the sessions written now (on the partition of their events in this batch) in front
     * of their lanes, so their summaries carry it. Returns what was taken: it is done once {@link #written} says so.
     */
    List<HeldLane> takeInto(SessionWork work, Set<String> now, List<SourcedEvent> batch) {
        Map<String, Integer> partitionOf = new HashMap<>();
        for (SourcedEvent e : batch) {
            partitionOf.putIfAbsent(e.event().sessionId(), e.partition());
        }
        List<HeldLane> taken = new ArrayList<>();
        for (String id : now) {
            for (Map.Entry<TopicPartition, Map<String, List<LaneEvent>>> entry : held.entrySet()) {
                List<LaneEvent> earlier = entry.getKey().partition() == partitionOf.get(id) ? entry.getValue().get(id) : null;
                if (earlier != null) {
                    taken.add(new HeldLane(entry.getKey(), id));
                    Map<String, List<LaneEvent>> lanes = earlier.get(0).isEvaluation()
                            ? work.evaluationLanes() : work.interactionLanes();
                    List<LaneEvent> lane = new ArrayList<>(earlier);
                    lane.addAll(lanes.getOrDefault(id, List.of()));
                    lanes.put(id, lane);
                }
            }
        }
        return taken;
    }

    /** The summaries that took held-back shares were written: those shares are done. */
    void written(List<HeldLane> taken) {
        for (HeldLane lane : taken) {
            Map<String, List<LaneEvent>> lanes = held.get(lane.partition());
            List<LaneEvent> done = lanes == null ? null : lanes.remove(lane.sessionId());
            if (done != null) {
                heldEvents.addAndGet(-countHeld(done));
            }
        }
        if (!taken.isEmpty() && heldEvents.get() == 0) {
            heldSince.set(0);
        }
    }

    /** Keeps the batch's share of the summaries not written now, without the events themselves. */
    void hold(Map<String, List<LaneEvent>> lanes, Set<String> now) {
        lanes.forEach((id, events) -> {
            if (now.contains(id)) {
                return;
            }
            SourcedEvent first = events.get(0).source();
            List<LaneEvent> lane = held.computeIfAbsent(new TopicPartition(first.topic(), first.partition()),
                    tp -> new HashMap<>()).computeIfAbsent(id, k -> new ArrayList<>());
            long last = lane.isEmpty() ? Long.MIN_VALUE : lane.get(lane.size() - 1).offset();
            int added = 0;
            for (LaneEvent e : events) {
                if (e.offset() > last) { // a batch written again (after a retry) is held once
                    lane.add(e.held());
                    added++;
                }
            }
            if (added > 0) {
                heldEvents.addAndGet(added);
                heldSince.compareAndSet(0, nanoTime.getAsLong());
            }
        });
    }

    /** The topic-partitions with held-back shares. */
    Set<TopicPartition> partitions() {
        return held.keySet();
    }

    /** The held-back lanes of one topic-partition by session, or null when it holds none. */
    Map<String, List<LaneEvent>> lanes(TopicPartition partition) {
        return held.get(partition);
    }

    /** Drops what is held back for these partitions (flushed, or read again by their next owner). */
    void drop(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            Map<String, List<LaneEvent>> lanes = held.remove(tp);
            if (lanes != null) {
                int n = 0;
                for (List<LaneEvent> lane : lanes.values()) {
                    n += lane.size();
                }
                heldEvents.addAndGet(-n);
            }
        }
        if (held.isEmpty()) {
            heldSince.set(0);
        }
    }

    void dropAll() {
        drop(List.copyOf(held.keySet()));
    }

    /** The store refused this session's summary: it is written with its batch from now on. */
    void neverHold(String sessionId) {
        neverHeld.add(sessionId);
    }

    private static int countHeld(List<LaneEvent> lane) {
        int n = 0;
        for (LaneEvent e : lane) {
            if (e.source() == null) {
                n++;
            }
        }
        return n;
    }
}
