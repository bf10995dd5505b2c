package dev.mtp.cachewriter;

import dev.mtp.common.version.Incarnation;
import dev.mtp.common.version.Version;


/** Incarnations and versions of the two consumed topics, for tests without a broker. */
public final class TestIncarnations {
    private TestIncarnations() {}

    public static final Incarnation SESSIONS = new Incarnation("SeSsIoNs");
    public static final Incarnation INTERACTIONS = new Incarnation("InTeRaCt");

    /** A sessions-topic version in {@link #SESSIONS}. */
    public static Version sv(long offset) {
        return Version.of(SESSIONS, offset);
    }

    /** An interactions-topic version in {@link #INTERACTIONS}. */
    public static Version iv(long offset) {
        return Version.of(INTERACTIONS, offset);
    }
}
