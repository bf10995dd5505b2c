package dev.mtp.ingest.application;

import dev.mtp.common.event.EventEnvelope;

/** Where an acknowledged event landed, and its serialized size ({@code valueBytes}, what Kafka carried). */
public record Published(EventEnvelope event, String topic, int partition, long offset, int valueBytes) {
}
