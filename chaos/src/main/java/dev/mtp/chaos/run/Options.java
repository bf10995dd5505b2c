package dev.mtp.chaos.run;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The run's scale. {@code quick}: what CI runs (150 events/s for as long as the schedule takes, at least 30 s, every
 * fault once, the three consumer apps killed together, the MongoDB outage shortened to 10 s); {@code long}: at least
 * ten minutes at 1,000 events/s offered, every instance of every consumer app killed in turn, the MongoDB outage 30 s.
 * {@code faults}: the names of the faults to strike ({@link #FAULT_NAMES}, all of them by default).
 */
record Options(boolean longRun, int instances, double eventsPerSecond, Duration traffic, Duration faultGap,
               Duration mongoOutage, boolean brokerKill, int partitions, Path out, long seed, Set<String> faults) {

    /** The faults by the names {@code --faults} takes, in the order the schedule strikes them. */
    static final List<String> FAULT_NAMES = List.of("consumers", "ingest", "broker", "flushall", "redis-restart",
            "mongo", "scale-out", "republish", "replay");

    static Options quick(Path out) {
        return new Options(false, 2, 150, Duration.ofSeconds(30), Duration.ofSeconds(4), Duration.ofSeconds(10),
                true, 6, out, 42, Set.copyOf(FAULT_NAMES));
    }

    static Options longRun(Path out) {
        return new Options(true, 2, 1_000, Duration.ofMinutes(10), Duration.ofSeconds(25), Duration.ofSeconds(30),
                true, 6, out, 42, Set.copyOf(FAULT_NAMES));
    }

    boolean strikes(String fault) {
        return faults.contains(fault);
    }

    /**
     * Reads {@code --long}, {@code --broker-kill}/{@code --broker-stop}, {@code --instances N}, {@code --rate N},
     * {@code --minutes N}, {@code --faults A,B}, {@code --out DIR}.
     */
    static Options parse(String[] args) {
        Path out = Path.of("target/chaos");
        boolean longRun = false;
        Boolean brokerKill = null;
        Integer instances = null;
        Double rate = null;
        Double minutes = null;
        Set<String> faults = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--long" -> longRun = true;
                case "--quick" -> longRun = false;
                case "--broker-kill" -> brokerKill = true;
                case "--broker-stop" -> brokerKill = false;
                case "--instances" -> instances = positive(a, value(args, ++i, a));
                case "--rate" -> rate = (double) positive(a, value(args, ++i, a));
                case "--minutes" -> minutes = (double) positive(a, value(args, ++i, a));
                case "--faults" -> faults = faults(value(args, ++i, a));
                case "--out" -> out = Path.of(value(args, ++i, a));
                default -> throw new IllegalArgumentException(a + ": not an option; options: --quick (default), --long, "
                        + "--broker-kill (kill -9, the default) or --broker-stop (SIGTERM), --instances N (2), "
                        + "--rate EVENTS_PER_SECOND, --minutes N (long run), --faults " + String.join(",", FAULT_NAMES)
                        + " (all), --out DIR");
            }
        }
        Options o = longRun ? longRun(out) : quick(out);
        Duration traffic = minutes == null ? o.traffic() : Duration.ofSeconds((long) (minutes * 60));
        return new Options(o.longRun(), instances == null ? o.instances() : instances,
                rate == null ? o.eventsPerSecond() : rate, traffic, o.faultGap(), o.mongoOutage(),
                brokerKill == null ? o.brokerKill() : brokerKill, o.partitions(), out, o.seed(),
                faults == null ? o.faults() : faults);
    }

    private static Set<String> faults(String list) {
        Set<String> names = new LinkedHashSet<>();
        for (String name : list.split(",")) {
            if (!FAULT_NAMES.contains(name.strip())) {
                throw new IllegalArgumentException("--faults: '" + name.strip() + "' is not a fault; faults: "
                        + String.join(", ", FAULT_NAMES));
            }
            names.add(name.strip());
        }
        return Set.copyOf(names);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + ": needs a value");
        }
        return args[i];
    }

    private static int positive(String option, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + ": must be a positive whole number, was '" + value + "'");
    }
}
