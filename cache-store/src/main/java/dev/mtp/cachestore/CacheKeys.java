package dev.mtp.cachestore;

import dev.mtp.common.event.Ids;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The key layout (docs/decisions/0002). Every key of a session carries the session id as a Redis Cluster hash tag,
 * so all of them live in one slot: one script can update several of them atomically, and a pipelined batch per node
 * covers whole sessions.
 * <pre>
 *   &lt;prefix&gt;{&lt;sessionId&gt;}:s                    the session's projection (string)
 *   &lt;prefix&gt;{&lt;sessionId&gt;}:i:&lt;interactionId&gt;   one interaction's projection (string)
 *   &lt;prefix&gt;{&lt;sessionId&gt;}:latest               the latest interaction response, one GET (string)
 *   &lt;prefix&gt;{&lt;sessionId&gt;}:ix                   ids of the session's cached interactions, each ending in
 *                                                a newline (string: a fraction of a set's memory), for
 *                                                deletion and lookups without SCAN
 * </pre>
 * Ids never contain braces ({@link Ids}), so the hash tag is exactly the session id.
 */
public record CacheKeys(String prefix) {

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._:-]{0,64}");

    /** What a key of this layout holds. */
    public enum Kind { SESSION, INTERACTION, LATEST_RESPONSE, INTERACTION_INDEX }

    /** A key taken apart: its kind, session id, and interaction id for {@link Kind#INTERACTION}. */
    public record Parsed(Kind kind, String sessionId, String interactionId) {}

    public CacheKeys {
        Objects.requireNonNull(prefix, "prefix");
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("key prefix '" + prefix + "' must be at most 64 characters of "
                    + "A-Z a-z 0-9 . _ : -");
        }
    }

    public String session(String sessionId) {
        return tag(sessionId) + ":s";
    }

    public String interaction(String sessionId, String interactionId) {
        return interactionPrefix(sessionId) + Ids.require("interactionId", interactionId);
    }

    public String latestResponse(String sessionId) {
        return tag(sessionId) + ":latest";
    }

    public String interactionIndex(String sessionId) {
        return tag(sessionId) + ":ix";
    }

    /** What every interaction key of the session starts with; the purge script appends the ids of the index. */
    public String interactionPrefix(String sessionId) {
        return tag(sessionId) + ":i:";
    }

    /** Takes a key of this layout apart; empty for any other key. */
    public Optional<Parsed> parse(String key) {
        if (!key.startsWith(prefix + "{")) {
            return Optional.empty();
        }
        int open = prefix.length();
        int close = key.indexOf('}', open);
        if (close < 0) {
            return Optional.empty();
        }
        String sessionId = key.substring(open + 1, close);
        String rest = key.substring(close + 1);
        if (!Ids.isValid(sessionId)) {
            return Optional.empty();
        }
        if (rest.equals(":s")) {
            return Optional.of(new Parsed(Kind.SESSION, sessionId, null));
        }
        if (rest.equals(":latest")) {
            return Optional.of(new Parsed(Kind.LATEST_RESPONSE, sessionId, null));
        }
        if (rest.equals(":ix")) {
            return Optional.of(new Parsed(Kind.INTERACTION_INDEX, sessionId, null));
        }
        if (rest.startsWith(":i:") && Ids.isValid(rest.substring(3))) {
            return Optional.of(new Parsed(Kind.INTERACTION, sessionId, rest.substring(3)));
        }
        return Optional.empty();
    }

    private String tag(String sessionId) {
        return prefix + "{" + Ids.require("sessionId", sessionId) + "}";
    }
}
