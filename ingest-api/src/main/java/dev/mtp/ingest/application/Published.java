package dev.mtp.ingest.application;

import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.version.Incarnation;
import dev.mtp.common.version.Version;
import dev.mtp.ingest.application.read.EntityVersion;

/**
 * Where an acknowledged event landed, and its serialized size ({@code valueBytes}, what Kafka carried).
 *
 * @param incarnation the incarnation of {@code topic} as the ingest resolved it at start (docs/decisions/0012)
 */
public record Published(EventEnvelope event, String topic, int partition, long offset, int valueBytes,
                        Incarnation incarnation) {

    /** The version the event gives its entity: what a client passes as {@code minVersion} to read its write. */
    public EntityVersion version() {
        return EntityVersion.of(event.type().topic(), Version.of(incarnation, offset));
    }
}
