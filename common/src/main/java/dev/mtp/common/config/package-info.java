/**
 * Config tables: every setting of an app declared once ({@link dev.mtp.common.config.ConfigKey}: name, type,
 * default, validation, doc, secret flag), collected per app in a {@link dev.mtp.common.config.ConfigTable},
 * resolved once at start from layered {@link dev.mtp.common.config.ConfigSource}s into a typed
 * {@link dev.mtp.common.config.Config}, or refused with a {@link dev.mtp.common.config.ConfigException} that
 * lists every problem at once.
 *
 * <p>Pure: no environment, file or system-property access here; the {@code runtime} module reads those and hands
 * them in as maps.
 *
 * <p>Naming rule: keys are dotted, lower-case, words joined by {@code -}; durations end in {@code -ms}. The
 * environment variable of a key is its name upper-cased with {@code .} and {@code -} turned into {@code _}
 * ({@code app.sync.async-timeout-ms} is {@code APP_SYNC_ASYNC_TIMEOUT_MS}). Precedence, highest first: system
 * properties, environment, config file, the key's default. A blank value counts as unset.
 */
package dev.mtp.common.config;
