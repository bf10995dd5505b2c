package dev.mtp.ingest.tools;

import dev.mtp.ingest.application.Input;

import java.util.Map;

/**
 * One tool of the ingest, independent of how it is called (MCP over Streamable HTTP or SSE, or
 * the seed's bare {@code POST /mcp/message}): its name, what it teaches the caller, the JSON
 * Schemas of its arguments and of its {@code structuredContent}, and its call.
 */
public interface Tool {
    String name();

    String title();

    String description();

    /** JSON Schema of the arguments; the call itself enforces the same rules with field-naming messages. */
    Map<String, Object> inputSchema();

    /** JSON Schema of {@code structuredContent} of a successful call. */
    Map<String, Object> outputSchema();

    /** Reads nothing but may change nothing either (listing, stats, reads). */
    default boolean readOnly() {
        return false;
    }

    /**
     * @throws dev.mtp.ingest.application.InvalidInputException for bad arguments; nothing has been published then
     * @throws dev.mtp.ingest.application.PublishFailedException when Kafka did not acknowledge
     */
    ToolResult call(Input arguments);
}
