package dev.mtp.ingest.usage;

import dev.mtp.common.strategy.StrategyDefaults;
import dev.mtp.common.strategy.StrategyProfile;
import dev.mtp.common.usage.CachingLevel;
import dev.mtp.common.usage.UsageTally;
import dev.mtp.testkit.HeadlessChromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTML report opened in a real headless Chromium ({@link HeadlessChromium}): after its scripts ran, each strategy in use has its two curves drawn as SVG, today's point ringed.
 */
class HtmlReportTest {

    @Test
    void theChartsRenderInAHeadlessBrowser(@TempDir Path dir) throws Exception {
        UsageTally tally = new UsageTally();
        for (int i = 0; i < 40; i++) {
            tally.write(200);
            tally.read(i < 30 ? dev.mtp.common.usage.ReadOutcome.REDIS_HIT : dev.mtp.common.usage.ReadOutcome.MONGODB_EXPIRED,
                    CachingLevel.CRITICAL_ONLY, 1);
            tally.sampledReuse(CachingLevel.CRITICAL_ONLY, i < 30 ? 600 : 5_400, 10);
            tally.sampledWrite(-1, 10);
        }
        UsageStore.UsageHistory history = new UsageStore.UsageHistory(Map.of("session/CRITICAL_ONLY", tally), 3_600,
                Set.of("ingest-api@test"), 12, Map.of(), Map.of());
        UsageAnalysis analysis = new UsageAnalysis(history, KeySpace.unavailable("test"));
        StrategyDefaults profile = StrategyDefaults.of(StrategyProfile.DEVELOPMENT);
        String page = HtmlReport.render(analysis.analyze(60, profile.describe()),
                Recommendations.fromUsage(analysis, 60, profile), analysis.curves());
        Path file = dir.resolve("report.html");
        Files.writeString(file, page);

        assertThat(page).as("self-contained").doesNotContain(" src=").doesNotContain(" href=").doesNotContain("@import");
        String dom = HeadlessChromium.dumpDom(file, dir.resolve("profile"));

        assertThat(dom).contains("data-charts=\"2\"");
        assertThat(dom.split("<polyline", -1)).hasSize(3);
        assertThat(dom).contains("class=\"today\"").contains("session CRITICAL_ONLY: hit ratio");
    }
}
