package dev.mtp.ops.run;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.Console;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * A progress bar on stderr with count, rate and ETA (me.tongfei:progressbar): redrawn in place each second on a
 * terminal, a line every {@link #LOG_INTERVAL} otherwise (logs, CI), so a long run shows it is moving and when it
 * will end. Work already done by an earlier run (a resumed checkpoint) counts towards the bar but not the rate.
 */
public final class Progress implements AutoCloseable {

    static final Duration LOG_INTERVAL = Duration.ofSeconds(5);

    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    /** A bar over {@code total} units ({@code -1}: unknown), {@code done} of them done before this run. */
    public static Progress start(String task, long total, long done, String unit) {
        return start(System.err, terminal(), task, total, done, unit);
    }

    public static Progress start(String task, long total, String unit) {
        return start(task, total, 0, unit);
    }

    static Progress start(PrintStream err, boolean terminal, String task, long total, long done, String unit) {
        ProgressBarBuilder builder = new ProgressBarBuilder()
                .setTaskName(String.format(Locale.ROOT, "%-16s", task))
                .setInitialMax(total)
                .setUnit(" " + unit, 1)
                .showSpeed()
                .setSpeedUnit(java.time.temporal.ChronoUnit.SECONDS)
                .startsFrom(done, Duration.ZERO)
                .setStyle(terminal ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK : ProgressBarStyle.ASCII);
        if (terminal) {
            builder.setConsumer(new ConsoleProgressBarConsumer(err)).setUpdateIntervalMillis(1_000);
        } else {
            builder.setConsumer(new DelegatingProgressBarConsumer(new ChangedLines(err), 100))
                    .setUpdateIntervalMillis((int) LOG_INTERVAL.toMillis());
        }
        return new Progress(builder.build());
    }

    public void stepTo(long done) {
        bar.stepTo(done);
    }

    public void stepBy(long units) {
        bar.stepBy(units);
    }

    /** A short note after the bar, e.g. "drift 12". */
    public void note(String note) {
        bar.setExtraMessage(note.isEmpty() ? "" : " " + note);
    }

    public long done() {
        return bar.getCurrent();
    }

    /** Draws the final state and stops the bar's refresh thread. */
    @Override
    public void close() {
        bar.close();
    }

    /** Prints a line unless it repeats the last one (closing the bar draws its final state twice). */
    private static final class ChangedLines implements java.util.function.Consumer<String> {
        private final PrintStream out;
        private String last;

        ChangedLines(PrintStream out) {
            this.out = out;
        }

        @Override
        public void accept(String line) {
            if (!line.equals(last)) {
                out.println(line);
                last = line;
            }
        }
    }

    /** Whether stderr is a terminal (on JDK 22+ a console exists without one: ask it). */
    private static boolean terminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a console exists only on a terminal
        }
    }
}
