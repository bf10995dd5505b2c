package dev.mtp.runtime.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import org.slf4j.event.KeyValuePair;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One compact JSON object per log event, one line each:
 * <pre>{"ts":"2025-01-01T10:00:00.123Z","level":"INFO","app":"cache-writer","logger":"dev.mtp...","thread":"main",
 * "msg":"...","key":"value",...,"error":"java.io.IOException: ...","stack":"..."}</pre>
 * Key-value pairs of the slf4j fluent API and MDC entries become top-level fields (numbers and booleans unquoted);
 * they never overwrite the fixed fields.
 */
public class CompactJsonEncoder extends EncoderBase<ILoggingEvent> {

    private static final List<String> FIXED = List.of("ts", "level", "app", "logger", "thread", "msg", "error", "stack");

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        StringBuilder sb = new StringBuilder(256);
        sb.append('{');
        field(sb, "ts", Instant.ofEpochMilli(event.getTimeStamp()).toString(), true);
        field(sb, "level", event.getLevel().toString(), false);
        String app = event.getLoggerContextVO() == null ? null
                : event.getLoggerContextVO().getPropertyMap().get(Logging.APP_PROPERTY);
        if (app != null) {
            field(sb, "app", app, false);
        }
        field(sb, "logger", event.getLoggerName(), false);
        field(sb, "thread", event.getThreadName(), false);
        field(sb, "msg", event.getFormattedMessage(), false);
        List<KeyValuePair> kvs = event.getKeyValuePairs();
        if (kvs != null) {
            for (KeyValuePair kv : kvs) {
                if (kv.key != null && !FIXED.contains(kv.key)) {
                    value(sb, kv.key, kv.value);
                }
            }
        }
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc != null) {
            mdc.forEach((k, v) -> {
                if (!FIXED.contains(k)) {
                    field(sb, k, v, false);
                }
            });
        }
        IThrowableProxy t = event.getThrowableProxy();
        if (t != null) {
            field(sb, "error", t.getClassName() + ": " + t.getMessage(), false);
            field(sb, "stack", ThrowableProxyUtil.asString(t), false);
        }
        sb.append("}\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void value(StringBuilder sb, String key, Object v) {
        if (v instanceof Number || v instanceof Boolean) {
            sb.append(',');
            string(sb, key);
            sb.append(':').append(v);
        } else {
            field(sb, key, v == null ? null : String.valueOf(v), false);
        }
    }

    private static void field(StringBuilder sb, String key, String value, boolean first) {
        if (!first) {
            sb.append(',');
        }
        string(sb, key);
        sb.append(':');
        if (value == null) {
            sb.append("null");
        } else {
            string(sb, value);
        }
    }

    static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
