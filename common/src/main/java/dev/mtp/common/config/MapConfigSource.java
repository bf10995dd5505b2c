package dev.mtp.common.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/** A map of raw values, with the source's own spelling of key names. */
final class MapConfigSource implements ConfigSource {

    private final Map<String, String> entries;
    private final UnaryOperator<String> spell;
    private final UnaryOperator<String> origin;
    private final boolean checkAll;
    private final String fileSuffix;

    /**
     * @param fileSuffix spelled suffix of an entry that names a file holding a known key's value ({@code _FILE} for
     *                   the environment, read by the runtime module), or empty when the source has no such entries
     */
    MapConfigSource(Map<String, String> entries, UnaryOperator<String> spell, UnaryOperator<String> origin,
                    boolean checkAll, String fileSuffix) {
        this.entries = new TreeMap<>(entries); // sorted: stable order of unknown-key problems
        this.spell = spell;
        this.origin = origin;
        this.checkAll = checkAll;
        this.fileSuffix = fileSuffix;
    }

    @Override
    public Optional<Found> lookup(String key) {
        String spelled = spell.apply(key);
        String value = entries.get(spelled);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new Found(value.strip(), origin.apply(spelled)));
    }

    @Override
    public List<Unknown> unknownEntries(Collection<String> ownPrefixes, Collection<String> knownKeys) {
        Set<String> known = knownKeys.stream().map(spell).collect(Collectors.toSet());
        if (!fileSuffix.isEmpty()) {
            known.addAll(known.stream().map(k -> k + fileSuffix).toList());
        }
        List<String> prefixes = ownPrefixes.stream().map(spell).toList();
        List<Unknown> unknown = new ArrayList<>();
        for (String name : entries.keySet()) {
            boolean ours = checkAll || prefixes.stream().anyMatch(name::startsWith);
            if (ours && !known.contains(name)) {
                unknown.add(new Unknown(name, origin.apply(name), Suggestions.closest(name, known)));
            }
        }
        return unknown;
    }
}
