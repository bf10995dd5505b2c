package dev.mtp.ingest.tools;

/** A tool argument or request field breaks a rule; names both. */
public final class InvalidArgumentException extends IllegalArgumentException {
    private final String field;
    private final String rule;

    public InvalidArgumentException(String field, String rule) {
        super(field + ": " + rule);
        this.field = field;
        this.rule = rule;
    }

    public String field() { return field; }
    public String rule() { return rule; }
}
