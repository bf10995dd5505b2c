package dev.mtp.ingest.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mtp.common.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;

/** Reads a request's JSON object body within the size limit; on failure answers the problem itself. */
public final class JsonBodies {
    private JsonBodies() {}

    /** @return the body, or null when a problem (413 too large, 400 malformed or not an object) has been answered */
    public static JsonNode read(HttpServletRequest request, HttpServletResponse response, int maxBodyBytes)
            throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBodyBytes) {
            tooLarge(response, maxBodyBytes);
            return null;
        }
        byte[] bytes;
        try (InputStream in = request.getInputStream()) {
            bytes = in.readNBytes(maxBodyBytes + 1);
        }
        if (bytes.length > maxBodyBytes) {
            tooLarge(response, maxBodyBytes);
            return null;
        }
        JsonNode node;
        try {
            node = Json.mapper().readTree(bytes);
        } catch (StreamConstraintsException e) {
            JsonResponses.problem(response, 400, "Malformed JSON", "the body nests deeper than "
                    + Json.MAX_NESTING_DEPTH + " levels", "(body)", "nesting depth", java.util.Map.of());
            return null;
        } catch (JsonProcessingException e) {
            JsonResponses.problem(response, 400, "Malformed JSON", e.getOriginalMessage() + (e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()), null);
            return null;
        }
        if (node == null || !node.isObject()) {
            JsonResponses.problem(response, 400, "Malformed JSON", "the body must be a JSON object", "(body)");
            return null;
        }
        return node;
    }

    private static void tooLarge(HttpServletResponse response, int maxBodyBytes) throws IOException {
        JsonResponses.problem(response, 413, "Request body too large",
                "the body must be at most " + maxBodyBytes + " bytes (app.http.max-body-bytes)", "(body)",
                "at most " + maxBodyBytes + " bytes", java.util.Map.of());
    }
}
