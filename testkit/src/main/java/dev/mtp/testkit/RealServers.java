package dev.mtp.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against real Kafka, Redis and MongoDB, each started once per JVM on first use and shared by
 * every test class, and gives each test a clean {@link TestNamespace} as a parameter:
 *
 * <pre>{@code
 * @RealServers
 * class CacheWriterIT {
 *     @Test
 *     void writesSessionWithTtl(TestNamespace ns) {
 *         String topic = ns.createTopic("sessions", 3);
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>Where each server comes from:
 * <ul>
 *   <li>Kafka: {@code KAFKA_BOOTSTRAP_SERVERS} if set, else an in-process KRaft broker.</li>
 *   <li>Redis: {@code REDIS_URL} if set, else a private {@code redis-server} child process on a free port (never
 *       the machine's 6379: tests flush and restart it), else a Testcontainers {@code redis} container when a
 *       Docker engine answers.</li>
 *   <li>MongoDB: {@code MONGODB_URI} if set, else a Testcontainers {@code mongo} container when a Docker engine
 *       answers, else the in-process mongo-java-server stand-in (memory backend).</li>
 * </ul>
 * Tests that stop, restart or flush the shared Redis must not run in parallel with other tests.
 */
@Documented
@Inherited
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RealServersExtension.class)
public @interface RealServers {
}
