package dev.mtp.ops.imports;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.ops.run.SummaryTable;
import org.bson.Document;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compares imported records with the documents mongo-writer keeps for them, in batches of {@value #BATCH} ids per
 * query: per kind, how many match, are missing or differ, and the first {@value #SHOWN} of those that do not match.
 * A record the import refused is counted, not checked.
 */
public final class ImportVerification {

    static final int BATCH = 500;
    static final int SHOWN = 10;

    private final MongoDatabase db;
    private final Map<EntityKind, long[]> counts = new EnumMap<>(EntityKind.class);
    private final List<String> shown = new ArrayList<>();
    private final Map<String, EventEnvelope> pending = new LinkedHashMap<>();
    private EntityKind pendingKind;

    public ImportVerification(MongoDatabase db) {
        this.db = db;
    }

    private static final int MATCHING = 0;
    private static final int MISSING = 1;
    private static final int DIFFERING = 2;
    private static final int REFUSED = 3;

    public void check(EntityKind kind, EventEnvelope event) {
        if (pendingKind != kind) {
            finish();
            pendingKind = kind;
        }
        pending.put(LandedDocument.id(event), event);
        if (pending.size() >= BATCH) {
            finish();
        }
    }

    public void refused(EntityKind kind) {
        counts(kind)[REFUSED]++;
    }

    /** Checks what is pending. */
    public void finish() {
        if (pending.isEmpty()) {
            return;
        }
        EventEnvelope any = pending.values().iterator().next();
        Map<Object, Document> stored = new HashMap<>();
        db.getCollection(LandedDocument.collection(any)).find(Filters.in("_id", pending.keySet()))
                .forEach(d -> stored.put(d.get("_id"), d));
        long[] counts = counts(pendingKind);
        pending.forEach((id, event) -> {
            Document doc = stored.get(id);
            if (doc == null) {
                counts[MISSING]++;
                show(pendingKind, id, "missing");
                return;
            }
            List<String> differ = LandedDocument.differences(event, doc);
            if (differ.isEmpty()) {
                counts[MATCHING]++;
            } else {
                counts[DIFFERING]++;
                show(pendingKind, id, "differs in " + String.join(", ", differ));
            }
        });
        pending.clear();
    }

    public boolean allLanded() {
        return counts.values().stream().allMatch(c -> c[MISSING] == 0 && c[DIFFERING] == 0);
    }

    public void print(PrintWriter out) {
        SummaryTable table = new SummaryTable("", "in MongoDB as imported", "missing", "different", "refused by import");
        counts.forEach((kind, c) -> table.row(kind.cliName(), c[MATCHING], c[MISSING], c[DIFFERING], c[REFUSED]));
        table.print(out);
        shown.forEach(out::println);
        long wrong = counts.values().stream().mapToLong(c -> c[MISSING] + c[DIFFERING]).sum();
        out.println(wrong == 0 ? "verified: every imported record is in MongoDB as imported"
                : String.format(Locale.ROOT, "%,d records are not in MongoDB as imported%s", wrong,
                wrong > shown.size() ? " (the first " + shown.size() + " above)" : ""));
        out.flush();
    }

    private void show(EntityKind kind, String id, String what) {
        if (shown.size() < SHOWN) {
            shown.add(kind.cliName() + " " + id + ": " + what);
        }
    }

    private long[] counts(EntityKind kind) {
        return counts.computeIfAbsent(kind, k -> new long[4]);
    }
}
