package dev.mtp.ingest.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Arrays;
import java.util.Map;

/** Reads a request's JSON object body within the size limit, strictly ({@link StrictJson}); on failure answers the problem itself. */
public final class JsonBodies {
    private JsonBodies() {}

    /**
     * @return the body as the plain values {@link StrictJson#readObject} reads, or null when a problem (413 too large,
     *         400 malformed or not an object) has been answered
     */
    public static Map<String, Object> read(HttpServletRequest request, HttpServletResponse response, int maxBodyBytes)
            throws IOException {
        byte[] bytes = readBytes(request, response, maxBodyBytes);
        if (bytes == null) {
            tooLarge(response, maxBodyBytes);
            return null;
        }
        try {
            requireUtf8(request);
            return StrictJson.readObject(bytes);
        } catch (MalformedJsonException e) {
            JsonResponses.problem(response, 400, "Malformed JSON", "(body): " + e.rule(), "(body)", e.rule(), Map.of());
            return null;
        } catch (StrictJson.NotAnObjectException e) {
            JsonResponses.problem(response, 400, "Malformed JSON", e.getMessage(), "(body)");
            return null;
        }
    }

    /**
     * @return the body's bytes, or null when it is larger than {@code maxBodyBytes}: then the rest has been read and
     * dropped (up to a bound) so that a client that sends its whole body before reading gets the answer rather than
     * a reset connection, and beyond that bound the answer says the connection closes
     */
    public static byte[] readBytes(HttpServletRequest request, HttpServletResponse response, int maxBodyBytes)
            throws IOException {
        try (InputStream in = request.getInputStream()) {
            long declared = request.getContentLengthLong();
            if (declared > maxBodyBytes) {
                drain(in, response, maxBodyBytes);
                return null;
            }
            if (declared >= 0) {
                // Straight into an array of the declared size (the server holds a body to its declared length), not
                // into growing buffers up to the limit and a copy: the largest allocation per request otherwise.
                byte[] bytes = new byte[(int) declared];
                int read = in.readNBytes(bytes, 0, bytes.length);
                return read == bytes.length ? bytes : Arrays.copyOf(bytes, read);
            }
            byte[] bytes = in.readNBytes(maxBodyBytes + 1);
            if (bytes.length > maxBodyBytes) {
                drain(in, response, maxBodyBytes);
                return null;
            }
            return bytes;
        }
    }

    /** JSON is UTF-8 (RFC 8259): a Content-Type that names another charset is refused, not decoded. */
    public static void requireUtf8(HttpServletRequest request) {
        String charset = request.getCharacterEncoding();
        if (charset == null) {
            return;
        }
        try {
            if (Charset.forName(charset.strip()).equals(StandardCharsets.UTF_8)) {
                return;
            }
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            // refused below, like any charset that is not UTF-8
        }
        String shown = charset.length() > 40 ? charset.substring(0, 40) + "..." : charset;
        throw new MalformedJsonException("is declared as charset '" + shown + "'; JSON is UTF-8 (RFC 8259), send "
                + "charset=utf-8 or none");
    }

    private static void drain(InputStream in, HttpServletResponse response, int maxBodyBytes) throws IOException {
        long budget = 16L * maxBodyBytes;
        byte[] sink = new byte[64 * 1024];
        int n;
        while (budget > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, budget))) > 0) {
            budget -= n;
        }
        if (budget <= 0) {
            response.setHeader("Connection", "close");
        }
    }

    private static void tooLarge(HttpServletResponse response, int maxBodyBytes) throws IOException {
        JsonResponses.problem(response, 413, "Request body too large",
                "the body must be at most " + maxBodyBytes + " bytes (app.http.max-body-bytes)", "(body)",
                "at most " + maxBodyBytes + " bytes", Map.of());
    }
}
