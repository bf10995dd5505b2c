package dev.mtp.ingest.usage;

import dev.mtp.common.event.EntityType;
import dev.mtp.ingest.application.read.EntityReader;
import dev.mtp.ingest.application.read.EntityVersion;

import java.util.Optional;

/** The read port with every answer counted (what answered, why, how long): a decorator, the reader is unchanged. */
public final class MeasuredReader implements EntityReader {
    private final EntityReader reader;
    private final UsageRecorder recorder;

    public MeasuredReader(EntityReader reader, UsageRecorder recorder) {
        this.reader = reader;
        this.recorder = recorder;
    }

    @Override
    public Optional<Found> session(String sessionId, EntityVersion minVersion) {
        long start = System.nanoTime();
        Optional<Found> found = reader.session(sessionId, minVersion);
        recorder.read(EntityType.SESSION, sessionId, found, System.nanoTime() - start);
        return found;
    }

    @Override
    public Optional<Found> interaction(String interactionId, String sessionId, EntityVersion minVersion) {
        long start = System.nanoTime();
        Optional<Found> found = reader.interaction(interactionId, sessionId, minVersion);
        recorder.read(EntityType.INTERACTION, interactionId, found, System.nanoTime() - start);
        return found;
    }
}
