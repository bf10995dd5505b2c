package dev.mtp.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mtp.cachewriter.CacheWriterApp;
import dev.mtp.cachewriter.CacheWriterConfig;
import dev.mtp.common.json.Json;
import dev.mtp.embedded.FreePorts;
import dev.mtp.ingest.IngestApp;
import dev.mtp.ingest.IngestConfig;
import dev.mtp.mongowriter.MongoWriterApp;
import dev.mtp.mongowriter.MongoWriterConfig;
import dev.mtp.reconciler.ShadowReconcilerApp;
import dev.mtp.reconciler.ShadowReconcilerConfig;
import dev.mtp.runtime.AppLauncher;
import dev.mtp.runtime.RunningApp;
import dev.mtp.testkit.TestNamespace;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The four apps of the pipeline in this JVM, on one Kafka cluster and the namespace's Redis and MongoDB: the shape
 * ./mtp runs, with test pacing (quick checks, a one-second incarnation watch).
 */
final class Stack implements AutoCloseable {

    static final int PARTITIONS = 2;

    final RunningApp cacheWriter;
    final RunningApp mongoWriter;
    final RunningApp reconciler;
    final RunningApp ingest;
    private final int httpPort;
    private final HttpClient http = HttpClient.newHttpClient();

    private Stack(RunningApp cacheWriter, RunningApp mongoWriter, RunningApp reconciler, RunningApp ingest,
                  int httpPort) {
        this.cacheWriter = cacheWriter;
        this.mongoWriter = mongoWriter;
        this.reconciler = reconciler;
        this.ingest = ingest;
        this.httpPort = httpPort;
    }

    /** Every setting the apps share, for this namespace's stores and the given cluster. */
    static Map<String, String> environment(TestNamespace ns, String bootstrapServers) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        env.put("REDIS_URL", ns.redisUrl());
        env.put("MONGODB_URI", ns.mongoUri());
        env.put("MONGODB_DATABASE", ns.mongoDatabaseName());
        env.put("APP_TOPICS_PREFIX", ns.topicPrefix());
        env.put("APP_TOPICS_PARTITIONS", Integer.toString(PARTITIONS));
        env.put("APP_CACHE_KEY_PREFIX", ns.redisKeyPrefix());
        env.put("APP_INCARNATION_CHECK_INTERVAL_MS", "1000");
        env.put("OPS_PORT", "0");
        return env;
    }

    static RunningApp startCacheWriter(TestNamespace ns, String bootstrapServers) {
        return AppLauncher.start(CacheWriterConfig.TABLE, CacheWriterApp::start, Map.of(),
                environment(ns, bootstrapServers));
    }

    static Stack start(TestNamespace ns, String bootstrapServers, Path reconcilerState) {
        return start(ns, bootstrapServers, reconcilerState, env -> { });
    }

    /** @param adjust changes every app's environment, e.g. to secured servers */
    static Stack start(TestNamespace ns, String bootstrapServers, Path reconcilerState,
                       Consumer<Map<String, String>> adjust) {
        List<RunningApp> started = new ArrayList<>();
        try {
            Map<String, String> cache = environment(ns, bootstrapServers);
            adjust.accept(cache);
            started.add(AppLauncher.start(CacheWriterConfig.TABLE, CacheWriterApp::start, Map.of(), cache));
            Map<String, String> mongo = environment(ns, bootstrapServers);
            adjust.accept(mongo);
            mongo.put("APP_MONGO_WRITER_GROUP_ID", ns.group("mongo-writer"));
            started.add(AppLauncher.start(MongoWriterConfig.TABLE, MongoWriterApp::start, Map.of(), mongo));
            Map<String, String> reconciler = environment(ns, bootstrapServers);
            reconciler.put("APP_RECONCILER_STATE_DIR", reconcilerState.toString());
            reconciler.put("APP_RECONCILER_CHECK_DELAY_MS", "1000");
            adjust.accept(reconciler);
            started.add(AppLauncher.start(ShadowReconcilerConfig.TABLE, ShadowReconcilerApp::start, Map.of(),
                    reconciler));
            int port = FreePorts.pick();
            Map<String, String> ingest = environment(ns, bootstrapServers);
            ingest.put("HTTP_HOST", "127.0.0.1");
            ingest.put("HTTP_PORT", Integer.toString(port));
            adjust.accept(ingest);
            started.add(AppLauncher.start(IngestConfig.TABLE, IngestApp::start, Map.of(), ingest));
            return new Stack(started.get(0), started.get(1), started.get(2), started.get(3), port);
        } catch (RuntimeException e) {
            started.forEach(RunningApp::close);
            throw e;
        }
    }

    /** Sends a JSON API call and returns the answer's body; fails on anything but the expected status. */
    JsonNode call(String method, String path, String body, int expectedStatus) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expectedStatus) {
            throw new AssertionError(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body().isEmpty() ? null : Json.mapper().readTree(response.body());
    }

    /** GET of a session through the ingest (Redis first, MongoDB fallback), or null when it is not found. */
    JsonNode session(String sessionId) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort + "/api/v1/sessions/" + sessionId)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 404 ? null : Json.mapper().readTree(response.body());
    }

    int httpPort() {
        return httpPort;
    }

    /** The apps in start order. */
    List<RunningApp> apps() {
        return List.of(cacheWriter, mongoWriter, reconciler, ingest);
    }

    @Override
    public void close() {
        for (RunningApp app : List.of(ingest, reconciler, mongoWriter, cacheWriter)) {
            app.close();
        }
    }
}
