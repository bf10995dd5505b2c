package dev.mtp.ingest.tools;

/** One MCP tool of the ingest: its name, what it teaches the caller, and its call. */
public interface Tool {
    String name();

    String description();

    /**
     * @throws InvalidArgumentException for bad arguments; nothing has been published then
     */
    ToolResult call(ToolArguments arguments);
}
