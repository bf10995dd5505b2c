package dev.mtp.ingest.application;

/**
 * A request field breaks a rule. Names both: the field as a path into the request (e.g.
 * {@code context["user.name"]}, {@code operations[3].sessionId}) and the rule, so every adapter can
 * answer with them (HTTP 400 problem, tool {@code isError}). Thrown before anything is published.
 */
public final class InvalidInputException extends IllegalArgumentException {
    private final String field;
    private final String rule;

    public InvalidInputException(String field, String rule) {
        super(field + ": " + rule);
        this.field = field;
        this.rule = rule;
    }

    public String field() { return field; }
    public String rule() { return rule; }

    /** The same rule, with the field put under {@code prefix} (e.g. a batch item's path). */
    public InvalidInputException under(String prefix) {
        return new InvalidInputException(prefix.isEmpty() ? field : prefix + "." + field, rule);
    }
}
