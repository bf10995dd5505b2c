package dev.mtp.common.event;

/**
 * An event, or part of one, breaks the contract. Names the field (a JSON path such as
 * {@code payload.evaluationData}) and the rule it breaks, so producers and dead-letter readers see why.
 */
public final class InvalidEventException extends IllegalArgumentException {
    private final String field;
    private final String rule;

    public InvalidEventException(String field, String rule) {
        super(field + ": " + rule);
        this.field = field;
        this.rule = rule;
    }

    public String field() { return field; }
    public String rule() { return rule; }
}
