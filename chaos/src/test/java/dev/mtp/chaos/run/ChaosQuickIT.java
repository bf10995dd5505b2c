package dev.mtp.chaos.run;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quick chaos run, as {@code scripts/chaos} runs it: the apps from their packaged jars, two instances each, every
 * fault of the schedule once. Fails on anything lost, wrong or regressed, and on any fault that converged outside its
 * bound; the report (text, JSON, HTML) stays in target/chaos.
 */
class ChaosQuickIT {

    @Test
    void thePipelineLosesNothingAndConvergesWithinEveryBound() throws Exception {
        Path out = Path.of("target/chaos").toAbsolutePath();
        Report report = new ChaosRun(ChaosMain.repositoryRoot(), Options.quick(out)).run();
        report.write(out);
        System.out.print(report.text());

        assertThat(report.recorder().acknowledged.get()).isGreaterThan(1_000);
        // every fault once; scale-out strikes twice (an instance added, then removed)
        assertThat(report.faults()).hasSize(Options.FAULT_NAMES.size() + 1);
        assertThat(Files.readString(out.resolve("report.html"))).contains("<svg");
        assertThat(report.passed()).as(report.text()).isTrue();
    }
}
