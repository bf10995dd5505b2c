package dev.mtp.cachestore;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Raw deflate (no zlib header or checksum) with a preset dictionary of what cached values are made of: the short
 * field names of the encoding, frequent values and frequent English words. A dictionary matters for values of a few
 * hundred bytes, which plain deflate or LZ4 barely shrink. The dictionary is part of the format: value marker
 * {@code d} means this exact dictionary; a different one needs a new marker (docs/decisions/0002).
 *
 * <p>Deflaters and inflaters hold native memory; one of each is kept per thread and reset between uses.
 */
final class Deflate {

    /** Most frequent last: deflate codes nearer distances no worse, and the end is nearest to the data. */
    static final byte[] DICTIONARY = (
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

    private static final int LEVEL = Deflater.BEST_SPEED;
    private static final ThreadLocal<Deflater> DEFLATERS = ThreadLocal.withInitial(() -> new Deflater(LEVEL, true));
    private static final ThreadLocal<Inflater> INFLATERS = ThreadLocal.withInitial(() -> new Inflater(true));

    private Deflate() {}

    static byte[] compress(byte[] input) {
        Deflater deflater = DEFLATERS.get();
        deflater.reset();
        deflater.setDictionary(DICTIONARY);
        deflater.setInput(input);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, input.length / 2));
        byte[] buffer = new byte[Math.max(256, input.length + 64)];
        while (!deflater.finished()) {
            int n = deflater.deflate(buffer);
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    static byte[] decompress(byte[] input, int offset, int length) {
        Inflater inflater = INFLATERS.get();
        inflater.reset();
        inflater.setDictionary(DICTIONARY);
        inflater.setInput(input, offset, length);
        ByteArrayOutputStream out = new ByteArrayOutputStream(length * 3);
        byte[] buffer = new byte[Math.max(512, length * 3)];
        try {
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new CorruptValueException("truncated deflate stream");
                }
                out.write(buffer, 0, n);
            }
        } catch (DataFormatException e) {
            throw new CorruptValueException("bad deflate stream: " + e.getMessage());
        }
        return out.toByteArray();
    }
}
