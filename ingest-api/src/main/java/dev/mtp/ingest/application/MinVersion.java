package dev.mtp.ingest.application;

import dev.mtp.ingest.application.read.EntityVersion;

/** A client's {@code minVersion} as its request gave it: the token read, a malformed one refused naming its field. */
public final class MinVersion {
    private MinVersion() {}

    /**
     * @param field where the token was, as the error names it ({@code minVersion}, {@code params.arguments.minVersion})
     * @throws InvalidInputException naming {@code field} and {@link EntityVersion#RULE} when it is not a token
     */
    public static EntityVersion parse(String field, String token) {
        try {
            return EntityVersion.parse(token);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(field, e.getMessage());
        }
    }
}
