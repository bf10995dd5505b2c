package dev.mtp.common.config;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Sources in precedence order: the first that sets a key wins. */
final class LayeredConfigSource implements ConfigSource {

    private final List<ConfigSource> layers;

    LayeredConfigSource(List<ConfigSource> highestFirst) {
        this.layers = highestFirst;
    }

    @Override
    public Optional<Found> lookup(String key) {
        for (ConfigSource layer : layers) {
            Optional<Found> found = layer.lookup(key);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    @Override
    public List<Unknown> unknownEntries(Collection<String> ownPrefixes, Collection<String> knownKeys) {
        return layers.stream().flatMap(l -> l.unknownEntries(ownPrefixes, knownKeys).stream()).toList();
    }
}
