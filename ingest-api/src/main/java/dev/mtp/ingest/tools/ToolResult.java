package dev.mtp.ingest.tools;

import java.util.Map;

/**
 * What a tool call answers: MCP's text content, structured content, and how it went. The outcome
 * lets the bare HTTP endpoint pick its status code (200, 400, 503); MCP sees only {@code isError}.
 */
public record ToolResult(Outcome outcome, String text, Map<String, Object> structuredContent) {

    public enum Outcome {
        OK(200), BAD_INPUT(400), UNAVAILABLE(503);

        private final int httpStatus;

        Outcome(int httpStatus) { this.httpStatus = httpStatus; }

        public int httpStatus() { return httpStatus; }
    }

    public boolean isError() {
        return outcome != Outcome.OK;
    }

    public static ToolResult success(String text, Map<String, Object> structured) {
        return new ToolResult(Outcome.OK, text, structured);
    }

    public static ToolResult badInput(String field, String rule) {
        return new ToolResult(Outcome.BAD_INPUT, field + ": " + rule,
                Map.of("success", false, "field", field, "rule", rule));
    }

    public static ToolResult unavailable(String text) {
        return new ToolResult(Outcome.UNAVAILABLE, text, Map.of("success", false, "retryable", true));
    }
}
