package dev.mtp.chaos.check;

import java.util.List;
import java.util.Map;

/**
 * What the stores held when read: MongoDB documents by collection and id (as the driver decodes them), and every key
 * under the cache prefix.
 */
public record StoreSnapshot(Map<String, Map<String, Object>> sessions, Map<String, Map<String, Object>> interactions,
                            Map<String, Map<String, Object>> evaluations, List<CacheEntry> cache, long readAtMillis) {
}
