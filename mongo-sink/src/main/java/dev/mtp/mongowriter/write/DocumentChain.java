package dev.mtp.mongowriter.write;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Plans several writes of one document for the same bulk, each expecting the revision the one before leaves:
 * every guarded write of a document expects its revision, whichever topic it writes for, so two writes planned
 * from the same belief would have the second lose. The bulk applies them in the order planned; where it does not
 * (or an earlier one fails), the later ones lose their CAS and are re-planned from the stored document, which is
 * never a wrong write. One chain per collection and bulk.
 */
public final class DocumentChain {
    private final Function<String, Known> belief;
    private final Map<String, Known> after = new HashMap<>();

    /** @param belief what is known of a document before this bulk (the version cache, or the stored documents) */
    public DocumentChain(Function<String, Known> belief) {
        this.belief = belief;
    }

    /** Plans a write of {@code id} from what the writes planned before it leave; the next one expects its result. */
    public PlannedWrite.Resolution plan(String id, Function<Known, PlannedWrite.Resolution> planner) {
        Known before = after.containsKey(id) ? after.get(id) : belief.apply(id);
        PlannedWrite.Resolution plan = planner.apply(before);
        Known next = before.copy();
        for (PlannedWrite write : plan.retry()) {
            if (id.equals(write.id())) {
                write.applied().update(next, !before.exists());
            }
        }
        after.put(id, next);
        return plan;
    }
}
