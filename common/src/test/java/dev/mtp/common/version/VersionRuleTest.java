package dev.mtp.common.version;

import dev.mtp.common.topic.TopicRole;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VersionRuleTest {

    @Test
    void aLaterOffsetSupersedes() {
        assertThat(VersionRule.decide(11, 10)).isEqualTo(VersionRule.Decision.APPLY);
        assertThat(new EventVersion(TopicRole.SESSIONS, 11).supersedes(10)).isTrue();
    }

    @Test
    void theSameOffsetAgainIsADuplicateAndChangesNothing() {
        assertThat(VersionRule.decide(10, 10)).isEqualTo(VersionRule.Decision.DUPLICATE);
        assertThat(VersionRule.supersedes(10, 10)).isFalse();
    }

    @Test
    void anEarlierOffsetIsStale() {
        assertThat(VersionRule.decide(9, 10)).isEqualTo(VersionRule.Decision.STALE);
        assertThat(VersionRule.supersedes(9, 10)).isFalse();
    }

    @Test
    void theFirstEventOfAnEntityAppliesOverNoState() {
        assertThat(VersionRule.supersedes(0, EventVersion.NONE)).isTrue();
    }

    @Test
    void replayingARangeInAnyOrderEndsAtTheLatestVersion() {
        long stored = EventVersion.NONE;
        for (long offset : new long[] {5, 3, 7, 7, 1, 6}) {
            if (VersionRule.supersedes(offset, stored)) {
                stored = offset;
            }
        }
        assertThat(stored).isEqualTo(7);
    }

    @Test
    void versionsOfDifferentTopicsAreNeverCompared() {
        EventVersion session = new EventVersion(TopicRole.SESSIONS, 5);
        EventVersion interaction = new EventVersion(TopicRole.INTERACTIONS, 3);

        assertThatThrownBy(() -> session.compareTo(interaction)).hasMessageContaining("not comparable");
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

    @Test
    void theDeadLetterTopicCarriesNoVersions() {
        assertThatThrownBy(() -> new EventVersion(TopicRole.DEAD_LETTER, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EventVersion(TopicRole.SESSIONS, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
