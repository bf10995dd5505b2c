package dev.mtp.reconciler.tracking;

import dev.mtp.reconciler.check.CheckOutcome;
import dev.mtp.reconciler.check.DriftKind;
import org.bson.BsonBinaryWriter;
import org.bson.RawBsonDocument;
import org.bson.io.BasicOutputBuffer;

import java.util.Map;

/**
 * The update of one key's {@code kvshadow} document (the layout {@link MongoSyncTracking} documents), written
 * straight to BSON: built as nested {@code Document}s, hash maps the driver then encoded, it was about half of the
 * tracking thread's CPU.
 */
final class KvShadowUpdate {

    private KvShadowUpdate() {}

    /**
     * @param last           the key's last check
     * @param lastConsistent its last check that found Redis consistent since the last write, or null
     * @param lastRepair     its last check that found drift since the last write, or null
     * @param checks         checks since the last write
     * @param drift          drift found since the last write, by kind
     * @param repairs        repairs applied since the last write, by kind
     */
    static RawBsonDocument of(CheckOutcome last, CheckOutcome lastConsistent, CheckOutcome lastRepair, int checks,
                              Map<DriftKind, Integer> drift, Map<DriftKind, Integer> repairs) {
        BasicOutputBuffer buffer = new BasicOutputBuffer(512);
        try (BsonBinaryWriter w = new BsonBinaryWriter(buffer)) {
            w.writeStartDocument();
            w.writeStartDocument("$set");
            string(w, "sessionId", last.sessionId());
            w.writeString("keyKind", last.keyKind());
            w.writeString("strategy", last.strategy());
            w.writeStartDocument("desired");
            string(w, "versions", last.desiredVersions());
            w.writeBoolean("present", last.desiredPresent());
            if (last.desiredPresent()) {
                w.writeDateTime("expireAt", last.desiredExpireAt());
            } else {
                w.writeNull("expireAt");
            }
            w.writeEndDocument();
            w.writeStartDocument("lastCheck");
            w.writeDateTime("at", last.checkedAt());
            w.writeString("source", last.source().tag());
            w.writeString("result", last.result().tag());
            string(w, "observedVersions", last.observedVersions());
            w.writeInt64("observedExpireAt", last.observedExpireAt());
            w.writeEndDocument();
            w.writeDateTime("updatedAt", last.checkedAt());
            if (lastConsistent != null) {
                w.writeStartDocument("verified");
                // A writer ahead of the shadow is consistent: what was verified is what Redis held.
                string(w, "versions", lastConsistent.result() == DriftKind.AHEAD
                        ? lastConsistent.observedVersions() : lastConsistent.desiredVersions());
                w.writeDateTime("at", lastConsistent.checkedAt());
                w.writeEndDocument();
            }
            if (lastRepair != null) {
                w.writeStartDocument("lastRepair");
                w.writeDateTime("at", lastRepair.checkedAt());
                w.writeString("kind", lastRepair.result().tag());
                w.writeString("reason", lastRepair.result().description());
                string(w, "from", lastRepair.observedVersions());
                string(w, "to", lastRepair.desiredVersions());
                w.writeString("outcome", lastRepair.repair().tag());
                w.writeString("source", lastRepair.source().tag());
                w.writeEndDocument();
            }
            w.writeEndDocument();
            w.writeStartDocument("$inc");
            w.writeInt32("checks", checks);
            drift.forEach((kind, n) -> w.writeInt32("drift." + kind.tag(), n));
            int repaired = repairs.values().stream().mapToInt(Integer::intValue).sum();
            if (repaired > 0) {
                w.writeInt32("repairs.total", repaired);
                repairs.forEach((kind, n) -> w.writeInt32("repairs." + kind.tag(), n));
            }
            w.writeEndDocument();
            w.writeEndDocument();
        }
        return new RawBsonDocument(buffer.getInternalBuffer(), 0, buffer.getPosition());
    }

    private static void string(BsonBinaryWriter w, String name, String value) {
        if (value == null) {
            w.writeNull(name);
        } else {
            w.writeString(name, value);
        }
    }
}
