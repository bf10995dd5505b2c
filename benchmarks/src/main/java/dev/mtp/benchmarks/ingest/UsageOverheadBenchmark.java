package dev.mtp.benchmarks.ingest;

import com.sun.management.OperatingSystemMXBean;
import dev.mtp.common.event.EntityType;
import dev.mtp.common.usage.KeyHash;
import dev.mtp.common.usage.ShardsSampler;
import dev.mtp.embedded.EmbeddedKafkaBroker;
import dev.mtp.embedded.FreePorts;
import dev.mtp.embedded.MongoStandIn;
import dev.mtp.embedded.RedisServerProcess;
import dev.mtp.ingest.IngestApp;
import dev.mtp.ingest.IngestConfig;
import dev.mtp.ingest.usage.TallyKeys;
import dev.mtp.runtime.AppLauncher;
import dev.mtp.runtime.RunningApp;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What usage measurement costs a read: two ingest instances on the same broker, Redis and MongoDB, one measuring
 * (the defaults, app.usage.enabled) and one not, read in alternating rounds so drift of a shared machine falls on
 * both alike. Reads are Redis hits of sessions written through the fast path. Prints p50/p99 of each, the ratio, and
 * the process CPU spent during each instance's rounds per read (the whole JVM: broker, clients and both ingests, so a
 * shared background shows on both alike). Then the sampling state after a million distinct keys, at the default
 * settings and with every key offered to it, against its stated bound ({@link ShardsSampler#memoryBound}).
 *
 * <pre>scripts/bench-usage-overhead [--reads=20000] [--sessions=500]</pre>
 */
public final class UsageOverheadBenchmark {
    private static final int MILLION = 1_000_000;
    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private UsageOverheadBenchmark() {}

    public static void main(String[] args) throws Exception {
        int reads = option(args, "--reads", 20_000);
        int sessions = option(args, "--sessions", 500);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().start();
             RedisServerProcess redis = RedisServerProcess.builder().start();
             MongoStandIn mongo = MongoStandIn.inMemory(0)) {
            String prefix = "uo" + Long.toHexString(System.nanoTime()) + ".";
            Map<String, String> env = new HashMap<>(Map.of("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                    "APP_TOPICS_PREFIX", prefix, "REDIS_URL", redis.url(), "MONGODB_URI", mongo.connectionString(),
                    "MONGODB_DATABASE", "bench", "OPS_PORT", "0", "HTTP_HOST", "127.0.0.1"));
            int onPort = FreePorts.pick();
            int offPort = FreePorts.pick();
            Map<String, String> on = new HashMap<>(env);
            on.put("HTTP_PORT", Integer.toString(onPort));
            Map<String, String> off = new HashMap<>(env);
            off.put("HTTP_PORT", Integer.toString(offPort));
            off.put("APP_USAGE_ENABLED", "false");
            HttpClient http = HttpClient.newHttpClient();
            try (RunningApp measuring = AppLauncher.start(IngestConfig.TABLE, IngestApp::start, Map.of(), on);
                 RunningApp bare = AppLauncher.start(IngestConfig.TABLE, IngestApp::start, Map.of(), off)) {
                for (int i = 0; i < sessions; i++) {
                    send(http, "POST", onPort, "/api/v1/sessions", "{\"sessionId\":\"uo-" + i + "\",\"userId\":\"u\","
                            + "\"context\":{\"topic\":\"t\"},\"cacheStrategy\":\"WITH_CONTEXT\"}");
                }
                long[] withUsage = new long[reads];
                long[] without = new long[reads];
                long[] cpu = new long[2];
                run(http, onPort, offPort, sessions, reads / 4, new long[reads / 4], new long[reads / 4], new long[2]);
                run(http, onPort, offPort, sessions, reads, withUsage, without, cpu);
                double p50On = percentile(withUsage, 0.5);
                double p50Off = percentile(without, 0.5);
                System.out.printf(Locale.ROOT, "usage measurement overhead: %,d reads each (Redis hits), %d cores%n",
                        reads, Runtime.getRuntime().availableProcessors());
                System.out.printf(Locale.ROOT, "  measuring  p50 %.3f ms  p99 %.3f ms  CPU %.1f us/read%n", p50On,
                        percentile(withUsage, 0.99), cpu[0] / 1e3 / reads);
                System.out.printf(Locale.ROOT, "  off        p50 %.3f ms  p99 %.3f ms  CPU %.1f us/read%n", p50Off,
                        percentile(without, 0.99), cpu[1] / 1e3 / reads);
                System.out.printf(Locale.ROOT, "  ratios     p50 %.3f (goal at most 1.05)  p99 %.3f  CPU %.3f%n",
                        p50On / p50Off, percentile(withUsage, 0.99) / percentile(without, 0.99),
                        (double) cpu[0] / cpu[1]);
            }
        }
        int maxKeys = IngestConfig.USAGE_MAX_SAMPLED_KEYS.defaultValue().orElseThrow();
        double rate = IngestConfig.USAGE_SAMPLE_RATE_PPM.defaultValue().orElseThrow() / 1e6;
        System.out.printf(Locale.ROOT, "sampling state after %,d distinct keys (bound %,d bytes at %,d keys):%n",
                MILLION, ShardsSampler.memoryBound(maxKeys), maxKeys);
        for (double r : new double[] {rate, 1.0}) {
            ShardsSampler sampler = new ShardsSampler(r, maxKeys);
            for (int i = 0; i < MILLION; i++) {
                sampler.write(KeyHash.of(TallyKeys.key(EntityType.SESSION, "s-" + i)), i, 1);
            }
            System.out.printf(Locale.ROOT, "  starting rate %-8s %,6d keys sampled, rate now %.6f, arrays %,d bytes%n",
                    r, sampler.size(), sampler.rate(), sampler.stateBytes());
        }
        System.exit(0); // the MCP SDK's session sweeper is not a daemon thread
    }

    /** Rounds of 100 reads on each instance in turn; adds the process CPU nanos of each one's rounds to {@code cpu}. */
    private static void run(HttpClient http, int onPort, int offPort, int sessions, int reads, long[] on, long[] off,
                            long[] cpu) throws Exception {
        for (int start = 0; start < reads; start += 100) {
            long begin = OS.getProcessCpuTime();
            for (int i = start; i < Math.min(reads, start + 100); i++) {
                on[i] = timedGet(http, onPort, "/api/v1/sessions/uo-" + (i % sessions));
            }
            long middle = OS.getProcessCpuTime();
            for (int i = start; i < Math.min(reads, start + 100); i++) {
                off[i] = timedGet(http, offPort, "/api/v1/sessions/uo-" + (i % sessions));
            }
            cpu[0] += middle - begin;
            cpu[1] += OS.getProcessCpuTime() - middle;
        }
    }

    private static long timedGet(HttpClient http, int port, String path) throws Exception {
        long begin = System.nanoTime();
        send(http, "GET", port, path, null);
        return System.nanoTime() - begin;
    }

    private static void send(HttpClient http, String method, int port, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + ": " + response.statusCode() + " " + response.body());
        }
    }

    private static double percentile(long[] nanos, double q) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e6;
    }

    /** {@code --name=N}; anything else on the command line is an error naming it. */
    private static int option(String[] args, String name, int fallback) {
        int value = fallback;
        for (String arg : args) {
            if (arg.startsWith(name + "=")) {
                value = Integer.parseInt(arg.substring(name.length() + 1));
            } else if (!arg.startsWith("--reads=") && !arg.startsWith("--sessions=")) {
                throw new IllegalArgumentException(arg + ": unknown option; valid: --reads=N, --sessions=N");
            }
        }
        return value;
    }
}
