package dev.mtp.mongowriter.store;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.SessionUpdated;
import dev.mtp.common.event.TopicRole;
import dev.mtp.common.version.Incarnation;
import dev.mtp.common.version.Version;
import dev.mtp.mongowriter.write.Skipped;
import dev.mtp.runtime.consume.SourcedEvent;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The stale and supersession log lines and their rate limit: pure, with a hand-moved clock. */
class SkipLogTest {

    @Test
    void onePermitPerIntervalThenTheNextOneSaysHowManyWereLeftOut() {
        AtomicLong now = new AtomicLong(-5); // nanoTime may be negative
        SkipLog.Throttle throttle = new SkipLog.Throttle(100, now::get);

        assertThat(throttle.permit()).isZero();
        now.addAndGet(50);
        assertThat(throttle.permit()).isEqualTo(-1);
        assertThat(throttle.permit()).isEqualTo(-1);
        now.addAndGet(50);
        assertThat(throttle.permit()).as("an interval after the first line").isEqualTo(2);
        now.addAndGet(99);
        assertThat(throttle.permit()).isEqualTo(-1);
        now.addAndGet(1);
        assertThat(throttle.permit()).isEqualTo(1);
    }

    @Test
    void aStaleEventIsLoggedAtInfoWithItsCoordinatesOncePerInterval() {
        Logger logger = (Logger) LoggerFactory.getLogger(SkipLog.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            AtomicLong now = new AtomicLong();
            SkipLog log = new SkipLog(now::get);
            Incarnation incarnation = new Incarnation("AbCdEfGh");
            SourcedEvent event = new SourcedEvent(EventEnvelope.of(UUID.randomUUID(), "s-1", "s-1", null,
                    Instant.parse("2026-12-01T10:00:00Z"), "test", new SessionUpdated(null, "idle", null, null)),
                    TopicRole.SESSIONS, "mtp.sessions.v1", 2, 11, incarnation);
            Skipped skip = new Skipped(event, Skipped.Reason.STALE, new Version(incarnation, 12));

            log.stale(skip);
            log.stale(skip);

            assertThat(lines.list).singleElement().satisfies(line -> {
                assertThat(line.getLevel().toString()).isEqualTo("INFO");
                assertThat(line.getFormattedMessage()).contains("mtp.sessions.v1-2 offset 11 incarnation AbCdEfGh",
                        "session s-1", "holds 12.AbCdEfGh");
                assertThat(line.getKeyValuePairs()).extracting(kv -> kv.key + "=" + kv.value)
                        .contains("topic=mtp.sessions.v1", "partition=2", "offset=11", "incarnation=AbCdEfGh",
                                "stored=12.AbCdEfGh");
            });
            now.addAndGet(SkipLog.INTERVAL.toNanos());
            log.stale(skip);
            assertThat(lines.list).hasSize(2);
            assertThat(lines.list.get(1).getFormattedMessage()).contains("(1 more since the last line)");
        } finally {
            logger.detachAppender(lines);
        }
    }
}
