package dev.mtp.ingest.application.read;

/** Neither tier could be asked (both down, or a timeout): the caller gets 503, never a false "not found". */
public final class ReadUnavailableException extends RuntimeException {
    public ReadUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
