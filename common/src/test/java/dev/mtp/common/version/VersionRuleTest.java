package dev.mtp.common.version;

import dev.mtp.common.event.TopicRole;
import dev.mtp.common.version.VersionRule.Decision;
import dev.mtp.common.version.VersionRule.OtherIncarnations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VersionRuleTest {

    private static final Incarnation OLD = Incarnation.ofTopicId("AAAAAAAAbbbbbbbbCCCCCC");
    private static final Incarnation NEW = Incarnation.ofTopicId("zzzzzzzz-_-_-_-_012345");

    private static Version at(Incarnation incarnation, long offset) {
        return Version.of(incarnation, offset);
    }

    @ParameterizedTest
    @EnumSource(OtherIncarnations.class)
    void withinOneIncarnationGreaterAppliesEqualIsADuplicateAndLowerIsStale(OtherIncarnations others) {
        assertThat(VersionRule.decide(at(NEW, 11), at(NEW, 10), others)).isEqualTo(Decision.APPLY);
        assertThat(VersionRule.decide(at(NEW, 10), at(NEW, 10), others)).isEqualTo(Decision.DUPLICATE);
        assertThat(VersionRule.decide(at(NEW, 9), at(NEW, 10), others)).isEqualTo(Decision.STALE);
    }

    @ParameterizedTest
    @EnumSource(OtherIncarnations.class)
    void theFirstEventOfAnEntityAppliesOverNoState(OtherIncarnations others) {
        assertThat(VersionRule.decide(at(NEW, 0), Version.NONE, others)).isEqualTo(Decision.APPLY);
        assertThat(VersionRule.decide(Version.NONE, Version.NONE, others)).isEqualTo(Decision.DUPLICATE);
        assertThat(VersionRule.decide(Version.NONE, at(NEW, 0), others)).isEqualTo(Decision.STALE);
    }

    @Test
    void aConsumerOfTheTopicSupersedesStateOfAnotherIncarnationWhateverItsOffset() {
        assertThat(VersionRule.decide(at(NEW, 0), at(OLD, 1_000_000), OtherIncarnations.SUPERSEDE))
                .isEqualTo(Decision.APPLY);
        assertThat(VersionRule.crossesIncarnation(at(NEW, 0), at(OLD, 1_000_000))).isTrue();
        assertThat(VersionRule.crossesIncarnation(at(NEW, 1), at(NEW, 0))).isFalse();
    }

    @Test
    void aRelayingWriterNeverSupersedesAnotherIncarnation() {
        assertThat(VersionRule.decide(at(OLD, 5_000), at(NEW, 3), OtherIncarnations.KEEP))
                .isEqualTo(Decision.OTHER_INCARNATION);
    }

    @Test
    void stateStoredBeforeIncarnationsWereRecordedIsAnotherIncarnation() {
        Version untagged = at(Incarnation.UNKNOWN, 900);

        assertThat(VersionRule.decide(at(NEW, 1), untagged, OtherIncarnations.SUPERSEDE)).isEqualTo(Decision.APPLY);
        assertThat(VersionRule.decide(at(NEW, 1), untagged, OtherIncarnations.KEEP))
                .isEqualTo(Decision.OTHER_INCARNATION);
        assertThat(VersionRule.decide(at(Incarnation.UNKNOWN, 901), untagged, OtherIncarnations.KEEP))
                .isEqualTo(Decision.APPLY);
    }

    @Test
    void nothingYetInTheConsumedIncarnationReplacesFieldsKeptFromAnotherButNotFieldsOfItsOwn() {
        assertThat(VersionRule.decide(Version.noneIn(NEW), at(OLD, 40), OtherIncarnations.SUPERSEDE))
                .isEqualTo(Decision.APPLY);
        assertThat(VersionRule.crossesIncarnation(Version.noneIn(NEW), at(OLD, 40))).isTrue();
        assertThat(VersionRule.decide(Version.noneIn(NEW), at(OLD, 40), OtherIncarnations.KEEP))
                .isEqualTo(Decision.OTHER_INCARNATION);
        assertThat(VersionRule.decide(Version.noneIn(NEW), at(NEW, 0), OtherIncarnations.SUPERSEDE))
                .isEqualTo(Decision.STALE);
        assertThat(VersionRule.decide(Version.NONE, at(OLD, 40), OtherIncarnations.SUPERSEDE))
                .as("an untagged none says nothing about incarnations").isEqualTo(Decision.STALE);
        assertThat(VersionRule.decide(Version.noneIn(NEW), Version.NONE, OtherIncarnations.SUPERSEDE))
                .isEqualTo(Decision.DUPLICATE);
        assertThat(Version.NONE.orNoneIn(NEW)).isEqualTo(Version.noneIn(NEW)).hasToString("-1.zzzzzzzz");
        assertThat(at(OLD, 3).orNoneIn(NEW)).isEqualTo(at(OLD, 3));
    }

    @Test
    void replayingARangeInAnyOrderEndsAtTheLatestVersion() {
        Version stored = Version.NONE;
        for (long offset : new long[] {5, 3, 7, 7, 1, 6}) {
            if (VersionRule.decide(at(NEW, offset), stored, OtherIncarnations.SUPERSEDE) == Decision.APPLY) {
                stored = at(NEW, offset);
            }
        }
        assertThat(stored).isEqualTo(at(NEW, 7));
    }

    @Test
    void anIncarnationIsTheTopicIdsFirstEightCharacters() {
        assertThat(Incarnation.ofTopicId("AAAAAAAAbbbbbbbbCCCCCC").tag()).isEqualTo("AAAAAAAA");
        assertThat(Incarnation.parse("")).isEqualTo(Incarnation.UNKNOWN);
        assertThat(at(NEW, 12)).hasToString("12.zzzzzzzz");
        assertThat(Version.of(NEW, -1)).isEqualTo(Version.NONE);
        assertThatThrownBy(() -> new Incarnation("a|b,c.de")).hasMessageContaining("incarnation tag");
        assertThatThrownBy(() -> Version.of(NEW, -2)).hasMessageContaining(">= -1");
    }

    @Test
    void eachTopicOwnsItsOwnFields() {
        assertThat(FieldOwner.of(TopicRole.SESSIONS).fields()).contains("status", "context");
        assertThat(FieldOwner.of(TopicRole.INTERACTIONS).fields()).contains("interactionCount");
        assertThat(FieldOwner.of(TopicRole.EVALUATIONS).fields()).contains("evaluationData");
        assertThat(FieldOwner.values()).allSatisfy(owner -> assertThat(owner.fields())
                .doesNotContainAnyElementsOf(java.util.Arrays.stream(FieldOwner.values())
                        .filter(other -> other != owner).flatMap(other -> other.fields().stream()).toList()));
    }
}
