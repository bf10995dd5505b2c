package dev.mtp.ingest.application;

/**
 * Limits on what one write may carry, checked at the edge before anything is published.
 *
 * @param maxMapDepth  deepest nesting of a user map (context, metadata, evaluationData); the map itself is level 1
 * @param maxMapBytes  largest user map, as compact JSON, in bytes
 * @param maxKeyLength longest key anywhere in a user map, in characters
 * @param maxTextChars longest request or response text of an interaction, in characters
 */
public record InputLimits(int maxMapDepth, int maxMapBytes, int maxKeyLength, int maxTextChars) {

    public static final InputLimits DEFAULTS = new InputLimits(10, 64 * 1024, 256, 256 * 1024);

    public InputLimits {
        if (maxMapDepth < 1 || maxMapBytes < 2 || maxKeyLength < 1 || maxTextChars < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
