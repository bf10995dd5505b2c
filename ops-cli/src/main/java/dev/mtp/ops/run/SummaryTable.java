package dev.mtp.ops.run;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The table a command ends with: a header and rows, columns padded to their widest cell, numbers right-aligned
 * with thousands separators, so the output reads the same for every command and pastes into a report.
 */
public final class SummaryTable {

    private final List<String> header;
    private final List<Object[]> rows = new ArrayList<>();

    public SummaryTable(String... header) {
        this.header = List.of(header);
    }

    public SummaryTable row(Object... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("a row of " + header.size() + " cells expected, got " + cells.length);
        }
        rows.add(cells.clone());
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public List<String> lines() {
        List<String[]> cells = new ArrayList<>();
        cells.add(header.toArray(String[]::new));
        rows.forEach(r -> cells.add(Arrays.stream(r).map(SummaryTable::format).toArray(String[]::new)));
        int[] width = new int[header.size()];
        for (String[] r : cells) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (int n = 0; n < cells.size(); n++) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < width.length; i++) {
                boolean right = n > 0 && rows.get(n - 1)[i] instanceof Number;
                String cell = cells.get(n)[i];
                String pad = " ".repeat(width[i] - cell.length());
                line.append(i == 0 ? "" : "  ").append(right ? pad + cell : cell + (i == width.length - 1 ? "" : pad));
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }

    public void print(PrintWriter out) {
        lines().forEach(out::println);
        out.flush();
    }

    static String format(Object cell) {
        if (cell == null) {
            return "-";
        }
        if (cell instanceof Double || cell instanceof Float) {
            return String.format(Locale.ROOT, "%,.1f", ((Number) cell).doubleValue());
        }
        if (cell instanceof Number n) {
            return String.format(Locale.ROOT, "%,d", n.longValue());
        }
        return cell.toString();
    }
}
