package dev.mtp.ingest.application.read;

import dev.mtp.ingest.application.read.TierChoice.Choice;
import dev.mtp.ingest.application.read.TierChoice.Held;
import dev.mtp.ingest.application.read.TierChoice.State;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class TierChoiceTest {

    @ParameterizedTest(name = "Redis {0} {1}, MongoDB {2} {3}, minVersion {4}: {5}")
    @CsvSource({
            // no floor: Redis, then MongoDB, then not found, as reads always were
            "PRESENT, v1~s6.AbCdEfGh, PRESENT, v1~s4.AbCdEfGh, v1,             REDIS",
            "ABSENT,  v1,             PRESENT, v1~s4.AbCdEfGh, v1,             MONGODB",
            "ABSENT,  v1,             ABSENT,  v1,             v1,             NOT_FOUND",
            "ABSENT,  v1,             REMOVED, v1~s7.AbCdEfGh, v1,             NOT_FOUND",
            // read your write: the tier at or past the acknowledged version answers
            "PRESENT, v1~s6.AbCdEfGh, ABSENT,  v1,             v1~s6.AbCdEfGh, REDIS",
            "PRESENT, v1~s5.AbCdEfGh, PRESENT, v1~s6.AbCdEfGh, v1~s6.AbCdEfGh, MONGODB",
            "ABSENT,  v1,             PRESENT, v1~s6.AbCdEfGh, v1~s6.AbCdEfGh, MONGODB",
            // both behind, or nothing yet: wait for the writers
            "ABSENT,  v1,             PRESENT, v1~s4.AbCdEfGh, v1~s6.AbCdEfGh, WAIT",
            "PRESENT, v1~s5.AbCdEfGh, PRESENT, v1~s4.AbCdEfGh, v1~s6.AbCdEfGh, WAIT",
            "ABSENT,  v1,             ABSENT,  v1,             v1~s6.AbCdEfGh, WAIT",
            "ABSENT,  v1,             REMOVED, v1~s4.AbCdEfGh, v1~s6.AbCdEfGh, WAIT",
            // a deleted document at or past the floor: not found, rightly
            "ABSENT,  v1,             REMOVED, v1~s7.AbCdEfGh, v1~s6.AbCdEfGh, NOT_FOUND",
            // a tombstone newer than MongoDB's document is a floor too
            "REMOVED, v1~s6.AbCdEfGh, PRESENT, v1~s4.AbCdEfGh, v1,             WAIT",
            "REMOVED, v1~s6.AbCdEfGh, ABSENT,  v1,             v1,             WAIT",
            "REMOVED, v1~s6.AbCdEfGh, PRESENT, v1~s6.AbCdEfGh, v1,             MONGODB",
            "REMOVED, v1~s6.AbCdEfGh, REMOVED, v1~s6.AbCdEfGh, v1,             NOT_FOUND",
            // Redis does not carry evaluations: only MongoDB can prove it is fresh enough
            "PRESENT, v1~s6.AbCdEfGh, PRESENT, v1~s6.AbCdEfGh~e2.AbCdEfGh, v1~e2.AbCdEfGh, MONGODB",
            // another incarnation does not hold the read back
            "PRESENT, v1~s1.IjKlMnOp, ABSENT,  v1,             v1~s6.AbCdEfGh, REDIS"})
    void choosesTheTierAtOrPastTheFloor(State redis, String redisVersion, State mongo, String mongoVersion,
                                         String minVersion, Choice choice) {
        assertThat(TierChoice.choose(new Held(redis, version(redisVersion)), new Held(mongo, version(mongoVersion)),
                version(minVersion))).isEqualTo(choice);
    }

    private static EntityVersion version(String token) {
        return EntityVersion.parse(token);
    }
}
