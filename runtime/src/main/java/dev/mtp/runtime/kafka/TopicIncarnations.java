package dev.mtp.runtime.kafka;

import dev.mtp.common.version.Incarnation;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The incarnation (topic id, KIP-516) of each topic an app consumes or publishes to, as the cluster gave it when the
 * app resolved it. The versions an app writes are scoped by these (docs/decisions/0012).
 */
public record TopicIncarnations(Map<String, Incarnation> byTopic) {

    public TopicIncarnations {
        byTopic = Map.copyOf(byTopic);
    }

    /** Asks the cluster for the topics' ids. */
    public static TopicIncarnations resolve(Admin admin, Collection<String> topics, Duration timeout)
            throws InterruptedException {
        int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        try {
            Map<String, TopicDescription> described = admin.describeTopics(topics,
                    new DescribeTopicsOptions().timeoutMs(ms)).allTopicNames().get(ms, TimeUnit.MILLISECONDS);
            Map<String, Incarnation> byTopic = new LinkedHashMap<>();
            described.forEach((name, d) -> byTopic.put(name, Incarnation.ofTopicId(d.topicId().toString())));
            return new TopicIncarnations(byTopic);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new TopicProvisioningException("cannot read the ids of topics " + String.join(", ", topics) + ": "
                    + cause.getClass().getSimpleName() + ": " + cause.getMessage());
        }
    }

    /** The incarnation of a topic this app resolved; an unknown topic is a programming error. */
    public Incarnation of(String topic) {
        Incarnation incarnation = byTopic.get(topic);
        if (incarnation == null) {
            throw new IllegalArgumentException("the incarnation of topic " + topic + " was not resolved");
        }
        return incarnation;
    }
}
