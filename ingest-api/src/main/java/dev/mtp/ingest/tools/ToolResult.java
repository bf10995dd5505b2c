package dev.mtp.ingest.tools;

import java.util.Map;

/** What a tool call answers: MCP's text content, structured content, and whether it failed. */
public record ToolResult(boolean isError, String text, Map<String, Object> structuredContent) {

    public static ToolResult success(String text, Map<String, Object> structured) {
        return new ToolResult(false, text, structured);
    }

    public static ToolResult error(String text, Map<String, Object> structured) {
        return new ToolResult(true, text, structured);
    }
}
