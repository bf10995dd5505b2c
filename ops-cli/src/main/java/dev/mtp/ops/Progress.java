package dev.mtp.ops;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress bar on stderr: redrawn in place on a terminal (at most ten times a second), a line per tenth of the
 * work otherwise (logs, CI), so a long run over a large key space shows it is moving and how far it got.
 */
final class Progress {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final String label;
    private final long total;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private long lastDraw;
    private int lastTenth = -1;

    Progress(PrintStream out, String label, long total, boolean terminal) {
        this.out = out;
        this.label = label;
        this.total = Math.max(total, 0);
        this.terminal = terminal;
    }

    static Progress stderr(String label, long total) {
        return new Progress(System.err, label, total, System.console() != null);
    }

    /** Shows {@code done} of the total, with a note (e.g. "drift 12"). */
    void show(long done, String note) {
        long now = System.nanoTime();
        if (terminal) {
            if (now - lastDraw < 100_000_000L && done < total) {
                return;
            }
            lastDraw = now;
            out.print("\r" + line(done, note));
            out.flush();
        } else {
            int tenth = total == 0 ? 10 : (int) Math.min(10, done * 10 / total);
            if (tenth > lastTenth) {
                lastTenth = tenth;
                out.println(line(done, note));
            }
        }
    }

    void done(long done, String note) {
        if (terminal) {
            out.print("\r" + line(done, note) + "\n");
        } else if (lastTenth < 10) {
            out.println(line(done, note));
        }
        out.flush();
    }

    String line(long done, String note) {
        double share = total == 0 ? 1 : Math.min(1, (double) done / total);
        int filled = (int) Math.round(share * WIDTH);
        double seconds = (System.nanoTime() - start) / 1e9;
        return String.format(Locale.ROOT, "%-18s [%s%s] %,d/%,d %3.0f%% %5.1fs%s", label, "#".repeat(filled),
                " ".repeat(WIDTH - filled), done, total, share * 100, seconds, note.isEmpty() ? "" : "  " + note);
    }
}
