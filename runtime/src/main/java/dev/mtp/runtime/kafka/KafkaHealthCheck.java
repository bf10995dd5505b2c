package dev.mtp.runtime.kafka;

import dev.mtp.runtime.startup.ServerRefusal;
import dev.mtp.runtime.ops.Health;
import dev.mtp.runtime.ops.HealthCheck;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Kafka is reachable: {@code Admin.describeCluster} answers within a short timeout with at least one broker. */
public final class KafkaHealthCheck implements HealthCheck {

    private final Admin admin;
    private final Duration timeout;

    public KafkaHealthCheck(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public Health check() throws Exception {
        int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        DescribeClusterResult r = admin.describeCluster(new DescribeClusterOptions().timeoutMs(ms));
        Collection<Node> nodes;
        String clusterId;
        try {
            nodes = r.nodes().get(ms, TimeUnit.MILLISECONDS);
            clusterId = r.clusterId().get(ms, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return Health.down("no answer within " + ms + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (ServerRefusal.describe(cause).isPresent() && cause instanceof Exception refusal) {
                throw refusal; // wrong credentials or an untrusted certificate: start-up stops at once
            }
            return Health.down(cause.getClass().getSimpleName() + ": " + cause.getMessage());
        }
        if (nodes.isEmpty()) {
            return Health.down("cluster " + clusterId + " reports no brokers");
        }
        return Health.up("cluster " + clusterId + ", " + nodes.size() + (nodes.size() == 1 ? " broker" : " brokers"));
    }
}
