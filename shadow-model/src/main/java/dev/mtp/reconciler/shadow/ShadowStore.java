package dev.mtp.reconciler.shadow;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.Config;
import dev.mtp.common.config.ConfigKey;

import java.util.regex.Pattern;

/**
 * Where KVShadow lives: the reconciler's Kafka Streams store and its changelog topic, which the reconciler restores
 * from and ops-cli reads.
 */
public final class ShadowStore {
    private ShadowStore() {}

    /** Kafka Streams' rule for an application.id, which instance ids follow too. */
    public static final Pattern STREAMS_ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    public static final ConfigKey<String> APPLICATION_ID_KEY = ConfigKey.string("app.reconciler.application-id")
            .check("must be 1 to 200 characters of A-Z a-z 0-9 . _ -", s -> STREAMS_ID.matcher(s).matches())
            .withDoc("Kafka Streams application.id: the consumer group, and the prefix of the state changelog topic "
                    + "(<id>-kvshadow-changelog) that any instance restores from and that ./mtp shadow check reads. "
                    + "Unset = <app.topics.prefix>shadow-reconciler, e.g. mtp.shadow-reconciler.");

    /** The name of the shadow's state store. */
    public static final String NAME = "kvshadow";

    /** {@code app.reconciler.application-id}, or {@code <app.topics.prefix>shadow-reconciler} when unset. */
    public static String applicationId(Config config) {
        return config.find(APPLICATION_ID_KEY)
                .orElseGet(() -> config.get(CommonConfigKeys.TOPICS_PREFIX) + "shadow-reconciler");
    }

    /** The changelog topic of the shadow store, as Kafka Streams names it. */
    public static String changelog(String applicationId) {
        return applicationId + "-" + NAME + "-changelog";
    }
}
