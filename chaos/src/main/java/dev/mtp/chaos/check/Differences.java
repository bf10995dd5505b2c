package dev.mtp.chaos.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Collects findings; compares one field at a time in canonical form. */
final class Differences {

    private final Finding.Store store;
    private final List<Finding> findings = new ArrayList<>();

    Differences(Finding.Store store) {
        this.store = store;
    }

    void lost(String where, String detail) {
        findings.add(new Finding(Finding.Kind.LOST, store, where, detail));
    }

    void wrong(String where, String detail) {
        findings.add(new Finding(Finding.Kind.WRONG, store, where, detail));
    }

    /** A wrong finding when the stored value differs from the expected one. */
    void field(String where, String field, Object expected, Object stored) {
        Object e = Canonical.of(expected);
        Object s = Canonical.of(stored);
        if (!Objects.equals(e, s)) {
            wrong(where, field + ": expected " + shown(e) + ", found " + shown(s));
        }
    }

    private static String shown(Object canonical) {
        return canonical instanceof java.math.BigDecimal d ? d.toPlainString() : String.valueOf(canonical);
    }

    /** The same for a time: expected epoch ms, stored as any time form. */
    void time(String where, String field, Long expected, Object stored) {
        Long s = Canonical.millis(stored);
        if (!Objects.equals(expected, s)) {
            wrong(where, field + ": expected " + expected + ", found " + s);
        }
    }

    List<Finding> findings() {
        return findings;
    }
}
