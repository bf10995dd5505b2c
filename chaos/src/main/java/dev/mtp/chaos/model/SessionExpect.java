package dev.mtp.chaos.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashSet;
import java.util.Set;

/** What the contract says one session's document and cache key hold after every event read. Mutable while folding. */
public final class SessionExpect {
    public final String sessionId;
    public boolean created;
    public boolean deleted;
    public Long deletedAt;
    public String userId;
    public String status;
    public String strategy;
    public JsonNode context;
    public JsonNode metadata;
    public Long createdAt;
    public Long updatedAt;
    public Long closedAt;
    public String closeReason;
    public long sessionsVersion = -1;
    public long interactionsVersion = -1;
    public final Set<String> interactionIds = new LinkedHashSet<>();
    public String lastInteractionId;
    public Long lastActivityAt;
    /** The last session event's time and the last interaction's, each by offset: the expiry is counted from one. */
    public long lastSessionEventAt;
    public long lastInteractionEventAt;
    /** The latest time of any event of the session, whatever its offset: no expiry may be later than its TTL after it. */
    public long maxEventAt;
    public JsonNode evaluationData;
    public Long evaluatedAt;
    public String lastEvaluationId;
    public long lastEvaluationOffset = -1;
    public long evaluationsVersion = -1;
    public final Set<String> evaluationIds = new LinkedHashSet<>();

    public SessionExpect(String sessionId) {
        this.sessionId = sessionId;
    }

    /** Created and not deleted since. */
    public boolean live() {
        return created && !deleted;
    }

    public long lastEventAt() {
        return Math.max(lastSessionEventAt, lastInteractionEventAt);
    }
}
