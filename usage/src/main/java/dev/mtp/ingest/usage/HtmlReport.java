package dev.mtp.ingest.usage;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.mtp.common.json.Json;

import java.util.List;
import java.util.Map;

/**
 * The analysis as one self-contained HTML page: tables and findings in the markup, and the curves (hit ratio and
 * memory against TTL per strategy, today's point marked) drawn as inline SVG by an inline script from the data
 * embedded in the page. No network, no external file. ops-cli analyze --html writes it.
 */
public final class HtmlReport {
    private HtmlReport() {}

    public static String render(Map<String, Object> analysis, Map<String, Object> recommendations, List<Map<String, Object>> curves) {
        StringBuilder html = new StringBuilder(16_384);
        html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>mtp usage analysis</title>")
                .append("<style>body{font:14px sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:8px 0 24px}")
                .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f3f3f3}")
                .append("td:first-child,td:nth-child(2){text-align:left}.chart{display:inline-block;margin:8px}")
                .append("svg{background:#fafafa;border:1px solid #ddd}.finding{margin:4px 0}</style></head><body>");
        html.append("<h1>mtp usage analysis</h1>");
        Map<?, ?> window = (Map<?, ?>) analysis.get("window");
        html.append("<p>Window ").append(esc(window.get("minutes"))).append(" min, ").append(esc(window.get("coveredSeconds")))
                .append(" s measured, instances ").append(esc(window.get("instances"))).append(".</p>");
        html.append("<h2>Findings</h2>");
        List<?> findings = (List<?>) analysis.get("findings");
        if (findings.isEmpty()) {
            html.append("<p>None.</p>");
        }
        for (Object f : findings) {
            Map<?, ?> finding = (Map<?, ?>) f;
            html.append("<div class=\"finding\"><b>").append(esc(finding.get("kind"))).append("</b> (")
                    .append(esc(finding.get("where"))).append("): ").append(esc(finding.get("detail"))).append(". <i>")
                    .append(esc(finding.get("advice"))).append("</i></div>");
        }
        html.append("<h2>Strategies</h2><table><tr><th>entity</th><th>strategy</th><th>writes/s</th><th>reads/s</th>")
                .append("<th>Redis hit ratio</th><th>Redis p50/p99 ms</th><th>MongoDB p50/p99 ms</th><th>keys</th>")
                .append("<th>bytes/key (seed)</th><th>reads after expiry</th><th>keys expired unread</th><th>pattern</th></tr>");
        for (Object r : (List<?>) analysis.get("strategies")) {
            Map<?, ?> row = (Map<?, ?>) r;
            Map<?, ?> latency = (Map<?, ?>) row.get("latencyMs");
            Map<?, ?> keys = (Map<?, ?>) row.get("keys");
            Map<?, ?> ttl = (Map<?, ?>) row.get("ttlEffectiveness");
            html.append("<tr><td>").append(esc(row.get("entityType"))).append("</td><td>").append(esc(row.get("strategy")))
                    .append("</td><td>").append(esc(row.get("writesPerSecond"))).append("</td><td>").append(esc(row.get("readsPerSecond")))
                    .append("</td><td>").append(esc(((Map<?, ?>) row.get("hitRatio")).get("redis")))
                    .append("</td><td>").append(tier(latency.get("redis"))).append("</td><td>").append(tier(latency.get("mongodb")))
                    .append("</td><td>").append(esc(keys.get("estimated"))).append("</td><td>").append(esc(keys.get("bytesPerKey")))
                    .append(" (").append(esc(keys.get("seedBytesPerKey"))).append(")</td><td>").append(esc(ttl.get("readsAfterExpiry")))
                    .append("</td><td>").append(esc(ttl.get("keysExpiredUnread"))).append("</td><td>")
                    .append(esc(((Map<?, ?>) row.get("pattern")).get("label"))).append("</td></tr>");
        }
        html.append("</table><h2>Recommendations</h2><table><tr><th>entity</th><th>strategy</th><th>action</th>")
                .append("<th>recommended</th><th>reason</th><th>confidence (sampled reads)</th></tr>");
        for (Object i : (List<?>) recommendations.get("recommendations")) {
            Map<?, ?> item = (Map<?, ?>) i;
            html.append("<tr><td>").append(esc(item.get("entityType"))).append("</td><td>").append(esc(item.get("strategy")))
                    .append("</td><td>").append(esc(item.get("action"))).append("</td><td>").append(esc(item.get("recommended")))
                    .append("</td><td>").append(esc(item.get("reason"))).append("</td><td>").append(esc(item.get("confidence")))
                    .append(" (").append(esc(item.get("sampleReads"))).append(")</td></tr>");
        }
        Map<?, ?> profile = (Map<?, ?>) recommendations.get("recommendedProfile");
        html.append("</table><p>Recommended profile: <b>").append(esc(profile.get("profile"))).append("</b> (")
                .append(esc(profile.get("how"))).append(")</p>");
        html.append("<h2>Hit ratio and memory against TTL</h2><p>Each strategy's fields with other TTLs, from the sampled "
                + "reuse times and write gaps; the ringed point is today's TTL.</p><div id=\"charts\"></div>");
        html.append("<script>const CURVES = ").append(json(curves)).append(";\n").append(SCRIPT).append("</script>");
        html.append("</body></html>");
        return html.toString();
    }

    private static String tier(Object latency) {
        Map<?, ?> tier = (Map<?, ?>) latency;
        return esc(tier.get("p50AtMost")) + " / " + esc(tier.get("p99AtMost"));
    }

    private static String json(Object value) {
        try {
            return Json.mapper().writeValueAsString(value).replace("</", "<\\/");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the report's data is not JSON", e);
        }
    }

    static String esc(Object value) {
        String text = value == null ? "-" : value.toString();
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Draws two charts per curve (log TTL axis); marks the body with how many it drew. */
    private static final String SCRIPT = """
            const NS = 'http://www.w3.org/2000/svg';
            function el(name, attrs, parent) {
              const e = document.createElementNS(NS, name);
              for (const k in attrs) e.setAttribute(k, attrs[k]);
              if (parent) parent.appendChild(e);
              return e;
            }
            function chart(curve, field, label, format) {
              const W = 360, H = 220, L = 60, B = 30, T = 24;
              const pts = curve.points.filter(p => p[field] !== null);
              const box = document.createElement('div');
              box.className = 'chart';
              const svg = el('svg', {width: W, height: H, class: 'curve', 'data-field': field});
              box.appendChild(svg);
              el('text', {x: L, y: 16, 'font-size': 12}, svg).textContent = curve.entityType + ' ' + curve.strategy + ': ' + label;
              const xs = pts.map(p => Math.log10(p.ttlSeconds));
              const ys = pts.map(p => p[field]);
              const x0 = Math.min(...xs), x1 = Math.max(...xs), y1 = Math.max(field === 'hitRatio' ? 1 : 0, ...ys) || 1;
              const X = v => L + (W - L - 10) * (v - x0) / ((x1 - x0) || 1);
              const Y = v => H - B - (H - B - T) * v / y1;
              el('line', {x1: L, y1: H - B, x2: W - 10, y2: H - B, stroke: '#999'}, svg);
              el('line', {x1: L, y1: T, x2: L, y2: H - B, stroke: '#999'}, svg);
              el('text', {x: 4, y: T + 8, 'font-size': 10}, svg).textContent = format(y1);
              el('text', {x: L, y: H - 8, 'font-size': 10}, svg).textContent = 'TTL ' + Math.round(10 ** x0) + ' s';
              el('text', {x: W - 80, y: H - 8, 'font-size': 10}, svg).textContent = Math.round(10 ** x1) + ' s';
              el('polyline', {fill: 'none', stroke: '#1565c0', 'stroke-width': 2,
                points: pts.map((p, i) => X(xs[i]).toFixed(1) + ',' + Y(ys[i]).toFixed(1)).join(' ')}, svg);
              const today = curve.today;
              if (today && today[field] !== null) {
                const cx = X(Math.log10(today.ttlSeconds)), cy = Y(today[field]);
                el('circle', {cx: cx, cy: cy, r: 6, fill: 'none', stroke: '#d32f2f', 'stroke-width': 2, class: 'today'}, svg);
                el('text', {x: cx + 8, y: cy - 8, 'font-size': 10, fill: '#d32f2f'}, svg).textContent = 'today';
              }
              return box;
            }
            let drawn = 0;
            const root = document.getElementById('charts');
            for (const curve of CURVES) {
              root.appendChild(chart(curve, 'hitRatio', 'hit ratio', v => v.toFixed(2)));
              root.appendChild(chart(curve, 'memoryBytes', 'memory (bytes)', v => Math.round(v) + ' B'));
              drawn += 2;
            }
            document.body.setAttribute('data-charts', String(drawn));
            """;
}
