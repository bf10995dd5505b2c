package dev.mtp.runtime.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CompactJsonEncoderTest {

    private final LoggerContext context = new LoggerContext();
    private final Logger logger = context.getLogger("dev.mtp.test");

    private JsonNode encode(LoggingEvent event) throws Exception {
        CompactJsonEncoder encoder = new CompactJsonEncoder();
        encoder.setContext(context);
        encoder.start();
        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
        assertThat(line).endsWith("}\n");
        assertThat(line.indexOf('\n')).isEqualTo(line.length() - 1); // one line, whatever the content
        return new ObjectMapper().readTree(line);
    }

    @Test
    void one_json_object_per_event_with_key_values_mdc_and_app() throws Exception {
        context.putProperty(Logging.APP_PROPERTY, "cache-writer");
        LoggingEvent event = new LoggingEvent("x", logger, Level.INFO, "config {}={}", null,
                new Object[] {"redis.url", "redis://h"});
        event.addKeyValuePair(new org.slf4j.event.KeyValuePair("key", "redis.url"));
        event.addKeyValuePair(new org.slf4j.event.KeyValuePair("durationMs", 12L));
        event.addKeyValuePair(new org.slf4j.event.KeyValuePair("ok", true));
        event.addKeyValuePair(new org.slf4j.event.KeyValuePair("msg", "must not overwrite"));
        event.setMDCPropertyMap(Map.of("sessionId", "s-1"));
        JsonNode json = encode(event);
        assertThat(json.get("level").asText()).isEqualTo("INFO");
        assertThat(json.get("app").asText()).isEqualTo("cache-writer");
        assertThat(json.get("logger").asText()).isEqualTo("dev.mtp.test");
        assertThat(json.get("msg").asText()).isEqualTo("config redis.url=redis://h");
        assertThat(json.get("key").asText()).isEqualTo("redis.url");
        assertThat(json.get("durationMs").isNumber()).isTrue();
        assertThat(json.get("ok").isBoolean()).isTrue();
        assertThat(json.get("sessionId").asText()).isEqualTo("s-1");
        assertThat(json.get("ts").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    }

    @Test
    void exceptions_and_control_characters_stay_on_one_line() throws Exception {
        LoggingEvent event = new LoggingEvent("x", logger, Level.ERROR, "bad \"quote\"\n\ttab \u0001",
                new IllegalStateException("boom\nline2"), null);
        event.setMDCPropertyMap(Map.of());
        JsonNode json = encode(event);
        assertThat(json.get("msg").asText()).isEqualTo("bad \"quote\"\n\ttab \u0001");
        assertThat(json.get("error").asText()).isEqualTo("java.lang.IllegalStateException: boom\nline2");
        assertThat(json.get("stack").asText()).contains("at dev.mtp.runtime.logging.CompactJsonEncoderTest");
    }

    @Test
    void log_format_names() {
        assertThat(LogFormat.parse(null)).contains(LogFormat.JSON);
        assertThat(LogFormat.parse("Text")).contains(LogFormat.TEXT);
        assertThat(LogFormat.parse(" json ")).contains(LogFormat.JSON);
        assertThat(LogFormat.parse("xml")).isEmpty();
    }
}
