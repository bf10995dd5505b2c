package dev.mtp.ingest.usage;

import dev.mtp.common.event.EntityType;

/** How measured usage is filed: one tally per entity type and strategy, e.g. {@code session/WITH_CONTEXT}. */
public final class TallyKeys {
    private TallyKeys() {}

    /** Tallies of reads that found nothing: no strategy to file them under. */
    public static final String NOT_FOUND = "NOT_FOUND";

    public static String key(EntityType entity, String strategy) {
        return entity.json() + "/" + strategy;
    }
}
