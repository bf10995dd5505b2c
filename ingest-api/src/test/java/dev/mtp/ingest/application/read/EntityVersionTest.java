package dev.mtp.ingest.application.read;

import dev.mtp.common.event.TopicRole;
import dev.mtp.common.version.Incarnation;
import dev.mtp.common.version.Version;
import dev.mtp.ingest.application.InvalidInputException;
import dev.mtp.ingest.application.MinVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.EnumSet;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EntityVersionTest {
    private static final Incarnation A = new Incarnation("AbCdEfGh");
    private static final Incarnation B = new Incarnation("Ij-_MnOp");

    @Test
    void aTokenReadsBackAsTheSameVersions() {
        EntityVersion version = new EntityVersion(Map.of(TopicRole.SESSIONS, Version.of(A, 12),
                TopicRole.INTERACTIONS, Version.noneIn(B), TopicRole.EVALUATIONS, Version.of(Incarnation.UNKNOWN, 3)));

        String token = version.toString();

        assertThat(token).isEqualTo("v1~s12.AbCdEfGh~i-1.Ij-_MnOp~e3");
        assertThat(EntityVersion.parse(token)).isEqualTo(version);
    }

    @Test
    void componentsNoEventWroteAreLeftOut() {
        EntityVersion version = new EntityVersion(Map.of(TopicRole.SESSIONS, Version.of(A, 0),
                TopicRole.INTERACTIONS, Version.NONE));

        assertThat(version.toString()).isEqualTo("v1~s0.AbCdEfGh");
        assertThat(EntityVersion.NONE.toString()).isEqualTo("v1");
        assertThat(EntityVersion.parse("v1")).isEqualTo(EntityVersion.NONE);
    }

    @Test
    void onlyKeepsTheTopicsAsked() {
        EntityVersion version = EntityVersion.parse("v1~s12.AbCdEfGh~i7.AbCdEfGh");

        assertThat(version.only(EnumSet.of(TopicRole.INTERACTIONS, TopicRole.EVALUATIONS)).toString())
                .isEqualTo("v1~i7.AbCdEfGh");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "12", "v2~s1.AbCdEfGh", "v1s1", "v1~", "v1~x1.AbCdEfGh", "v1~s1.short",
            "v1~s1.AbCdEfGh~s2.AbCdEfGh", "v1~s-2", "v1~sx", "v1~s1.AbCdEfGh,2"})
    void aMalformedTokenIsRefusedNamingTheFieldAndTheRule(String token) {
        assertThatThrownBy(() -> MinVersion.parse("minVersion", token))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("minVersion");
                    assertThat(e.rule()).startsWith(EntityVersion.RULE).contains("'" + token + "'");
                });
    }

    @Test
    void anOverlongTokenIsRefusedAndShownCut() {
        String token = "v1" + "~s1".repeat(100);

        assertThatThrownBy(() -> MinVersion.parse("minVersion", token))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.rule()).endsWith("...'").hasSizeLessThan(300));
    }
}
