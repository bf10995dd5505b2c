package dev.mtp.mongowriter.store;

/**
 * MongoDB refuses the document an event writes, for a reason that retrying cannot fix: the record goes to the
 * dead-letter topic with this message (and the server's error code when the server refused it).
 */
public final class DocumentRejectedException extends RuntimeException {
    private final int code;

    public DocumentRejectedException(String message, int code) {
        super(message);
        this.code = code;
    }

    /** The server's error code; 10334 (BSONObjectTooLarge) for documents the writer refused before sending. */
    public int code() {
        return code;
    }
}
