package dev.mtp.chaos.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mtp.chaos.check.Finding;
import dev.mtp.chaos.model.Expected;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The run's figures and verdict, printed, as JSON and as a self-contained HTML page with the timeline. */
record Report(Options options, double startupS, double trafficS, Recorder recorder, long records, Expected expected,
              List<Finding> findings, List<Finding> regressions, List<Faults.Result> faults,
              List<Timeline.Point> timeline, List<double[]> faultWindows, long maxLag, Map<String, Double> cpuMicrosPerEvent) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Findings listed in report.json, of each list; the counts by store cover all of them. */
    private static final int LISTED = 1000;

    long lost() {
        return findings.stream().filter(f -> f.kind() == Finding.Kind.LOST).count();
    }

    long wrong() {
        return findings.stream().filter(f -> f.kind() == Finding.Kind.WRONG).count();
    }

    long missedBounds() {
        return faults.stream().filter(f -> !f.met()).count();
    }

    boolean passed() {
        return lost() == 0 && wrong() == 0 && regressions.isEmpty() && missedBounds() == 0;
    }

    /** p50 and p99 in ms per store and phase ("load", or "after <fault>"). */
    Map<String, long[]> freshness() {
        Map<String, List<Long>> by = new TreeMap<>();
        synchronized (recorder.freshness) {
            for (Recorder.Freshness f : recorder.freshness) {
                by.computeIfAbsent(f.store() + " | all", k -> new ArrayList<>()).add(f.millis());
                by.computeIfAbsent(f.store() + " | " + f.phase(), k -> new ArrayList<>()).add(f.millis());
            }
        }
        Map<String, long[]> out = new LinkedHashMap<>();
        by.forEach((k, v) -> {
            v.sort(Long::compare);
            out.put(k, new long[] {v.get((int) Math.floor(0.50 * (v.size() - 1))),
                    v.get((int) Math.floor(0.99 * (v.size() - 1))), v.size()});
        });
        return out;
    }

    String text() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%nchaos %s: %d instances of each app, %.0f events/s offered, %.0f s of "
                        + "traffic (stack ready in %.0f s)%n", options.longRun() ? "long run" : "quick run",
                options.instances(), options.eventsPerSecond(), trafficS, startupS));
        b.append(String.format(Locale.ROOT, "acknowledged %,d (json %,d, mcp %,d, batch %,d, direct %,d); refused %,d "
                        + "(503/424, allowed); unanswered %,d (a killed ingest mid-call); re-published copies %,d%n",
                recorder.acknowledged.get(), count("json"), count("mcp"), count("batch"), count("direct"),
                recorder.refused.get(), recorder.unanswered.get(), recorder.direct.get() - count("direct")));
        recorder.unansweredReasons.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(5).forEach(e -> b.append(String.format(Locale.ROOT, "  unanswered %,d: %s%n", e.getValue(),
                        e.getKey())));
        b.append(String.format(Locale.ROOT, "events in the topics %,d by type %s; %d sessions, %d interactions, "
                        + "%d evaluations; %,d reads by the regression watcher, %,d refused as not visible yet%n",
                records, new TreeMap<>(recorder.typeCounts), expected.sessions().size(), expected.interactions().size(),
                expected.evaluations().size(), recorder.reads.get(), recorder.notVisibleYet.get()));
        b.append(String.format(Locale.ROOT, "lost %d, wrong %d, regressions %d (all must be 0)%n", lost(), wrong(),
                regressions.size()));
        tally().forEach((store, kinds) -> b.append(String.format(Locale.ROOT, "  %s: %s%n", name(store), String.join(
                ", ", kinds.entrySet().stream().map(k -> name(k.getKey()) + " " + k.getValue()).toList()))));
        findings.stream().limit(30).forEach(f -> b.append("  ").append(f).append('\n'));
        regressions.stream().limit(10).forEach(f -> b.append("  ").append(f).append('\n'));
        b.append(String.format("%n%-58s %9s %12s %10s  %s%n", "fault", "at (s)", "converged", "bound", "bound from"));
        for (Faults.Result f : faults) {
            b.append(String.format(Locale.ROOT, "%-58s %9.1f %12s %10s  %s%s%n", f.name(), f.startedAtS(),
                    f.convergedMillis() < 0 ? "never" : String.format(Locale.ROOT, "%.1f s", f.convergedMillis() / 1e3),
                    String.format(Locale.ROOT, "%.1f s", f.boundMillis() / 1e3), f.boundRule(),
                    f.met() ? "" : "   MISSED"));
            if (!f.unconverged().isEmpty()) {
                b.append("    not converged: ").append(f.unconverged()).append('\n');
            }
        }
        b.append(String.format("%nmax consumer lag %,d records%n", maxLag));
        b.append("freshness, acknowledgement to visible (ms):  p50   p99   samples\n");
        freshness().forEach((k, v) -> b.append(String.format(Locale.ROOT, "  %-58s %5d %5d %7d%n", k, v[0], v[1], v[2])));
        b.append("CPU per event (µs, every instance, JIT included; events = records in the topics):\n");
        cpuMicrosPerEvent.forEach((app, us) -> b.append(String.format(Locale.ROOT, "  %-20s %8.1f%n", app, us)));
        b.append(passed() ? "\nPASSED\n" : "\nFAILED: " + lost() + " lost, " + wrong() + " wrong, " + regressions.size()
                + " regressions, " + missedBounds() + " bounds missed\n");
        return b.toString();
    }

    /** Findings and regressions by store and kind. */
    Map<Finding.Store, Map<Finding.Kind, Long>> tally() {
        List<Finding> all = new ArrayList<>(findings);
        all.addAll(regressions);
        return Finding.tally(all);
    }

    private static String name(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private long count(String channel) {
        return recorder.channelCounts.getOrDefault(channel, 0L);
    }

    ObjectNode json() {
        ObjectNode root = JSON.createObjectNode();
        root.put("mode", options.longRun() ? "long" : "quick");
        root.put("instancesPerApp", options.instances());
        root.put("offeredEventsPerSecond", options.eventsPerSecond());
        root.put("trafficSeconds", trafficS);
        root.put("startupSeconds", startupS);
        root.put("acknowledged", recorder.acknowledged.get());
        root.put("refused", recorder.refused.get());
        root.put("unanswered", recorder.unanswered.get());
        root.set("acknowledgedByChannel", JSON.valueToTree(new TreeMap<>(recorder.channelCounts)));
        root.set("acknowledgedByType", JSON.valueToTree(new TreeMap<>(recorder.typeCounts)));
        root.put("recordsInTopics", records);
        root.put("lost", lost());
        root.put("wrong", wrong());
        root.put("regressions", regressions.size());
        root.put("reads", recorder.reads.get());
        root.put("readsNotVisibleYet", recorder.notVisibleYet.get());
        ObjectNode byStore = root.putObject("findingsByStore");
        tally().forEach((store, kinds) -> {
            ObjectNode o = byStore.putObject(name(store));
            kinds.forEach((kind, n) -> o.put(name(kind), n));
        });
        ArrayNode fs = root.putArray("findings");
        findings.stream().limit(LISTED).forEach(f -> fs.add(f.toString()));
        regressions.stream().limit(LISTED).forEach(f -> fs.add(f.toString()));
        root.put("findingsNotListed", Math.max(0, findings.size() - LISTED) + Math.max(0, regressions.size() - LISTED));
        ArrayNode faultArray = root.putArray("faults");
        for (Faults.Result f : faults) {
            ObjectNode o = faultArray.addObject();
            o.put("fault", f.name());
            o.put("startedAtSeconds", f.startedAtS());
            o.put("endedAtSeconds", f.endedAtS());
            o.put("convergedMillis", f.convergedMillis());
            o.put("boundMillis", f.boundMillis());
            o.put("boundFrom", f.boundRule());
            o.put("met", f.met());
            if (!f.unconverged().isEmpty()) {
                o.put("unconverged", f.unconverged());
            }
        }
        root.put("maxConsumerLag", maxLag);
        ObjectNode fresh = root.putObject("freshnessMillis");
        freshness().forEach((k, v) -> fresh.putObject(k).put("p50", v[0]).put("p99", v[1]).put("samples", v[2]));
        root.set("cpuMicrosPerEvent", JSON.valueToTree(cpuMicrosPerEvent));
        ArrayNode points = root.putArray("timeline");
        timeline.forEach(p -> points.addObject().put("t", p.atS()).put("eventsPerSecond", p.eventsPerSecond())
                .put("maxLag", p.maxLag()).put("drift", p.drift()));
        root.put("passed", passed());
        return root;
    }

    /** Writes report.txt, report.json and report.html into the directory. */
    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("report.txt"), text());
        JSON.writeValue(dir.resolve("report.json").toFile(), json());
        Files.writeString(dir.resolve("report.html"), html());
    }

    /** One page, no scripts or links: an SVG of load, lag and drift per second, with the faults as bands. */
    String html() {
        int w = 960;
        int h = 300;
        double tMax = Math.max(1, timeline.stream().mapToDouble(Timeline.Point::atS).max().orElse(1));
        double tMin = timeline.stream().mapToDouble(Timeline.Point::atS).min().orElse(0);
        long loadMax = Math.max(1, timeline.stream().mapToLong(Timeline.Point::eventsPerSecond).max().orElse(1));
        long lagMax = Math.max(1, timeline.stream().mapToLong(Timeline.Point::maxLag).max().orElse(1));
        int driftMax = Math.max(1, timeline.stream().mapToInt(Timeline.Point::drift).max().orElse(1));
        StringBuilder svg = new StringBuilder();
        svg.append(String.format("<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' "
                + "style='background:#fff;border:1px solid #ccc'>", w, h + 40));
        for (Faults.Result f : faults) {
            double x = x(f.startedAtS(), tMin, tMax, w);
            double x2 = Math.max(x + 2, x(f.endedAtS() + Math.max(0, f.convergedMillis()) / 1e3, tMin, tMax, w));
            svg.append(String.format(Locale.ROOT, "<rect x='%.1f' y='0' width='%.1f' height='%d' fill='%s' "
                    + "opacity='0.25'><title>%s: converged in %s (bound %.1f s)</title></rect>", x, x2 - x, h,
                    f.met() ? "#f0a030" : "#e02020", escape(f.name()),
                    f.convergedMillis() < 0 ? "never" : (f.convergedMillis() / 1e3) + " s", f.boundMillis() / 1e3));
            svg.append(String.format(Locale.ROOT, "<line x1='%.1f' y1='0' x2='%.1f' y2='%d' stroke='#c06000'/>", x, x,
                    h));
        }
        svg.append(polyline(tMin, tMax, w, h, loadMax, "#2060c0", p -> p.eventsPerSecond()));
        svg.append(polyline(tMin, tMax, w, h, lagMax, "#c02060", p -> Math.max(0, p.maxLag())));
        svg.append(polyline(tMin, tMax, w, h, driftMax, "#20a040", p -> p.drift()));
        svg.append(String.format(Locale.ROOT, "<text x='4' y='%d' font-size='12' font-family='sans-serif'>"
                + "<tspan fill='#2060c0'>load (max %d events/s)</tspan> · <tspan fill='#c02060'>max consumer lag "
                + "(max %d)</tspan> · <tspan fill='#20a040'>drift: writes not yet visible in both stores (max %d)</tspan>"
                + " · <tspan fill='#c06000'>faults until converged</tspan> · %.0f s to %.0f s</text></svg>",
                h + 25, loadMax, lagMax, driftMax, tMin, tMax));
        StringBuilder rows = new StringBuilder();
        for (Faults.Result f : faults) {
            rows.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%.1f</td><td>%s</td><td>%.1f s</td><td>%s</td>"
                            + "<td>%s</td></tr>", escape(f.name()), f.startedAtS(),
                    f.convergedMillis() < 0 ? "never" : String.format(Locale.ROOT, "%.1f s", f.convergedMillis() / 1e3),
                    f.boundMillis() / 1e3, escape(f.boundRule()), f.met() ? "met" : "<b>missed</b>"));
        }
        return "<!doctype html><html><head><meta charset='utf-8'><title>mtp chaos report</title><style>"
                + "body{font-family:sans-serif;margin:24px;max-width:1000px}td,th{padding:2px 8px;text-align:left}"
                + "pre{background:#f6f6f6;padding:8px;overflow-x:auto}</style></head><body>"
                + "<h1>mtp chaos report: " + (passed() ? "passed" : "FAILED") + "</h1>" + svg
                + "<h2>Faults</h2><table><tr><th>fault</th><th>at (s)</th><th>converged</th><th>bound</th>"
                + "<th>bound from</th><th></th></tr>" + rows + "</table><h2>Figures</h2><pre>" + escape(text())
                + "</pre></body></html>";
    }

    private String polyline(double tMin, double tMax, int w, int h, double max, String color,
                            java.util.function.ToDoubleFunction<Timeline.Point> value) {
        StringBuilder b = new StringBuilder("<polyline fill='none' stroke-width='1.5' stroke='" + color + "' points='");
        for (Timeline.Point p : timeline) {
            b.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(p.atS(), tMin, tMax, w),
                    h - 5 - (h - 10) * value.applyAsDouble(p) / max));
        }
        return b.append("'/>").toString();
    }

    private static double x(double t, double tMin, double tMax, int w) {
        return 5 + (w - 10) * (t - tMin) / Math.max(1e-9, tMax - tMin);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
