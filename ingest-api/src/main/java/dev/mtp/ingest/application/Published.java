package dev.mtp.ingest.application;

import dev.mtp.common.event.EventEnvelope;

/** Where an acknowledged event landed. */
public record Published(EventEnvelope event, String topic, int partition, long offset) {
}
