package dev.mtp.common.topic;

import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.EventType;
import dev.mtp.common.event.SampleEvents;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PersistenceTopicsTest {

    @Test
    void defaultNamesCarryThePrefixAndTheContractVersion() {
        assertThat(PersistenceTopics.defaults().allNames())
                .containsExactly("mtp.sessions.v1", "mtp.interactions.v1", "mtp.evaluations.v1", "mtp.deadletter.v1");
    }

    @Test
    void eachEventTypeGoesToItsTopic() {
        PersistenceTopics topics = PersistenceTopics.withPrefix("t1.");

        assertThat(topics.forType(EventType.SESSION_UPDATED).name()).isEqualTo("t1.sessions.v1");
        assertThat(topics.forType(EventType.INTERACTION_RECORDED).name()).isEqualTo("t1.interactions.v1");
        assertThat(topics.forType(EventType.EVALUATION_RECORDED).name()).isEqualTo("t1.evaluations.v1");
    }

    @Test
    void theValueSerdeRoundTripsAnEnvelope() {
        TopicDescriptor<String, EventEnvelope> sessions = PersistenceTopics.defaults().sessions();
        EventEnvelope event = SampleEvents.sessionCreated();

        byte[] bytes = sessions.valueSerde().serializer().serialize(sessions.name(), event);

        assertThat(sessions.valueSerde().deserializer().deserialize(sessions.name(), bytes)).isEqualTo(event);
    }

    @Test
    void aPrefixThatCannotBeATopicNameIsRefused() {
        assertThatThrownBy(() -> PersistenceTopics.withPrefix("bad prefix/")).hasMessageContaining("topic prefix");
    }
}
