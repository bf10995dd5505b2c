package dev.mtp.mongowriter.write;

import dev.mtp.common.event.EntityType;
import dev.mtp.common.event.EvaluationRecorded;
import dev.mtp.common.version.Version;
import dev.mtp.runtime.consume.SourcedEvent;

import java.util.Date;

/**
 * One event's share of a session summary (interaction or evaluation lane): all a summary write needs, small enough
 * to be held back over several polls (docs/decisions/0007) without keeping the event itself.
 *
 * @param version           the event's version (its offset in the incarnation consumed; owned by its topic)
 * @param occurredAt        when it happened (compared with the session's deletion time)
 * @param entityId          the interaction id (interaction lane)
 * @param eventId           the event id (evaluation lane: the session's last evaluation id)
 * @param creator           the event created its entity document (interaction lane: the interaction document, which
 *                          keeps the event's version as its first; evaluation lane: the evaluation document, whose
 *                          source is the event). Only creators count when a summary supersedes another
 *                          incarnation's (docs/decisions/0012): the others were counted there already
 * @param sessionEvaluation evaluation lane: the payload when the evaluation is about the session itself, else null
 * @param source            the event while its batch is in hand (its records are rejected by identity), null once
 *                          held back past its batch
 */
public record LaneEvent(Version version, Date occurredAt, String entityId, String eventId, boolean creator,
                        EvaluationRecorded sessionEvaluation, SourcedEvent source) {

    public static LaneEvent interaction(SourcedEvent e, boolean creator) {
        return new LaneEvent(e.version(), Date.from(e.event().occurredAt()), e.event().entityId(), null, creator, null, e);
    }

    public static LaneEvent evaluation(SourcedEvent e, boolean creator) {
        EvaluationRecorded payload = (EvaluationRecorded) e.event().payload();
        return new LaneEvent(e.version(), Date.from(e.event().occurredAt()), null, e.event().eventId().toString(),
                creator, payload.entityType() == EntityType.SESSION ? payload : null, e);
    }

    /** The event's offset; one lane holds the events of one topic-partition of the incarnation consumed. */
    public long offset() {
        return version.offset();
    }

    /** Of the evaluation lane (an evaluation's share), else of the interaction lane. */
    public boolean isEvaluation() {
        return eventId != null;
    }

    /** The same share without its event: held back past its batch. */
    public LaneEvent held() {
        return source == null ? this : new LaneEvent(version, occurredAt, entityId, eventId, creator, sessionEvaluation, null);
    }
}
