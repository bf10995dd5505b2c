package dev.mtp.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

/**
 * mongo-writer's own counts over a run, from its {@code /metrics}: the writes it sent (all kinds, and the session
 * summaries among them) and the compare-and-sets that lost and were re-planned. A run whose main path reads
 * nothing shows no lost CAS: what the writer believed of each document was right.
 */
record WriterCounters(double writes, double summaries, double lostCas) {

    static WriterCounters scrape(int opsPort) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            String text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + opsPort + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
            double writes = 0, summaries = 0, lost = 0;
            for (String line : text.split("\n")) {
                if (line.startsWith("mtp_mongo_writes_total{")) {
                    double value = value(line);
                    writes += value;
                    if (line.contains("kind=\"interaction_summary\"") || line.contains("kind=\"evaluation_summary\"")) {
                        summaries += value;
                    }
                } else if (line.startsWith("mtp_mongo_guard_conflicts_total")) {
                    lost += value(line);
                }
            }
            return new WriterCounters(writes, summaries, lost);
        }
    }

    private static double value(String line) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    String perEvent(long events) {
        return String.format(Locale.ROOT, "over the run: %.2f writes per event (%.3f session summaries), %,.0f lost "
                + "compare-and-sets", writes / events, summaries / events, lostCas);
    }
}
