package dev.mtp.ingest.http;

/**
 * A request body is not the one well-formed UTF-8 JSON value a request must be. The rule is in the project's own
 * words (never a parser's message), so every adapter can answer with it: HTTP 400 with field {@code (body)}, or
 * JSON-RPC -32700.
 */
public final class MalformedJsonException extends RuntimeException {
    private final String rule;

    public MalformedJsonException(String rule) {
        super(rule, null, false, false);
        this.rule = rule;
    }

    public String rule() {
        return rule;
    }
}
