package dev.mtp.runtime;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.ConfigKey;
import dev.mtp.common.config.ConfigTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A minimal app, run as a child JVM by {@link LauncherIT} to observe stderr, exit codes and SIGTERM handling. */
public final class LauncherTestMain {

    static final ConfigKey<Boolean> FAIL_AFTER_START = ConfigKey.bool("app.test.fail-after-start").withDefault(false)
            .withDoc("Report a fatal error right after start.");

    private static final Logger log = LoggerFactory.getLogger(LauncherTestMain.class);

    private LauncherTestMain() {}

    public static void main(String[] args) {
        ConfigTable table = ConfigTable.builder("it-app")
                .addAll(CommonConfigKeys.runtime(0))
                .add(CommonConfigKeys.REDIS_URL, FAIL_AFTER_START)
                .build();
        AppLauncher.run(table, ctx -> {
            ctx.open("first", () -> log.info("closing first"));
            ctx.open("second", () -> log.info("closing second"));
            ctx.afterStart("worker", () -> {
                if (ctx.get(FAIL_AFTER_START)) {
                    ctx.fail("worker lost its partition", new IllegalStateException("simulated"));
                }
            });
        });
    }
}
