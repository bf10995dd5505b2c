package dev.mtp.cachewriter;

import dev.mtp.cachestore.LocalRedisCluster;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.testkit.RealServers;
import dev.mtp.testkit.TestNamespace;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

/** cache-writer with {@code redis.mode=cluster} against a local three-node Redis Cluster. */
@RealServers
class CacheWriterClusterIT {

    @Test
    void aStreamConvergesOnARedisCluster(TestNamespace ns) {
        try (LocalRedisCluster cluster = LocalRedisCluster.start();
             Pipeline pipeline = new Pipeline(ns, cluster.seed().toString(), true)) {
            pipeline.startApp();
            for (List<EventEnvelope> chunk : CacheWriterFaultsIT.stream(40, 6)) {
                pipeline.produceAll(chunk);
            }
            pipeline.awaitConverged(Duration.ofSeconds(120));
            pipeline.awaitCommitted(Duration.ofSeconds(60));
        }
    }
}
