package dev.mtp.mongowriter.store;

import dev.mtp.mongowriter.write.PlannedWrite;
import dev.mtp.mongowriter.write.Skipped;
import dev.mtp.runtime.consume.SourcedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The skips and supersessions an operator must hear of (docs/decisions/0012), at INFO and rate-limited: a replay or a
 * move to another incarnation may touch millions of documents. Stale events (only a replay delivers them) and
 * supersessions of another incarnation's fields get one line per {@link #INTERVAL} each, with their coordinates and
 * how many were left out since the last line; duplicates are normal (redelivery) and only counted.
 */
final class SkipLog {
    static final Duration INTERVAL = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(SkipLog.class);

    private final Throttle stale;
    private final Throttle superseded;

    SkipLog(LongSupplier nanoTime) {
        this.stale = new Throttle(INTERVAL.toNanos(), nanoTime);
        this.superseded = new Throttle(INTERVAL.toNanos(), nanoTime);
    }

    void stale(Skipped skip) {
        long left = stale.permit();
        if (left >= 0) {
            SourcedEvent e = skip.event();
            log.atInfo().setMessage("stale event skipped (only a replay delivers one): {} {}-{} offset {} incarnation {}"
                            + " of session {}: the document holds {} of that topic ({} more since the last line)")
                    .addArgument(e.event().type().wireName()).addArgument(e.topic()).addArgument(e.partition())
                    .addArgument(e.offset()).addArgument(e.incarnation()).addArgument(e.event().sessionId())
                    .addArgument(skip.stored()).addArgument(left)
                    .addKeyValue("topic", e.topic()).addKeyValue("partition", e.partition())
                    .addKeyValue("offset", e.offset()).addKeyValue("incarnation", e.incarnation().toString())
                    .addKeyValue("sessionId", e.event().sessionId()).addKeyValue("entityId", e.event().entityId())
                    .addKeyValue("stored", skip.stored().toString()).log();
        }
    }

    void superseded(PlannedWrite write) {
        long left = superseded.permit();
        if (left >= 0) {
            PlannedWrite.Supersession s = write.supersedes();
            log.atInfo().setMessage("{} document {}: its {} fields, written from incarnation {} at offset {}, superseded"
                            + " by incarnation {} at offset {} ({} more since the last line)")
                    .addArgument(write.target().collection()).addArgument(write.id())
                    .addArgument(s.topic().baseName()).addArgument(s.stored().incarnation())
                    .addArgument(s.stored().offset()).addArgument(s.by().incarnation()).addArgument(s.by().offset())
                    .addArgument(left)
                    .addKeyValue("collection", write.target().collection()).addKeyValue("id", write.id())
                    .addKeyValue("topic", s.topic().baseName()).addKeyValue("stored", s.stored().toString())
                    .addKeyValue("by", s.by().toString()).log();
        }
    }

    /** At most one permit per interval; counts the calls it refused in between. */
    static final class Throttle {
        private final long intervalNanos;
        private final LongSupplier nanoTime;
        private long next = Long.MIN_VALUE;
        private long refused;

        Throttle(long intervalNanos, LongSupplier nanoTime) {
            this.intervalNanos = intervalNanos;
            this.nanoTime = nanoTime;
        }

        /** How many calls were refused since the last permit, or -1 when this one is refused too. */
        synchronized long permit() {
            long now = nanoTime.getAsLong();
            if (next != Long.MIN_VALUE && now - next < 0) {
                refused++;
                return -1;
            }
            next = now + intervalNanos;
            long left = refused;
            refused = 0;
            return left;
        }
    }
}
