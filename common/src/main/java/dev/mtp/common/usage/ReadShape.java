package dev.mtp.common.usage;

import dev.mtp.common.event.EntityType;
import dev.mtp.common.strategy.CacheStrategy;
import dev.mtp.common.strategy.InteractionField;
import dev.mtp.common.strategy.SessionField;

import java.util.Collection;
import java.util.Map;

/**
 * Which rung a read needs: the least caching strategy whose fields cover the fields the read returned with content
 * (an empty map, empty text, zero or null carries none). A MongoDB answer holds the whole document, more than the caller
 * took from a hit, so it is first cut to the fields the entity's own strategy caches (what a hit would have
 * returned); for NONE, to the lowest caching rung's fields. Fields every caching rung keeps (ids, status, timestamps,
 * a response) need the lowest rung; the {@code cacheStrategy} bookkeeping field needs none.
 */
public final class ReadShape {
    private ReadShape() {}

    public static CachingLevel needed(EntityType entity, CacheStrategy<?> writtenWith, Map<String, ?> answer) {
        CachingLevel shape = writtenWith.caches() ? CachingLevel.of(writtenWith) : CachingLevel.CRITICAL_ONLY;
        CachingLevel needed = CachingLevel.CRITICAL_ONLY;
        for (CachingLevel level : new CachingLevel[] {CachingLevel.WITH_CONTEXT, CachingLevel.FULL}) {
            if (!shape.covers(level)) {
                break;
            }
            if (hasContentBeyond(entity, level, answer)) {
                needed = level;
            }
        }
        return needed;
    }

    /** Whether the answer has content in a field that {@code level} caches and the rung below it does not. */
    private static boolean hasContentBeyond(EntityType entity, CachingLevel level, Map<String, ?> answer) {
        CachingLevel below = CachingLevel.values()[level.ordinal() - 1];
        if (entity == EntityType.SESSION) {
            for (SessionField field : level.session().fields()) {
                if (field != SessionField.CACHE_STRATEGY && !below.session().fields().contains(field)
                        && hasContent(answer.get(field.jsonName()))) {
                    return true;
                }
            }
        } else {
            for (InteractionField field : level.interaction().fields()) {
                if (field != InteractionField.CACHE_STRATEGY && !below.interaction().fields().contains(field)
                        && hasContent(answer.get(field.jsonName()))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean hasContent(Object value) {
        return switch (value) {
            case null -> false;
            case String s -> !s.isEmpty();
            case Map<?, ?> m -> !m.isEmpty();
            case Collection<?> c -> !c.isEmpty();
            case Number n -> n.doubleValue() != 0; // an interaction count of 0 tells nothing a status does not
            default -> true;
        };
    }
}
