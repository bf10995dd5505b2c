package dev.mtp.common.config;

/**
 * Thrown by a {@link ConfigKey.Parser} when a raw value cannot be read as the key's type. The message completes the
 * sentence "{@code '<raw value>' ...}", e.g. {@code "is not an integer"}; the table adds the key, the (masked) value
 * and where the value came from.
 */
public class InvalidValueException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidValueException(String violation) {
        super(violation, null, false, false);
    }
}
