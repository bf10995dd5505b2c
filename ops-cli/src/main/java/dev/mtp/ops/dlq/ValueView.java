package dev.mtp.ops.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mtp.common.json.EventEnvelopeSerde;
import dev.mtp.common.json.Json;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * A dead letter's original bytes for a reader: pretty JSON when they are JSON (and whether they are a valid event of
 * the contract, or why not), else the text when they are UTF-8, else a hex dump of the first bytes. Pure.
 */
public final class ValueView {

    static final int HEX_BYTES = 512;

    private ValueView() {}

    public static String render(byte[] value) {
        if (value == null) {
            return "(no value)";
        }
        String text = utf8(value);
        if (text != null) {
            try {
                JsonNode json = Json.mapper().readTree(value);
                if (json != null && (json.isObject() || json.isArray())) {
                    return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n"
                            + contractVerdict(value);
                }
            } catch (java.io.IOException e) {
                return "not JSON (" + firstLine(e.getMessage()) + "); as text:\n" + text;
            }
            return "as text:\n" + text;
        }
        int shown = Math.min(HEX_BYTES, value.length);
        byte[] head = java.util.Arrays.copyOf(value, shown);
        return "binary, " + value.length + " bytes" + (shown < value.length ? " (first " + shown + " shown)" : "")
                + ":\n" + HexFormat.ofDelimiter(" ").formatHex(head);
    }

    private static String contractVerdict(byte[] value) {
        try (EventEnvelopeSerde serde = new EventEnvelopeSerde()) {
            serde.deserializer().deserialize("", value);
            return "a valid event of the contract (docs/schemas)";
        } catch (RuntimeException e) {
            return "not a valid event of the contract: " + firstLine(String.valueOf(e.getMessage()));
        }
    }

    private static String utf8(byte[] value) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
