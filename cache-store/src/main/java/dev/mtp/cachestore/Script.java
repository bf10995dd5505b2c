package dev.mtp.cachestore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts of cache-store, each the shared prelude (version parsing and comparison) plus its body, from
 * {@code src/main/resources/dev/mtp/cachestore}. Called by SHA1 ({@code EVALSHA}); a server that does not know a
 * script yet (first use, restart, failover, new cluster node) answers NOSCRIPT and gets it once by {@code EVAL}.
 */
public enum Script {
    PUT("put.lua"),
    PUT_INTERACTION("put_interaction.lua"),
    PUT_INTERACTION_AND_LATEST("put_interaction_latest.lua"),
    REMOVE("remove.lua"),
    PURGE_SESSION("purge_session.lua"),
    INSPECT("inspect.lua");

    private final String text;
    private final byte[] bytes;
    private final String sha1;

    Script(String resource) {
        this.text = read("prelude.lua") + "\n" + read(resource);
        this.bytes = text.getBytes(StandardCharsets.UTF_8);
        this.sha1 = sha1(bytes);
    }

    /** The full script text, as {@code SCRIPT LOAD} or {@code redis-benchmark} would send it. */
    public String text() {
        return text;
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    byte[] bytesShared() {
        return bytes;
    }

    /** The script's SHA1, the {@code EVALSHA} argument. */
    public String sha1() {
        return sha1;
    }

    private static String read(String resource) {
        try (InputStream in = Script.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing script resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
