package dev.mtp.runtime.config;

import dev.mtp.common.config.Config;
import org.slf4j.Logger;

/** Logs the effective config at start: one line per key, masked, with where each value came from. */
public final class EffectiveConfigLog {

    private EffectiveConfigLog() {}

    public static void log(Logger log, Config config) {
        for (Config.Entry e : config.entries()) {
            log.atInfo()
                    .setMessage("config {}={} ({})")
                    .addArgument(e.key()).addArgument(e.value()).addArgument(e.origin())
                    .addKeyValue("key", e.key())
                    .addKeyValue("value", e.value())
                    .addKeyValue("source", e.origin())
                    .log();
        }
    }
}
