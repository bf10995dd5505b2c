package dev.mtp.common.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One setting, declared once: name, type, default (or required), validation rules, documentation, secret flag.
 * Immutable; every {@code with...}/rule method returns a new key, so declarations read as one chain:
 *
 * <pre>{@code
 * static final ConfigKey<Integer> BATCH_SIZE = ConfigKey.integer("app.cache-writer.batch-size")
 *         .range(1, 10_000).withDefault(500)
 *         .withDoc("Records written to Redis in one pipelined flush.");
 * }</pre>
 *
 * A key starts out optional without a default; {@link #withDefault} gives it one, {@link #required()} makes its
 * absence an error. A default that breaks one of the key's own rules is a programming error, reported when the key
 * is declared.
 *
 * @param <T> the type {@link Config#get} returns for this key
 */
public final class ConfigKey<T> {

    /** Reads a raw (trimmed, non-blank) value; throws {@link InvalidValueException} when it cannot. */
    @FunctionalInterface
    public interface Parser<T> {
        T parse(String raw);
    }

    /** A check on a parsed value. {@code violation} completes "{@code '<value>' ...}", e.g. "must be at least 1". */
    public record Rule<T>(String description, Predicate<? super T> test, String violation) {
        public Rule {
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(test, "test");
            Objects.requireNonNull(violation, "violation");
        }
    }

    /** Whether a value must be present. */
    public enum Presence {
        /** No default; absent means {@link Config#find} is empty. */
        OPTIONAL,
        /** Absent means the key's default. */
        DEFAULTED,
        /** Absent is a configuration error. */
        REQUIRED
    }

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(?:[.-][a-z0-9]+)*");

    private final String name;
    private final Class<?> type;
    private final String typeLabel;
    private final Parser<T> parser;
    private final Function<? super T, String> formatter;
    private final Presence presence;
    private final T defaultValue;
    private final List<Rule<? super T>> rules;
    private final List<String> choices;
    private final String doc;
    private final boolean secret;

    private ConfigKey(String name, Class<?> type, String typeLabel, Parser<T> parser,
                      Function<? super T, String> formatter, Presence presence, T defaultValue,
                      List<Rule<? super T>> rules, List<String> choices, String doc, boolean secret) {
        this.name = name;
        this.type = type;
        this.typeLabel = typeLabel;
        this.parser = parser;
        this.formatter = formatter;
        this.presence = presence;
        this.defaultValue = defaultValue;
        this.rules = List.copyOf(rules);
        this.choices = List.copyOf(choices);
        this.doc = doc;
        this.secret = secret;
        if (presence == Presence.DEFAULTED) {
            Objects.requireNonNull(defaultValue, () -> name + ": default must not be null");
            for (Rule<? super T> rule : this.rules) {
                if (!rule.test().test(defaultValue)) {
                    throw new IllegalArgumentException(name + ": default '" + formatter.apply(defaultValue) + "' "
                            + rule.violation());
                }
            }
        }
    }

    private static <T> ConfigKey<T> declare(String name, Class<?> type, String typeLabel, Parser<T> parser,
                                            Function<? super T, String> formatter, List<String> choices) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("config key name '" + name
                    + "' must be lower-case words joined by '.' or '-', e.g. app.sync.async-timeout-ms");
        }
        return new ConfigKey<>(name, type, typeLabel, parser, formatter, Presence.OPTIONAL, null,
                List.of(), choices, "", false);
    }

    // ---------------------------------------------------------------- factories

    /** Free text. */
    public static ConfigKey<String> string(String name) {
        return declare(name, String.class, "string", raw -> raw, s -> s, List.of());
    }

    /** A 32-bit integer. */
    public static ConfigKey<Integer> integer(String name) {
        return declare(name, Integer.class, "integer", raw -> {
            try {
                return Integer.parseInt(raw);
            } catch (NumberFormatException e) {
                throw new InvalidValueException("is not an integer");
            }
        }, String::valueOf, List.of());
    }

    /** A 64-bit integer. */
    public static ConfigKey<Long> longInteger(String name) {
        return declare(name, Long.class, "integer", raw -> {
            try {
                return Long.parseLong(raw);
            } catch (NumberFormatException e) {
                throw new InvalidValueException("is not an integer");
            }
        }, String::valueOf, List.of());
    }

    /** {@code true} or {@code false}, in any case; nothing else (no yes/no/1/0). */
    public static ConfigKey<Boolean> bool(String name) {
        return declare(name, Boolean.class, "boolean", raw -> {
            if (raw.equalsIgnoreCase("true")) {
                return Boolean.TRUE;
            }
            if (raw.equalsIgnoreCase("false")) {
                return Boolean.FALSE;
            }
            throw new InvalidValueException("is not a boolean (true or false)");
        }, String::valueOf, List.of());
    }

    /**
     * A duration written as a whole, non-negative number of milliseconds. The name must end in {@code -ms}, so the
     * unit is visible wherever the key is set.
     */
    public static ConfigKey<Duration> durationMs(String name) {
        if (name == null || !name.endsWith("-ms")) {
            throw new IllegalArgumentException("duration key '" + name + "' must end in -ms");
        }
        return declare(name, Duration.class, "duration (ms)", raw -> {
            long ms;
            try {
                ms = Long.parseLong(raw);
            } catch (NumberFormatException e) {
                throw new InvalidValueException("is not a duration in milliseconds (a whole number, e.g. 2000)");
            }
            if (ms < 0) {
                throw new InvalidValueException("is not a duration in milliseconds (must not be negative)");
            }
            return Duration.ofMillis(ms);
        }, d -> String.valueOf(d.toMillis()), List.of());
    }

    /**
     * One constant of {@code enumType}, by its exact name. An unknown value is rejected with the list of valid
     * names (and the right spelling when only the case was wrong); never a silent fallback.
     */
    public static <E extends Enum<E>> ConfigKey<E> enumOf(String name, Class<E> enumType) {
        List<String> names = Arrays.stream(enumType.getEnumConstants()).map(Enum::name).toList();
        return declare(name, enumType, "enum", raw -> Enum.valueOf(enumType, matchChoice(raw, names)), Enum::name,
                names);
    }

    /** One of a fixed list of strings, matched exactly (e.g. strategy names before they are enums). */
    public static ConfigKey<String> choice(String name, String... choices) {
        if (choices.length == 0) {
            throw new IllegalArgumentException(name + ": a choice needs at least one value");
        }
        List<String> list = List.of(choices);
        return declare(name, String.class, "choice", raw -> matchChoice(raw, list), s -> s, list);
    }

    /**
     * A URI whose scheme is one of {@code schemes} (e.g. {@code redis}, {@code rediss}) and that names a host.
     * Several comma-separated hosts are accepted ({@code mongodb://h1:27017,h2:27017/db}); passwords in it are
     * masked whenever the value is shown.
     */
    public static ConfigKey<URI> uri(String name, String... schemes) {
        if (schemes.length == 0) {
            throw new IllegalArgumentException(name + ": a URI key needs at least one allowed scheme");
        }
        Set<String> allowed = Set.of(schemes);
        String expected = String.join(" or ", Arrays.stream(schemes).map(s -> s + "://").toList());
        return declare(name, URI.class, expected + " URI", raw -> {
            URI uri;
            try {
                uri = new URI(raw);
            } catch (URISyntaxException e) {
                throw new InvalidValueException("is not a valid URI (" + e.getReason() + " at index " + e.getIndex()
                        + "); expected " + expected + "...");
            }
            String scheme = uri.getScheme();
            if (scheme == null || !allowed.contains(scheme.toLowerCase(Locale.ROOT))) {
                throw new InvalidValueException("must start with " + expected);
            }
            String authority = uri.getRawAuthority();
            String hosts = authority == null ? "" : authority.substring(authority.lastIndexOf('@') + 1);
            if (hosts.isEmpty() || hosts.startsWith(":") || hosts.startsWith(",")) {
                throw new InvalidValueException("has no host (expected " + expected + "host:port)");
            }
            return uri;
        }, URI::toString, List.of());
    }

    /** A comma-separated, non-empty list of {@code host:port}, e.g. Kafka's bootstrap servers. */
    public static ConfigKey<List<HostPort>> hostPorts(String name) {
        return declare(name, List.class, "host:port list", HostPort::parseList, HostPort::join, List.of());
    }

    // ---------------------------------------------------------------- withers

    /** The value used when no source sets the key. Checked against the key's rules. */
    public ConfigKey<T> withDefault(T value) {
        return new ConfigKey<>(name, type, typeLabel, parser, formatter, Presence.DEFAULTED,
                Objects.requireNonNull(value, "default"), rules, choices, doc, secret);
    }

    /** Absence of a value is a configuration error. Drops any default. */
    public ConfigKey<T> required() {
        return new ConfigKey<>(name, type, typeLabel, parser, formatter, Presence.REQUIRED, null, rules, choices,
                doc, secret);
    }

    /** What the key does, with units and special values ("0 = any free port"). */
    public ConfigKey<T> withDoc(String text) {
        return new ConfigKey<>(name, type, typeLabel, parser, formatter, presence, defaultValue, rules, choices,
                Objects.requireNonNull(text, "doc").strip(), secret);
    }

    /** The value is never shown: {@link Config#describe()} and error messages print {@link Masking#MASK}. */
    public ConfigKey<T> secret() {
        return new ConfigKey<>(name, type, typeLabel, parser, formatter, presence, defaultValue, rules, choices, doc,
                true);
    }

    /** Adds a rule: {@code violation} completes "{@code '<value>' ...}", e.g. "must not contain spaces". */
    public ConfigKey<T> check(String violation, Predicate<? super T> test) {
        return withRule(new Rule<>(violation, test, violation));
    }

    /** Adds a rule. */
    public ConfigKey<T> withRule(Rule<? super T> rule) {
        List<Rule<? super T>> more = new ArrayList<>(rules);
        more.add(Objects.requireNonNull(rule, "rule"));
        return new ConfigKey<>(name, type, typeLabel, parser, formatter, presence, defaultValue, more, choices, doc,
                secret);
    }

    /** Inclusive bounds for an integer or duration key (durations in milliseconds). */
    public ConfigKey<T> range(long min, long max) {
        if (min > max) {
            throw new IllegalArgumentException(name + ": range " + min + ".." + max + " is empty");
        }
        String unit = unitSuffix();
        return withRule(new Rule<T>("between " + min + " and " + max + unit,
                v -> numeric(v) >= min && numeric(v) <= max,
                "must be between " + min + " and " + max + unit));
    }

    /** Inclusive lower bound for an integer or duration key (durations in milliseconds). */
    public ConfigKey<T> atLeast(long min) {
        String unit = unitSuffix();
        return withRule(new Rule<T>("at least " + min + unit, v -> numeric(v) >= min,
                "must be at least " + min + unit));
    }

    private String unitSuffix() {
        if (type == Integer.class || type == Long.class) {
            return "";
        }
        if (type == Duration.class) {
            return " ms";
        }
        throw new IllegalStateException(name + ": range/atLeast apply to integer and duration keys, not " + typeLabel);
    }

    private static long numeric(Object v) {
        return v instanceof Duration d ? d.toMillis() : ((Number) v).longValue();
    }

    // ---------------------------------------------------------------- reading

    public String name() {
        return name;
    }

    /** The environment variable of this key: upper case, {@code .} and {@code -} become {@code _}. */
    public String envName() {
        return envName(name);
    }

    /** {@code app.sync.async-timeout-ms} → {@code APP_SYNC_ASYNC_TIMEOUT_MS}. */
    public static String envName(String keyName) {
        return keyName.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The Java type of the parsed value (the raw class for generic types: {@code List} for host lists). */
    public Class<?> type() {
        return type;
    }

    /** Short type name for docs: "integer", "duration (ms)", "URI", ... */
    public String typeLabel() {
        return typeLabel;
    }

    public Presence presence() {
        return presence;
    }

    public boolean isRequired() {
        return presence == Presence.REQUIRED;
    }

    public Optional<T> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    public String doc() {
        return doc;
    }

    public boolean isSecret() {
        return secret;
    }

    /** The valid values of an enum or choice key, in declaration order; empty for other keys. */
    public List<String> choices() {
        return choices;
    }

    public List<Rule<? super T>> rules() {
        return rules;
    }

    /** Parses and checks a raw value. */
    public T parse(String raw) {
        T value = parser.parse(raw.strip());
        for (Rule<? super T> rule : rules) {
            if (!rule.test().test(value)) {
                throw new InvalidValueException(rule.violation());
            }
        }
        return value;
    }

    /** The value written the way a source would set it (so {@code describe()} output can be pasted back). */
    public String format(T value) {
        return value == null ? "" : formatter.apply(value);
    }

    @SuppressWarnings("unchecked")
    String formatUnchecked(Object value) {
        return format((T) value);
    }

    /** One line for docs: type, rules and choices, e.g. "integer, between 1 and 65535". */
    public String constraints() {
        List<String> parts = new ArrayList<>();
        if (!choices.isEmpty()) {
            parts.add("one of " + String.join(", ", choices));
        } else {
            parts.add(typeLabel);
        }
        rules.forEach(r -> parts.add(r.description()));
        return String.join(", ", parts);
    }

    @Override
    public String toString() {
        return name;
    }

    // ---------------------------------------------------------------- helpers

    private static String matchChoice(String raw, List<String> choices) {
        if (choices.contains(raw)) {
            return raw;
        }
        String valid = String.join(", ", choices);
        Optional<String> caseOnly = choices.stream().filter(c -> c.equalsIgnoreCase(raw)).findFirst();
        throw new InvalidValueException("is not one of " + valid
                + caseOnly.map(c -> " (names are case-sensitive: did you mean " + c + "?)").orElse(""));
    }
}
