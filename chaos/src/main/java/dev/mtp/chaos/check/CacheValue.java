package dev.mtp.chaos.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A cache value as docs/decisions/0002 lays it out: {@code <format><strategy>:<versions>|<body>}, the format {@code j}
 * (JSON), {@code d} (the same JSON, raw deflate with the frozen preset dictionary) or {@code t} (tombstone, no body);
 * versions {@code <offset>[.<incarnation tag>]} comma-separated, {@code -1} for none.
 *
 * @param offsets the versions' offsets, without their incarnation tags
 * @param body    the decoded JSON object; null for a tombstone
 */
public record CacheValue(char format, int strategy, List<Long> offsets, JsonNode body) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Format {@code d}'s dictionary as 0002 freezes it: another dictionary would be another format letter, so this copy
     * cannot drift from the writers' without every value they wrote failing to inflate here.
     */
    private static final byte[] DICTIONARY = (
            " the and to of a in is it you that for on with as are this be or your have can we will not at from by "
            + "an our product price pricing plan account order help support please thank thanks sorry question "
            + "features feature information about would like could should what when where which how there here "
            + "\"locale\":\"en-US\",\"channel\":\"web_chat\",\"language\":\"en\",\"model\":\"\",\"tokens\":"
            + "\"source\":\"mobile_app\"},\"source\":\"api\"},\"source\":\"web_chat\"}"
            + "\"previousIntent\":\"\",\"intent\":\"product_info\"},\"intent\":\"\"},\"currentTopic\":\"product_inquiry\"},"
            + "{\"id\":\"int-\",\"r\":\"\",\"t\":17,\"q\":\"\",\"ro\":\"user\",\"ro\":\"assistant\",\"pt\":"
            + ",\"cx\":{\"intent\":\"\",\"md\":{\"\":\"\"}"
            + "{\"u\":\"user-\",\"st\":\"closed\",\"st\":\"idle\",\"st\":\"active\",\"ca\":17,\"ua\":17,\"la\":17"
            + ",\"cx\":{\"currentTopic\":\"\"},\"n\":,\"md\":{\"source\":\"web_chat\"},\"li\":\"int-")
            .getBytes(StandardCharsets.UTF_8);

    public boolean tombstone() {
        return format == 't';
    }

    /** Reads a value; throws IllegalArgumentException naming what is not of the layout. */
    public static CacheValue parse(byte[] raw) {
        int colon = indexOf(raw, (byte) ':', 0);
        int bar = indexOf(raw, (byte) '|', 0);
        if (raw.length < 3 || colon < 2 || bar < colon) {
            throw new IllegalArgumentException("value is not <format><strategy>:<versions>|<body>");
        }
        char format = (char) raw[0];
        int strategy = Integer.parseInt(new String(raw, 1, colon - 1, StandardCharsets.US_ASCII));
        List<Long> offsets = new ArrayList<>();
        for (String v : new String(raw, colon + 1, bar - colon - 1, StandardCharsets.US_ASCII).split(",")) {
            int dot = v.indexOf('.');
            offsets.add(Long.parseLong(dot < 0 ? v : v.substring(0, dot)));
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, bar + 1, raw.length);
        try {
            return switch (format) {
                case 't' -> new CacheValue(format, strategy, offsets, null);
                case 'j' -> new CacheValue(format, strategy, offsets, JSON.readTree(body));
                case 'd' -> new CacheValue(format, strategy, offsets, JSON.readTree(inflate(body)));
                default -> throw new IllegalArgumentException("format '" + format + "' is none of j, d, t");
            };
        } catch (IOException | DataFormatException e) {
            throw new IllegalArgumentException("body does not decode as format '" + format + "': " + e.getMessage());
        }
    }

    private static byte[] inflate(byte[] compressed) throws DataFormatException {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(compressed);
            inflater.setDictionary(DICTIONARY);
            ByteArrayOutputStream out = new ByteArrayOutputStream(compressed.length * 4);
            byte[] buffer = new byte[1024];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new DataFormatException("truncated deflate stream");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } finally {
            inflater.end();
        }
    }

    private static int indexOf(byte[] raw, byte b, int from) {
        for (int i = from; i < raw.length; i++) {
            if (raw[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
