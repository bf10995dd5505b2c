package dev.mtp.ingest.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/** Reads a request's JSON object body within the size limit; on failure answers the problem itself. */
public final class JsonBodies {
    private JsonBodies() {}

    /**
     * @return the body as plain Java values ({@link StrictJsonReader}), or null when a problem (413 too large, 400
     *         malformed, not UTF-8, not one object) has been answered
     */
    public static Map<String, Object> read(HttpServletRequest request, HttpServletResponse response, int maxBodyBytes)
            throws IOException {
        long declared = request.getContentLengthLong();
        byte[] bytes;
        int length;
        try (InputStream in = request.getInputStream()) {
            if (declared > maxBodyBytes) {
                drainThenRefuse(in, response, maxBodyBytes);
                return null;
            }
            if (declared >= 0) {
                // Read straight into an array of the declared size: the server holds a body to its declared length.
                bytes = new byte[(int) declared];
                length = in.readNBytes(bytes, 0, bytes.length);
            } else {
                bytes = in.readNBytes(maxBodyBytes + 1);
                length = bytes.length;
            }
            if (length > maxBodyBytes) {
                drainThenRefuse(in, response, maxBodyBytes);
                return null;
            }
        }
        try {
            return StrictJsonReader.readObject(bytes, length);
        } catch (MalformedBodyException e) {
            JsonResponses.problem(response, 400, "Malformed JSON", e.getMessage(), e.field(), e.rule(), Map.of());
            return null;
        }
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
                "at most " + maxBodyBytes + " bytes", Map.of());
    }
}
