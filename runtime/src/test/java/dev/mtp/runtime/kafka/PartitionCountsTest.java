package dev.mtp.runtime.kafka;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PartitionCountsTest {

    private final Map<String, Integer> metadata = new HashMap<>();
    private boolean kafkaDown;
    private final PartitionCounts counts = new PartitionCounts(topics -> {
        if (kafkaDown) {
            throw new IllegalStateException("Kafka did not answer");
        }
        Map<String, Integer> found = new HashMap<>(metadata);
        found.keySet().retainAll(topics);
        return found;
    });

    @Test
    void keepsWhatTheLastRefreshFound() {
        metadata.put("a", 3);
        counts.refresh(List.of("a"));
        metadata.put("a", 6);
        assertThat(counts.of("a")).isEqualTo(3);

        counts.refresh(List.of("a"));
        assertThat(counts.of("a")).isEqualTo(6);
    }

    @Test
    void aFailedLookupKeepsTheCountsItHad() {
        metadata.put("a", 3);
        metadata.put("b", 3);
        counts.refresh(List.of("a", "b"));
        metadata.remove("a");
        counts.refresh(List.of("a", "b"));
        kafkaDown = true;
        counts.refresh(List.of("a", "b"));

        assertThat(counts.of("a")).isEqualTo(3);
        assertThat(counts.of("b")).isEqualTo(3);
    }

    @Test
    void aTopicNeverLookedUpHasNoCount() {
        assertThatThrownBy(() -> counts.refresh(List.of("b"))).hasMessage("no partition count for topic b: not in the topic metadata");
        kafkaDown = true;
        assertThatThrownBy(() -> counts.refresh(List.of("b"))).hasMessage("no partition count for topic b: Kafka did not answer");
        assertThatThrownBy(() -> counts.of("b")).hasMessageStartingWith("no partition count for topic b");
    }

    @Test
    void aTopicWithoutPartitionsIsRefused() {
        metadata.put("a", 0);
        assertThatThrownBy(() -> counts.refresh(List.of("a"))).hasMessage("topic a has no partitions in its metadata");
    }
}
