package dev.mtp.mongostore;

import com.mongodb.MongoClientSettings;
import org.bson.Document;
import org.bson.codecs.Codec;
import org.bson.codecs.DocumentCodec;
import org.bson.codecs.configuration.CodecRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The driver's default codecs, looked up once per class. The default registry builds a lookup context (a child
 * registry, a cache key, an Optional) for every value of every document it encodes, which the writers do for
 * every event. Documents are encoded by a {@link DocumentCodec} that looks its values' codecs up here.
 */
public final class CachedCodecRegistry implements CodecRegistry {
    private final CodecRegistry defaults = MongoClientSettings.getDefaultCodecRegistry();
    private final Map<Class<?>, Codec<?>> codecs = new ConcurrentHashMap<>();

    public CachedCodecRegistry() {
        codecs.put(Document.class, new DocumentCodec(this));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> Codec<T> get(Class<T> clazz) {
        // A plain get first: computeIfAbsent with the bound method reference allocated on every lookup.
        Codec<?> codec = codecs.get(clazz);
        return (Codec<T>) (codec != null ? codec : codecs.computeIfAbsent(clazz, defaults::get));
    }

    /** The driver wraps a collection's registry in one of its own and asks it as a provider: the same codecs. */
    @Override
    public <T> Codec<T> get(Class<T> clazz, CodecRegistry registry) {
        return get(clazz);
    }
}
