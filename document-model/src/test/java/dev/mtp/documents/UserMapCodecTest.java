package dev.mtp.documents;

import org.bson.Document;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UserMapCodecTest {
    private final UserMapCodec codec = new UserMapCodec(4);

    @ParameterizedTest
    @ValueSource(strings = {"plain", "a.b", "$where", "%", "%2E", "%25", "", "x.$y.%z", "..", "$", "\0nul", "ünï.cødé$"})
    void everyKeyRoundTripsAndNoStoredKeyIsAPathOrAnOperator(String key) {
        String stored = UserMapCodec.escapeKey(key);

        assertThat(stored).doesNotContain(".", "$", "\0").isNotEmpty();
        assertThat(UserMapCodec.unescapeKey(stored)).isEqualTo(key);
    }

    @Test
    void ordinaryKeysAreStoredAsWrittenSoAnalystsQueryThemByName() {
        assertThat(UserMapCodec.escapeKey("satisfaction_score")).isEqualTo("satisfaction_score");
    }

    @Test
    void distinctKeysStayDistinct() {
        assertThat(List.of("a.b", "a%2Eb", "a%252Eb").stream().map(UserMapCodec::escapeKey).distinct()).hasSize(3);
    }

    @Test
    void nestedMapsAndListsAreEscapedAllTheWayDown() {
        Map<String, Object> map = Map.of("$set", Map.of("a.b", List.of(Map.of("$inc", 1))));

        Document stored = codec.encode(map);

        assertThat(stored.toJson()).isEqualTo("{\"%24set\": {\"a%2Eb\": [{\"%24inc\": 1}]}}");
        assertThat(UserMapCodec.decode(stored)).isEqualTo(map);
    }

    @Test
    void subtreesDeeperThanTheLimitAreKeptAsJsonTextAndReadBackWhole() {
        Map<String, Object> deep = Map.of("l1", Map.of("l2", Map.of("l3", Map.of("l4", Map.of("l5", List.of(1, "x"))))));

        Document stored = codec.encode(deep);

        Document level4 = stored.get("l1", Document.class).get("l2", Document.class).get("l3", Document.class)
                .get("l4", Document.class);
        assertThat(level4.keySet()).containsExactly(UserMapCodec.JSON_MARKER);
        assertThat(UserMapCodec.decode(stored)).isEqualTo(deep);
    }

    @Test
    void numbersKeepTheirTypeAndHugeOnesBecomeDecimal128() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("int", 1);
        map.put("long", 5_000_000_000L);
        map.put("double", 4.5);
        map.put("big", new BigInteger("123456789012345678901234567890"));
        map.put("decimal", new BigDecimal("0.1000000000000000000001"));
        map.put("null", null);

        Document stored = codec.encode(map);

        assertThat(stored.get("int")).isEqualTo(1);
        assertThat(stored.get("long")).isEqualTo(5_000_000_000L);
        assertThat(stored.get("double")).isEqualTo(4.5);
        assertThat(stored.get("big")).isInstanceOf(Decimal128.class);
        assertThat(stored.get("decimal")).isEqualTo(new Decimal128(new BigDecimal("0.1000000000000000000001")));
        assertThat(stored.containsKey("null")).isTrue();
    }

    @Test
    void aStoredKeyThatNoEscapeProducesIsRefused() {
        assertThatThrownBy(() -> UserMapCodec.unescapeKey("a%zz")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UserMapCodec.unescapeKey("a%2")).isInstanceOf(IllegalArgumentException.class);
    }
}
