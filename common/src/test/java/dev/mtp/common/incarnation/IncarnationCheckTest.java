package dev.mtp.common.incarnation;

import dev.mtp.common.incarnation.IncarnationCheck.Keep;
import dev.mtp.common.incarnation.IncarnationCheck.Register;
import dev.mtp.common.incarnation.IncarnationCheck.Stop;
import dev.mtp.common.version.Incarnation;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class IncarnationCheckTest {

    private static final Incarnation OURS = new Incarnation("Ours0000");
    private static final Incarnation THEIRS = new Incarnation("Theirs00");
    private static final Registration MINE = new Registration(OURS, "cluster-a", Instant.parse("2026-12-07T10:00:00Z"),
            "cache-writer");
    private static final Registration OTHER = new Registration(THEIRS, "cluster-b",
            Instant.parse("2026-12-07T10:05:00Z"), "mongo-writer");

    @Test
    void atStartTheConsumedIncarnationTakesTheStoreOverAndSaysFromWhich() {
        assertThat(IncarnationCheck.atStart(MINE, Optional.empty())).isEqualTo(new Register(Optional.empty()));
        assertThat(IncarnationCheck.atStart(MINE, Optional.of(OTHER))).isEqualTo(new Register(Optional.of(OTHER)));
        assertThat(IncarnationCheck.atStart(MINE, Optional.of(MINE))).isEqualTo(new Keep());
    }

    @Test
    void whileRunningAnotherIncarnationInTheRegistryStopsTheAppNamingBoth() {
        var verdict = IncarnationCheck.whileRunning("mtp.sessions.v1", "redis", MINE, OURS, Optional.of(OTHER));

        assertThat(verdict).isInstanceOf(Stop.class);
        assertThat(((Stop) verdict).reason())
                .contains("redis is now fed from mtp.sessions.v1 incarnation Theirs00 of cluster cluster-b")
                .contains("registered by mongo-writer at 2026-12-07T10:05:00Z")
                .contains("this app consumes Ours0000 of cluster cluster-a")
                .contains("not supported");
    }

    @Test
    void whileRunningATopicRecreatedUnderTheAppStopsIt() {
        var verdict = IncarnationCheck.whileRunning("mtp.sessions.v1", "redis", MINE, THEIRS, Optional.of(MINE));

        assertThat(verdict).isInstanceOf(Stop.class);
        assertThat(((Stop) verdict).reason()).contains("topic mtp.sessions.v1 was recreated while this app consumed it")
                .contains("incarnation Ours0000, now Theirs00").contains("restart the app");
    }

    @Test
    void whileRunningALostRegistryIsWrittenAgainAndAMatchingOneIsKept() {
        assertThat(IncarnationCheck.whileRunning("t", "redis", MINE, OURS, Optional.empty()))
                .isEqualTo(new Register(Optional.empty()));
        assertThat(IncarnationCheck.whileRunning("t", "redis", MINE, OURS, Optional.of(MINE))).isEqualTo(new Keep());
    }
}
