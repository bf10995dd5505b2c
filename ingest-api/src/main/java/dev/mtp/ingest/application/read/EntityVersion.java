package dev.mtp.ingest.application.read;

import dev.mtp.common.event.TopicRole;
import dev.mtp.common.version.Version;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * The version of an entity as a client sees it: one {@link Version} per topic that wrote it (docs/decisions/0001,
 * 0012), carried by every read answer and write acknowledgement as an opaque token and given back as
 * {@code minVersion} (docs/decisions/0022). Components no event wrote ({@link Version#NONE}) are left out.
 *
 * <p>Token: {@code v1~s12.AbCdEfGh~i7.IjKlMnOp}: the format, then per topic its letter ({@code s} sessions,
 * {@code i} interactions, {@code e} evaluations), the offset and the incarnation's tag ({@code -1.<tag>}: none yet in
 * that incarnation; no tag: written before incarnations were recorded). Only characters a URL query keeps as they are.
 */
public record EntityVersion(Map<TopicRole, Version> components) {

    public static final EntityVersion NONE = new EntityVersion(Map.of());
    public static final String RULE = "must be a version token as answered in 'version' by a read or a write, "
            + "e.g. v1~s12.AbCdEfGh~i7.IjKlMnOp";

    private static final String FORMAT = "v1";
    private static final char SEPARATOR = '~';
    public static final int MAX_TOKEN_CHARS = 128;

    public EntityVersion {
        EnumMap<TopicRole, Version> written = new EnumMap<>(TopicRole.class);
        components.forEach((topic, version) -> {
            letter(topic);
            if (!version.equals(Version.NONE)) {
                written.put(topic, version);
            }
        });
        components = Collections.unmodifiableMap(written);
    }

    /** The version one acknowledged event gave its entity. */
    public static EntityVersion of(TopicRole topic, Version version) {
        return new EntityVersion(Map.of(topic, version));
    }

    /**
     * Reads a token a client gave back.
     *
     * @throws IllegalArgumentException saying {@link #RULE} when it is not a token of this format
     */
    public static EntityVersion parse(String token) {
        if (token == null || token.length() > MAX_TOKEN_CHARS || !token.startsWith(FORMAT)) {
            throw invalid(token);
        }
        Map<TopicRole, Version> components = new EnumMap<>(TopicRole.class);
        String rest = token.substring(FORMAT.length());
        if (!rest.isEmpty()) {
            if (rest.charAt(0) != SEPARATOR) {
                throw invalid(token);
            }
            for (String part : rest.substring(1).split(String.valueOf(SEPARATOR), -1)) {
                TopicRole topic = part.isEmpty() ? null : topic(part.charAt(0));
                Version version = topic == null ? null : version(part.substring(1));
                if (version == null || components.put(topic, version) != null) {
                    throw invalid(token);
                }
            }
        }
        return new EntityVersion(components);
    }

    private static Version version(String part) {
        try {
            return Version.parse(part);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static IllegalArgumentException invalid(String token) {
        String shown = token == null || token.length() <= MAX_TOKEN_CHARS ? token : token.substring(0, MAX_TOKEN_CHARS) + "...";
        return new IllegalArgumentException(RULE + ", was '" + shown + "'");
    }

    public boolean isNone() {
        return components.isEmpty();
    }

    /** The component of one topic; null when this entity carries none of it. */
    public Version get(TopicRole topic) {
        return components.get(topic);
    }

    /** Only the components of these topics: what an entity of one kind can carry at all. */
    public EntityVersion only(Set<TopicRole> topics) {
        Map<TopicRole, Version> kept = new EnumMap<>(TopicRole.class);
        components.forEach((topic, version) -> {
            if (topics.contains(topic)) {
                kept.put(topic, version);
            }
        });
        return new EntityVersion(kept);
    }

    /** The token. */
    @Override
    public String toString() {
        StringBuilder token = new StringBuilder(FORMAT);
        components.forEach((topic, version) -> token.append(SEPARATOR).append(letter(topic)).append(version));
        return token.toString();
    }

    private static char letter(TopicRole topic) {
        return switch (topic) {
            case SESSIONS -> 's';
            case INTERACTIONS -> 'i';
            case EVALUATIONS -> 'e';
            case DEAD_LETTER -> throw new IllegalArgumentException("the dead-letter topic versions no entity");
        };
    }

    private static TopicRole topic(char letter) {
        return switch (letter) {
            case 's' -> TopicRole.SESSIONS;
            case 'i' -> TopicRole.INTERACTIONS;
            case 'e' -> TopicRole.EVALUATIONS;
            default -> null;
        };
    }
}
