package dev.mtp.ingest.application.read;

import java.util.Map;
import java.util.Optional;

/**
 * Outbound port of the read use cases: Redis first (the strategy-shaped projection cache-writer and
 * the fast path keep), MongoDB as the fallback (the complete documents mongo-writer keeps), saying
 * which tier answered and at which version. A read never answers older state than {@code minVersion}
 * ({@link TierChoice}); when neither tier has caught up in time it throws {@link NotVisibleYetException}.
 */
public interface EntityReader {

    /** Which store answered a read. */
    enum Tier {
        REDIS("redis"), MONGODB("mongodb");

        private final String wireName;

        Tier(String wireName) { this.wireName = wireName; }

        public String wireName() { return wireName; }
    }

    /**
     * @param tier     the store that answered
     * @param document the stored state: in Redis only the fields its cache strategy keeps
     * @param strategy the cache strategy the state was written with, when known
     * @param version  the versions the answering tier holds the entity at
     */
    record Found(Tier tier, Map<String, Object> document, String strategy, EntityVersion version) {}

    /** @param minVersion the oldest state the caller may see ({@link EntityVersion#NONE}: any) */
    Optional<Found> session(String sessionId, EntityVersion minVersion);

    /** @param sessionId the interaction's session when the caller knows it (may narrow the lookup), or null */
    Optional<Found> interaction(String interactionId, String sessionId, EntityVersion minVersion);
}
