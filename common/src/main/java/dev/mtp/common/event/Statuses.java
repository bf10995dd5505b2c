package dev.mtp.common.event;

/** Session status: a short free-form word chosen by the chat service, e.g. active, idle, closed. */
final class Statuses {
    static final int MAX_LENGTH = 64;

    private Statuses() {}

    static void require(String field, String status) {
        if (status == null || status.isBlank()) {
            throw new InvalidEventException(field, "is required");
        }
        if (status.length() > MAX_LENGTH) {
            throw new InvalidEventException(field, "must be at most " + MAX_LENGTH + " characters");
        }
    }
}
