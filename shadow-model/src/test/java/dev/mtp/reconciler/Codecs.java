package dev.mtp.reconciler;

import dev.mtp.cachestore.CacheStoreSettings;
import dev.mtp.cachestore.ValueCodec;

import java.net.URI;

/** cache-store's codec with the cache's default settings, as cache-writer uses it. */
public final class Codecs {
    public static final ValueCodec DEFAULT = CacheStoreSettings.defaults(URI.create("redis://unused:6379"), "mtp:").codec();

    private Codecs() {}
}
