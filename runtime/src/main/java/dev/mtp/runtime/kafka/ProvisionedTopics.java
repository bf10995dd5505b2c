package dev.mtp.runtime.kafka;

import dev.mtp.common.topic.PersistenceTopics;

/** The pipeline's topics once usable: their names, and the incarnation of each as this app resolved it at start. */
public record ProvisionedTopics(PersistenceTopics names, TopicIncarnations incarnations) {}
