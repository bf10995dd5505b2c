package dev.mtp.runtime.kafka;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PartitionCountsTest {

    private final Map<String, Integer> metadata = new HashMap<>();
    private final PartitionCounts counts = new PartitionCounts(topic -> {
        Integer count = metadata.get(topic);
        if (count == null) {
            throw new IllegalStateException("Kafka did not answer");
        }
        return count;
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
    void aFailedLookupKeepsTheCountItHad() {
        metadata.put("a", 3);
        counts.refresh(List.of("a"));
        metadata.remove("a");

        counts.refresh(List.of("a"));
        assertThat(counts.of("a")).isEqualTo(3);
    }

    @Test
    void aTopicNeverLookedUpHasNoCount() {
        assertThatThrownBy(() -> counts.refresh(List.of("b"))).hasMessage("no partition count for topic b: Kafka did not answer");
        assertThatThrownBy(() -> counts.of("b")).hasMessageStartingWith("no partition count for topic b");
    }

    @Test
    void aTopicWithoutPartitionsIsRefused() {
        metadata.put("a", 0);
        assertThatThrownBy(() -> counts.refresh(List.of("a"))).hasMessage("topic a has no partitions in its metadata");
    }
}
