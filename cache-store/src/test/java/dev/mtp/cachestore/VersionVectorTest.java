package dev.mtp.cachestore;

import dev.mtp.common.version.Incarnation;
import dev.mtp.common.version.Version;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VersionVectorTest {

    static List<GuardCases> cases() {
        return GuardCases.ALL;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theGuardDecidesComponentByComponentByTheVersionRule(GuardCases c) {
        assertThat(c.javaDecision()).isEqualTo(c.expected());
        assertThat(c.javaCrosses()).isEqualTo(c.crosses());
    }

    @Test
    void componentsCarryTheirIncarnationInTheHeaderForm() {
        VersionVector v = VersionVector.session(Version.of(new Incarnation("AbCdEfGh"), 12), Version.NONE);

        assertThat(v).hasToString("12.AbCdEfGh,-1");
        assertThat(VersionVector.parse("12.AbCdEfGh,-1")).isEqualTo(v);
    }

    @Test
    void componentsWithoutATagAreReadWithAnUnknownIncarnation() {
        VersionVector legacy = VersionVector.parse("12,7");

        assertThat(legacy.get(0)).isEqualTo(Version.of(Incarnation.UNKNOWN, 12));
        assertThat(legacy.get(1).incarnation()).isEqualTo(Incarnation.UNKNOWN);
    }

    @Test
    void nothingYetInAnIncarnationKeepsItsTag() {
        VersionVector v = VersionVector.parse("3.AbCdEfGh,-1.IjKlMnOp");

        assertThat(v.get(1)).isEqualTo(Version.noneIn(new Incarnation("IjKlMnOp")));
        assertThat(v).hasToString("3.AbCdEfGh,-1.IjKlMnOp");
    }

    @Test
    void malformedComponentsAreRefusedNamingTheVector() {
        assertThatThrownBy(() -> VersionVector.parse("12.short")).hasMessageContaining("'12.short'");
        assertThatThrownBy(() -> VersionVector.parse("x,1")).hasMessageContaining("not a version vector");
        assertThatThrownBy(() -> VersionVector.parse("-2.AbCdEfGh")).hasMessageContaining("offset must be >= -1");
    }
}
