package dev.mtp.benchmarks.cachewriter;

import dev.mtp.common.event.EventEnvelope;
import dev.mtp.common.event.InteractionRecorded;
import dev.mtp.common.event.SessionCreated;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Payloads for measuring bytes per key: the seed's usage examples verbatim, and a larger, realistic variant. */
final class Payloads {
    private Payloads() {}

    static EventEnvelope seedSession(String session, String strategy, Instant at) {
        return EventEnvelope.of(UUID.randomUUID(), session, session, strategy, at, "bench",
                new SessionCreated("user-456", "active", Map.of("currentTopic", "product_inquiry"),
                        Map.of("source", "web_chat")));
    }

    static EventEnvelope seedInteraction(String session, String interaction, String strategy, Instant at) {
        return EventEnvelope.of(UUID.randomUUID(), session, interaction, strategy, at, "bench",
                new InteractionRecorded("assistant", "What are your product features?", "Our product offers...",
                        Map.of("intent", "product_info"), Map.of(), 150L));
    }

    static EventEnvelope realisticSession(String session, String strategy, Instant at) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("currentTopic", "product_inquiry");
        context.put("locale", "en-US");
        context.put("cart", Map.of("items", 3, "total", 129.95));
        context.put("lastPage", "/pricing");
        context.put("referrer", "https://www.example.com/blog/choosing-a-chat-platform");
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("source", "web_chat");
        metadata.put("userAgent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0");
        metadata.put("ip", "203.0.113.7");
        return EventEnvelope.of(UUID.randomUUID(), session, session, strategy, at, "bench",
                new SessionCreated("user-456", "active", context, metadata));
    }

    static EventEnvelope realisticInteraction(String session, String interaction, String strategy, Instant at) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("intent", "product_info");
        context.put("locale", "en-US");
        context.put("channel", "web_chat");
        context.put("previousIntent", "greeting");
        return EventEnvelope.of(UUID.randomUUID(), session, interaction, strategy, at, "bench",
                new InteractionRecorded("assistant",
                        "What are your product features? Also, how much does it cost for a team of ten people, and do "
                                + "you integrate with Slack?",
                        "Our product offers a unified dashboard for monitoring your chat sessions, with real-time "
                                + "analytics, configurable alerts, and integrations for Slack, Teams and email. You can "
                                + "export reports as CSV or PDF, and the API lets you automate everything you see in the "
                                + "UI. Pricing starts at $29 per seat per month, so a team of ten would pay $290 per "
                                + "month, with a free tier for up to three users and a 14-day trial of every feature. "
                                + "Slack is supported out of the box: install the app from our integrations page and "
                                + "pick the channels that should receive alerts.",
                        context, Map.of("model", "gpt-4o-mini", "tokens", 187, "latencyMs", 842), 842L));
    }
}
