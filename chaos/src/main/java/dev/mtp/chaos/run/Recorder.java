package dev.mtp.chaos.run;

import dev.mtp.chaos.check.Finding;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** What the run saw from outside: acknowledgements, refusals, regressions, freshness samples. Thread-safe. */
final class Recorder {

    /** One acknowledged write: where Kafka put it. */
    record Ack(String topic, int partition, long offset, String eventId, String sessionId) {
    }

    /** Milliseconds from the acknowledgement until the write was seen, and the phase it was acknowledged in. */
    record Freshness(String store, String phase, long millis) {
    }

    final AtomicLong acknowledged = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    final AtomicLong unanswered = new AtomicLong();
    final AtomicLong direct = new AtomicLong();
    final AtomicLong reads = new AtomicLong();
    /** Reads the ingest refused with 503 "Not visible yet": no store held the version already seen, not a regression. */
    final AtomicLong notVisibleYet = new AtomicLong();
    final List<Ack> acks = Collections.synchronizedList(new ArrayList<>());
    final List<Finding> regressions = Collections.synchronizedList(new ArrayList<>());
    final List<Freshness> freshness = Collections.synchronizedList(new ArrayList<>());
    final ConcurrentHashMap<String, Long> channelCounts = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, Long> typeCounts = new ConcurrentHashMap<>();
    private volatile String phase = "load";

    void ack(Ack ack, String channel, String type) {
        acknowledged.incrementAndGet();
        acks.add(ack);
        channelCounts.merge(channel, 1L, Long::sum);
        typeCounts.merge(type, 1L, Long::sum);
    }

    final ConcurrentHashMap<String, Long> unansweredReasons = new ConcurrentHashMap<>();

    /** A write whose outcome the driver never learned (connection lost, timeout, an answer it could not read). */
    void unanswered(int writes, Exception cause) {
        unanswered.addAndGet(writes);
        String message = String.valueOf(cause.getMessage());
        unansweredReasons.merge(cause.getClass().getSimpleName() + ": "
                + message.substring(0, Math.min(100, message.length())), (long) writes, Long::sum);
    }

    void phase(String phase) {
        this.phase = phase;
    }

    String phase() {
        return phase;
    }
}
