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
        byte[] bytes;
        try (InputStream in = request.getInputStream()) {
            if (declared > maxBodyBytes) {
                drainThenRefuse(in, response, maxBodyBytes);
                return null;
            }
            bytes = in.readNBytes(maxBodyBytes + 1);
            if (bytes.length > maxBodyBytes) {
                drainThenRefuse(in, response, maxBodyBytes);
                return null;
            }
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

    /**
     * Reads and drops the rest of a too-large body (up to a bound) before answering, so a client that sends its
     * whole body before reading the answer gets the 413 rather than a reset connection; beyond the bound the
     * connection is closed.
     */
    private static void drainThenRefuse(InputStream in, HttpServletResponse response, int maxBodyBytes) throws IOException {
        long budget = 16L * maxBodyBytes;
        byte[] sink = new byte[64 * 1024];
        int n;
        while (budget > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, budget))) > 0) {
            budget -= n;
        }
        if (budget <= 0) {
            response.setHeader("Connection", "close");
        }
        tooLarge(response, maxBodyBytes);
    }

    private static void tooLarge(HttpServletResponse response, int maxBodyBytes) throws IOException {
        JsonResponses.problem(response, 413, "Request body too large",
                "the body must be at most " + maxBodyBytes + " bytes (app.http.max-body-bytes)", "(body)",
                "at most " + maxBodyBytes + " bytes", java.util.Map.of());
    }
}
