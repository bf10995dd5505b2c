package dev.mtp.runtime.kafka;

import dev.mtp.common.config.CommonConfigKeys;
import dev.mtp.common.config.Config;
import dev.mtp.common.config.HostPort;
import dev.mtp.runtime.AppContext;
import dev.mtp.runtime.config.KafkaClientProperties;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;

/**
 * Client properties every app starts from, and binding of client metrics to the app's registry. The maps are
 * mutable: add serializers and app-specific settings, then pass them to the client's constructor.
 */
public final class KafkaClients {

    private KafkaClients() {}

    /**
     * The client properties of {@code kafka.config-file} (security, tuning), then {@code bootstrap.servers} from
     * {@code kafka.bootstrap.servers} and {@code client.id = <app>-<host>-<role>}.
     */
    public static Map<String, Object> common(Config config, String role) {
        Map<String, Object> props = new HashMap<>(KafkaClientProperties.load(config));
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                HostPort.join(config.get(CommonConfigKeys.KAFKA_BOOTSTRAP_SERVERS)));
        props.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId(config.appName(), role));
        return props;
    }

    /**
     * A producer that keeps invariant 1 (nothing acknowledged is lost): {@code acks=all}, idempotence on. Check the
     * result of every send.
     */
    public static Map<String, Object> producer(Config config) {
        Map<String, Object> props = common(config, "producer");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return props;
    }

    /**
     * A consumer that commits only what the app commits (after its writes are durable): auto commit off, new
     * groups start from the earliest offset.
     */
    public static Map<String, Object> consumer(Config config, String groupId) {
        Map<String, Object> props = common(config, "consumer");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return props;
    }

    public static Map<String, Object> admin(Config config) {
        return common(config, "admin");
    }

    /** {@code <app>-<host>-<role>}, with characters outside {@code [A-Za-z0-9._-]} replaced by {@code _}. */
    public static String clientId(String appName, String role) {
        return sanitize(appName + "-" + hostName() + "-" + role);
    }

    /** The host name: {@code HOSTNAME} (set in containers), else the local host's name, else "localhost". */
    public static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    static String sanitize(String id) {
        return id.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /**
     * Binds the consumer's metrics ({@code records-lag-max} shows as {@code kafka_consumer_fetch_manager_records_lag_max})
     * to the app's registry; unbound when the app closes.
     */
    public static void bindMetrics(AppContext ctx, Consumer<?, ?> consumer) {
        bind(ctx, "kafka consumer metrics", new KafkaClientMetrics(consumer));
    }

    public static void bindMetrics(AppContext ctx, Producer<?, ?> producer) {
        bind(ctx, "kafka producer metrics", new KafkaClientMetrics(producer));
    }

    /** Binds an admin client's metrics; {@code Admin.create} returns an {@link AdminClient}. */
    public static void bindMetrics(AppContext ctx, Admin admin) {
        if (admin instanceof AdminClient client) {
            bind(ctx, "kafka admin metrics", new KafkaClientMetrics(client));
        }
    }

    private static void bind(AppContext ctx, String name, KafkaClientMetrics metrics) {
        metrics.bindTo(ctx.meterRegistry());
        ctx.open(name, metrics);
    }
}
