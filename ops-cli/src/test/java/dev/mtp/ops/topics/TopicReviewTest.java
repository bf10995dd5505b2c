package dev.mtp.ops.topics;

import dev.mtp.runtime.kafka.TopicSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TopicReviewTest {

    static final TopicSpec SESSIONS = new TopicSpec("s", 6, (short) 1).withRetention(Duration.ofDays(7));
    static final TopicSpec EVALUATIONS = new TopicSpec("e", 6, (short) 1).withRetention(Duration.ZERO);

    @Test
    void eachTopicGetsOneAction() {
        List<TopicReview> reviews = TopicReview.of(List.of(SESSIONS, EVALUATIONS, new TopicSpec("d", 6, (short) 1)),
                Map.of("s", 6, "e", 3, "d", 6), Map.of("s", "86400000", "e", "-1", "d", "1"));
        assertThat(reviews).extracting(TopicReview::action).containsExactly(TopicReview.Action.SET_RETENTION,
                TopicReview.Action.PARTITIONS_DIFFER, TopicReview.Action.OK);
        assertThat(TopicReview.of(List.of(SESSIONS), Map.of(), Map.of())).extracting(TopicReview::action)
                .containsExactly(TopicReview.Action.CREATE);
    }

    @Test
    void anyNegativeRetentionIsForever() {
        assertThat(TopicReview.of(List.of(EVALUATIONS), Map.of("e", 6), Map.of("e", "-2")))
                .extracting(TopicReview::action).containsExactly(TopicReview.Action.OK);
        assertThat(TopicReview.readable("-1")).isEqualTo("forever");
        assertThat(TopicReview.readable("7776000000")).isEqualTo("90d");
        assertThat(TopicReview.readable("7200000")).isEqualTo("2h");
        assertThat(TopicReview.readable("1500")).isEqualTo("1500ms");
    }
}
