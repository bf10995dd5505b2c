package dev.mtp.cachewriter.state;

import dev.mtp.common.projection.SessionState;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class GenerationalStatesTest {

    private final GenerationalStates states = new GenerationalStates();

    @Test
    void aStateLeavesAtTheSecondAgingWithoutAChange() {
        states.put(0, "a", SessionState.empty("a"));
        states.put(0, "b", SessionState.empty("b"));

        assertThat(states.oldGeneration(Set.of(0))).isEmpty();
        states.age(Set.of(0));
        assertThat(states.get(0, "a")).isNotNull();
        assertThat(states.oldGeneration(Set.of(0)).get(0)).containsExactlyInAnyOrder("a", "b");

        states.put(0, "a", SessionState.empty("a"));
        assertThat(states.oldGeneration(Set.of(0))).isEqualTo(Map.of(0, List.of("b")));
        states.age(Set.of(0));

        assertThat(states.get(0, "a")).as("changed in between").isNotNull();
        assertThat(states.get(0, "b")).as("unchanged for two agings").isNull();
        assertThat(states.size()).isEqualTo(1);
    }

    @Test
    void onlyTheGivenPartitionsAge() {
        states.put(0, "a", SessionState.empty("a"));
        states.put(1, "b", SessionState.empty("b"));
        states.age(Set.of(0));
        states.age(Set.of(0));

        assertThat(states.get(0, "a")).isNull();
        assertThat(states.get(1, "b")).isNotNull();
        assertThat(states.oldGeneration(Set.of(0, 1))).isEmpty();
    }

    @Test
    void removeAndRetainDropFromBothGenerations() {
        states.put(0, "old", SessionState.empty("old"));
        states.age(Set.of(0));
        states.put(0, "young", SessionState.empty("young"));
        states.put(1, "other", SessionState.empty("other"));

        states.remove(0, "old");
        assertThat(states.get(0, "old")).isNull();
        states.retain(Set.of(0));
        assertThat(states.get(1, "other")).isNull();
        assertThat(states.size()).isEqualTo(1);
    }
}
