package dev.mtp.common.incarnation;

import java.util.Optional;

/**
 * A store's record of which incarnation of each topic feeds it (docs/decisions/0012): the Redis hash
 * {@code <prefix>incarnations} or the MongoDB collection {@code incarnations}.
 */
public interface IncarnationRegistry {

    /** The store's name in messages: {@code redis}, {@code mongodb}. */
    String store();

    Optional<Registration> read(String topic) throws Exception;

    void register(String topic, Registration registration) throws Exception;
}
