package dev.mtp.ingest.application;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mtp.common.json.Json;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The counted size must be what Jackson writes for the value as a JSON tree, nulls in maps included: the map limit is
 * stated in those bytes, and the edge counted them that way when it serialized the tree.
 */
class CompactJsonSizeTest {

    @Test
    void everyKindOfValueCountsAsJacksonWritesIt() throws Exception {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("text", "plain \"quoted\" back\\slash / slash");
        map.put("controls", "\n\r\t\b\f\u0000\u001f");
        map.put("unicode", "é€😀\u2028");
        map.put("numbers", Arrays.asList(0, -1, 7, Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, 1.5, -0.0, 1e300,
                new BigInteger("123456789012345678901234567890")));
        map.put("flags", Arrays.asList(true, false, null));
        map.put("empty", Map.of());
        map.put("nested", Map.of("k", List.of(List.of(), Map.of("x", "y"))));
        map.put("", "empty key");

        assertThat(CompactJsonSize.of(map)).isEqualTo(written(map));
    }

    @Test
    void seededRandomMapsCountAsJacksonWritesThem() throws Exception {
        Random random = new Random(42);
        for (int i = 0; i < 500; i++) {
            Object value = randomValue(random, 0);

            assertThat(CompactJsonSize.of(value)).as("case %d: %s", i, value)
                    .isEqualTo(written(value));
        }
    }

    /** As the tree read from the request was written: the project's mapper drops nulls from maps, a tree keeps them. */
    private static long written(Object value) throws Exception {
        return Json.mapper().writeValueAsBytes(Json.mapper().readTree(new ObjectMapper().writeValueAsBytes(value))).length;
    }

    private static Object randomValue(Random random, int depth) {
        int kind = random.nextInt(depth > 3 ? 5 : 7);
        return switch (kind) {
            case 0 -> null;
            case 1 -> random.nextBoolean();
            case 2 -> random.nextBoolean() ? (Object) random.nextInt() : (Object) random.nextLong();
            case 3 -> random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
            case 4 -> randomText(random);
            case 5 -> {
                List<Object> list = new ArrayList<>();
                for (int n = random.nextInt(4); n > 0; n--) {
                    list.add(randomValue(random, depth + 1));
                }
                yield list;
            }
            default -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int n = random.nextInt(4); n > 0; n--) {
                    map.put(randomText(random), randomValue(random, depth + 1));
                }
                yield map;
            }
        };
    }

    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        for (int n = random.nextInt(8); n > 0; n--) {
            text.appendCodePoint(switch (random.nextInt(5)) {
                case 0 -> random.nextInt(0x20);
                case 1 -> "\"\\/a".charAt(random.nextInt(4));
                case 2 -> 0x80 + random.nextInt(0x780);
                case 3 -> 0x800 + random.nextInt(0xD000);
                default -> 0x10000 + random.nextInt(0x10000);
            });
        }
        return text.toString();
    }
}
