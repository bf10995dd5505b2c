package dev.mtp.ops.imports;

import dev.mtp.common.event.TopicRole;
import dev.mtp.ingest.application.Requests;

import java.util.Set;
import java.util.TreeSet;

/**
 * What an import moves in, in the order it does (the seed's Migration Guide, phases 2 to 4): sessions, then
 * interactions, then evaluations. Each kind takes the fields of the ingest's request for it, plus
 * {@value #OCCURRED_AT} (the old system's time of the record) and, for evaluations, {@value #EVALUATION_ID}.
 */
public enum EntityKind {
    SESSIONS("sessions", TopicRole.SESSIONS, Requests.SESSION_FIELDS),
    INTERACTIONS("interactions", TopicRole.INTERACTIONS, Requests.INTERACTION_FIELDS),
    EVALUATIONS("evaluations", TopicRole.EVALUATIONS, with(Requests.EVALUATION_FIELDS, "evaluationId"));

    /** When the record happened in the old system: an ISO-8601 instant, epoch milliseconds or a MongoDB date. */
    public static final String OCCURRED_AT = "occurredAt";
    /** The old system's id of an evaluation: keeps two evaluations with the same data apart. */
    public static final String EVALUATION_ID = "evaluationId";

    private final String cliName;
    private final TopicRole topic;
    private final Set<String> fields;

    EntityKind(String cliName, TopicRole topic, Set<String> requestFields) {
        this.cliName = cliName;
        this.topic = topic;
        this.fields = with(requestFields, OCCURRED_AT);
    }

    public String cliName() {
        return cliName;
    }

    public TopicRole topic() {
        return topic;
    }

    /** The fields a record of this kind may carry, sorted (errors list them). */
    public Set<String> fields() {
        return fields;
    }

    public static EntityKind fromCliName(String name) {
        for (EntityKind kind : values()) {
            if (kind.cliName.equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not one of sessions, interactions, evaluations");
    }

    private static Set<String> with(Set<String> fields, String extra) {
        Set<String> all = new TreeSet<>(fields);
        all.add(extra);
        return java.util.Collections.unmodifiableSet(all);
    }
}
