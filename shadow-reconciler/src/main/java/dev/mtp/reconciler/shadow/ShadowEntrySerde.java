package dev.mtp.reconciler.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mtp.cachestore.CacheKeys;
import dev.mtp.cachestore.VersionVector;
import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.json.Json;
import dev.mtp.common.projection.InteractionIdSet;
import dev.mtp.common.projection.SessionState;
import dev.mtp.common.strategy.SessionCacheStrategy;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;

/**
 * KVShadow entries as JSON in the state store and its changelog topic ({@code <application.id>-kvshadow-changelog},
 * which ./mtp shadow check reads too). Format version {@code v} 1; readers ignore unknown fields, so fields can be
 * added within a version.
 */
public final class ShadowEntrySerde implements Serde<ShadowEntry> {

    static final int FORMAT = 1;

    record StateJson(long sv, long iv, String lifecycle, String userId, String status, Map<String, Object> context,
                     Map<String, Object> metadata, String strategy, Instant createdAt, Instant updatedAt,
                     Instant closedAt, long[] interactionIds, String lastInteractionId, Instant lastActivityAt) {

        static StateJson of(SessionState s) {
            return new StateJson(s.sessionVersion(), s.interactionsVersion(), s.lifecycle().name(), s.userId(),
                    s.status(), s.context(), s.metadata(), s.strategy() == null ? null : s.strategy().name(),
                    s.createdAt(), s.updatedAt(), s.closedAt(), s.interactionIds().digests(), s.lastInteractionId(),
                    s.lastActivityAt());
        }

        SessionState toState(String sessionId) {
            return new SessionState(sessionId, sv, iv, SessionState.Lifecycle.valueOf(lifecycle), userId, status,
                    context, metadata, strategy == null ? null : SessionCacheStrategy.valueOf(strategy), createdAt,
                    updatedAt, closedAt, InteractionIdSet.ofDigests(interactionIds == null ? new long[0] : interactionIds),
                    lastInteractionId, lastActivityAt);
        }
    }

    record EntryJson(int v, String key, String kind, String sessionId, String interactionId, String presence,
                     String strategy, String versions, long expireAt, long contentHash, StateJson state,
                     JsonNode event, long offset, long changedAt, long checkAt) {}

    public static byte[] encode(ShadowEntry e) {
        Desired d = e.desired();
        EntryJson json = new EntryJson(FORMAT, e.key(), e.kind().name(), e.sessionId(), e.interactionId(),
                d.presence().name(), d.strategy(), d.versions().toString(), d.expireAt(), d.contentHash(),
                e.state() == null ? null : StateJson.of(e.state()),
                e.event() == null ? null : Json.mapper().valueToTree(e.event()), e.offset(), e.changedAt(),
                e.checkAt());
        try {
            return Json.mapper().writeValueAsBytes(json);
        } catch (IOException ex) {
            throw new SerializationException("cannot encode the shadow entry of " + e.key(), ex);
        }
    }

    public static ShadowEntry decode(byte[] bytes) {
        try {
            EntryJson j = Json.mapper().readValue(bytes, EntryJson.class);
            if (j.v() != FORMAT) {
                throw new SerializationException("shadow entry format " + j.v() + " is not " + FORMAT);
            }
            Desired desired = new Desired(Desired.Presence.valueOf(j.presence()), j.strategy(),
                    VersionVector.parse(j.versions()), j.expireAt(), j.contentHash());
            return new ShadowEntry(j.key(), CacheKeys.Kind.valueOf(j.kind()), j.sessionId(), j.interactionId(),
                    desired, j.state() == null ? null : j.state().toState(j.sessionId()),
                    j.event() == null ? null : Json.mapper().treeToValue(j.event(), EventEnvelope.class), j.offset(),
                    j.changedAt(), j.checkAt());
        } catch (IOException ex) {
            throw new SerializationException("unreadable shadow entry: " + ex.getMessage(), ex);
        }
    }

    @Override
    public Serializer<ShadowEntry> serializer() {
        return (topic, entry) -> entry == null ? null : encode(entry);
    }

    @Override
    public Deserializer<ShadowEntry> deserializer() {
        return (topic, bytes) -> bytes == null ? null : decode(bytes);
    }
}
