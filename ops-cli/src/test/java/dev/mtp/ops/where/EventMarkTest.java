package dev.mtp.ops.where;

import dev.mtp.common.version.Incarnation;
import dev.mtp.common.version.Version;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class EventMarkTest {

    private static final Incarnation NOW = new Incarnation("AbCdEfGh");
    private static final Incarnation EARLIER = new Incarnation("Earlier0");
    private static final Version EVENT = Version.of(NOW, 5);

    @Test
    void anEventIsJudgedAgainstTheStoredVersionOfItsTopic() {
        assertThat(EventMark.of(EVENT, Optional.of(Version.of(NOW, 4)))).isEqualTo(EventMark.APPLY);
        assertThat(EventMark.of(EVENT, Optional.of(Version.noneIn(NOW)))).isEqualTo(EventMark.APPLY);
        assertThat(EventMark.of(EVENT, Optional.of(Version.of(NOW, 5)))).isEqualTo(EventMark.DUPLICATE);
        assertThat(EventMark.of(EVENT, Optional.of(Version.of(NOW, 9)))).isEqualTo(EventMark.STALE);
    }

    @Test
    void aVersionOfAnotherIncarnationOrOfNoneIsNotComparedByOffset() {
        assertThat(EventMark.of(EVENT, Optional.of(Version.of(EARLIER, 900)))).isEqualTo(EventMark.OTHER_INCARNATION);
        assertThat(EventMark.of(EVENT, Optional.of(Version.of(Incarnation.UNKNOWN, 2))))
                .as("written before incarnations were recorded").isEqualTo(EventMark.OTHER_INCARNATION);
    }

    @Test
    void aStoreWithoutTheSessionIsAbsent() {
        assertThat(EventMark.of(EVENT, Optional.empty())).isEqualTo(EventMark.ABSENT);
        assertThat(EventMark.OTHER_INCARNATION.label()).isEqualTo("other-incarnation");
    }
}
