package dev.mtp.mongowriter.write;

import dev.mtp.common.event.EntityType;
import dev.mtp.common.event.EvaluationRecorded;
import dev.mtp.runtime.consume.SourcedEvent;

import java.util.Date;

/**
 * One event's share of a session summary (interaction or evaluation lane): all a summary write needs, small enough
 * to be held back over several polls (docs/decisions/0007) without keeping the event itself.
 *
 * @param offset            the event's offset (its version, owned by its topic)
 * @param occurredAt        when it happened (compared with the session's deletion time)
 * @param entityId          the interaction id (interaction lane)
 * @param eventId           the event id (evaluation lane: the session's last evaluation id)
 * @param creator           interaction lane: the event created its interaction document, so it counts
 * @param sessionEvaluation evaluation lane: the payload when the evaluation is about the session itself, else null
 * @param source            the event while its batch is in hand (its records are rejected by identity), null once
 *                          held back past its batch
 */
public record LaneEvent(long offset, Date occurredAt, String entityId, String eventId, boolean creator,
                        EvaluationRecorded sessionEvaluation, SourcedEvent source) {

    public static LaneEvent interaction(SourcedEvent e, boolean creator) {
        return new LaneEvent(e.offset(), Date.from(e.event().occurredAt()), e.event().entityId(), null, creator, null, e);
    }

    public static LaneEvent evaluation(SourcedEvent e) {
        EvaluationRecorded payload = (EvaluationRecorded) e.event().payload();
        return new LaneEvent(e.offset(), Date.from(e.event().occurredAt()), null, e.event().eventId().toString(), false,
                payload.entityType() == EntityType.SESSION ? payload : null, e);
    }

    /** Of the evaluation lane (an evaluation's share), else of the interaction lane. */
    public boolean isEvaluation() {
        return eventId != null;
    }

    /** The same share without its event: held back past its batch. */
    public LaneEvent held() {
        return source == null ? this : new LaneEvent(offset, occurredAt, entityId, eventId, creator, sessionEvaluation, null);
    }
}
