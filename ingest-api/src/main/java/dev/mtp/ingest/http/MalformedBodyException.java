package dev.mtp.ingest.http;

/**
 * A request body that is not one well-formed JSON object as {@link StrictJsonReader} reads it: answered 400
 * "Malformed JSON" with what is wrong, and where it concerns a value, its path and the rule.
 */
public final class MalformedBodyException extends IllegalArgumentException {
    private final String field;
    private final String rule;

    /**
     * @param detail what is wrong, in the project's words
     * @param field  the value's path in the body, "(body)" for the body as a whole, or null
     * @param rule   the rule broken, or null
     */
    public MalformedBodyException(String detail, String field, String rule) {
        super(detail);
        this.field = field;
        this.rule = rule;
    }

    public String field() { return field; }
    public String rule() { return rule; }
}
