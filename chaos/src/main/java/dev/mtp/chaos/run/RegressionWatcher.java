package dev.mtp.chaos.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mtp.chaos.check.Finding;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Reads sessions through the ingest while the run goes on (Redis first, MongoDB fallback, as a chat service reads)
 * and flags a regression when a read returns a smaller {@code context.seq} than a read of the same session returned
 * before: the driver's updates only ever raise it, so a smaller one is older state served after newer. Each read
 * passes the {@code version} of the session's last answer as {@code minVersion}, an opaque token, as a client keeping
 * its session consistent would; a 503 "Not visible yet" is the ingest refusing older state, counted apart.
 */
final class RegressionWatcher implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<List<Integer>> ingestPorts;
    private final Map<String, Traffic.Session> sessions;
    private final Recorder recorder;
    private final Map<String, Long> highest = new HashMap<>();
    private final Map<String, String> lastVersion = new HashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final Thread thread;
    private volatile boolean running = true;

    RegressionWatcher(Supplier<List<Integer>> ingestPorts, Map<String, Traffic.Session> sessions, Recorder recorder,
                      long seed) {
        this.ingestPorts = ingestPorts;
        this.sessions = sessions;
        this.recorder = recorder;
        Random random = new Random(seed);
        this.thread = Thread.ofPlatform().name("regression-watcher").daemon().start(() -> loop(random));
    }

    private void loop(Random random) {
        while (running) {
            List<Traffic.Session> live = new ArrayList<>(sessions.values());
            List<Integer> ports = ingestPorts.get();
            if (live.isEmpty() || ports.isEmpty()) {
                Stack.sleep(50);
                continue;
            }
            Traffic.Session s = live.get(random.nextInt(live.size()));
            int port = ports.get(random.nextInt(ports.size()));
            try {
                String token = lastVersion.get(s.id);
                String query = token == null ? "" : "?minVersion=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/sessions/" + s.id + query))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                recorder.reads.incrementAndGet();
                if (r.statusCode() == 503 && JSON.readTree(r.body()).path("title").asText().equals("Not visible yet")) {
                    recorder.notVisibleYet.incrementAndGet();
                } else if (r.statusCode() == 200 && !s.deleted) {
                    JsonNode answer = JSON.readTree(r.body());
                    if (answer.hasNonNull("version")) {
                        lastVersion.put(s.id, answer.get("version").asText());
                    }
                    JsonNode seq = answer.path("session").path("context").path("seq");
                    if (seq.isNumber()) {
                        long seen = seq.asLong();
                        Long before = highest.get(s.id);
                        if (before != null && seen < before && !s.deleted) {
                            recorder.regressions.add(new Finding(Finding.Kind.REGRESSION, Finding.Store.READS,
                                    "session " + s.id,
                                    "read context.seq " + seen + " from " + answer.path("tier").asText()
                                            + " after a read had returned " + before));
                        } else {
                            highest.merge(s.id, seen, Math::max);
                        }
                    }
                }
            } catch (Exception e) {
                // an ingest instance killed mid-read: the next read goes elsewhere
            }
            Stack.sleep(5);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(15_000);
    }
}
