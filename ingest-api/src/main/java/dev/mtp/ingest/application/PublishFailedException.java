package dev.mtp.ingest.application;

/** Kafka did not acknowledge an event in time, or refused it. Nothing may be reported as persisted. */
public final class PublishFailedException extends RuntimeException {
    public PublishFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
