package dev.mtp.ingest.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StrictJsonReaderTest {

    @Test
    void anObjectBecomesPlainValuesInRequestOrder() {
        Map<String, Object> body = read("""
                {"b":"x","a":{"n":1,"big":12345678901,"huge":123456789012345678901234567890,"f":1.5,"t":true,"z":null},
                 "l":[1,"two",[3]]}""");

        assertThat(body).containsExactly(Map.entry("b", "x"), Map.entry("a", body.get("a")), Map.entry("l", List.of(1, "two", List.of(3))));
        @SuppressWarnings("unchecked") Map<String, Object> a = (Map<String, Object>) body.get("a");
        assertThat(a.get("n")).isEqualTo(1);
        assertThat(a.get("big")).isEqualTo(12345678901L);
        assertThat(a.get("huge")).isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(a.get("f")).isEqualTo(1.5);
        assertThat(a.get("t")).isEqualTo(true);
        assertThat(a).containsEntry("z", null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1}}garbage", "{\"a\":1}{\"a\":2}", "{\"a\":1} 1", "{\"a\":1}[]"})
    void nothingMayFollowTheObject(String body) {
        assertMalformed(body, "(body)", "nothing after the object");
    }

    @Test
    void whitespaceMayFollowTheObject() {
        assertThat(read("{\"a\":1} \n\t")).containsEntry("a", 1);
    }

    @Test
    void aKeyMayAppearOnceInAnObjectAtAnyDepth() {
        assertMalformed("{\"sessionId\":\"d1\",\"sessionId\":\"d2\"}", "sessionId", "unique keys");
        assertMalformed("{\"context\":{\"a\":1,\"a\":null}}", "context.a", "unique keys");
        assertMalformed("{\"l\":[{},{\"user.name\":1,\"user.name\":2}]}", "l[1][\"user.name\"]", "unique keys");
        assertThat(read("{\"a\":{\"k\":1},\"b\":{\"k\":1}}")).containsKeys("a", "b");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "7b2261223a22ff227d",             // {"a":"<FF>"}
            "7b2261223a22fffe227d",           // the bytes of a UTF-16 byte order mark inside a string
            "7b2261223a22c0af227d",           // overlong '/'
            "7b2261223a22eda080227d",         // an encoded surrogate (U+D800)
            "7b2261223a22f4908080227d",       // above U+10FFFF
            "7b2261223a22e282227d",           // a sequence cut short
            "7b2261223a2280227d",             // a lone continuation byte
            "7b0022006100220031007d00",       // UTF-16LE
            "007b00220061002200310000007d"})  // UTF-16BE
    void theBytesMustBeWellFormedUtf8(String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex);

        assertThatThrownBy(() -> StrictJsonReader.readObject(bytes, bytes.length))
                .isInstanceOfSatisfying(MalformedBodyException.class, e -> {
                    assertThat(e.field()).isEqualTo("(body)");
                    assertThat(e.getMessage()).startsWith("the body must be UTF-8 text: byte 0x");
                });
    }

    @Test
    void wellFormedUtf8OfEveryLengthIsKept() {
        assertThat(read("{\"a\":\"é€😀\"}")).containsEntry("a", "é€😀");
    }

    @Test
    void aByteOrderMarkIsRefused() {
        byte[] body = HexFormat.of().parseHex("efbbbf7b7d");

        assertThatThrownBy(() -> StrictJsonReader.readObject(body, body.length))
                .hasMessage("the body must not start with a byte order mark");
    }

    @Test
    void aLoneSurrogateEscapeIsRefusedInValuesAndKeys() {
        assertMalformed("{\"status\":\"ok\\ud800\"}", "status", "lone surrogate \\ud800 at character 2");
        assertMalformed("{\"context\":{\"k\":[\"\\udc00x\"]}}", "context.k[0]", "lone surrogate \\udc00 at character 0");
        assertThatThrownBy(() -> read("{\"context\":{\"\\ud83d\":1}}")).hasMessageContaining("surrogate");
        assertThat(read("{\"a\":\"\\ud83d\\ude00\"}")).containsEntry("a", "😀");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1,2]", "\"text\"", "null", "12"})
    void theBodyMustBeAnObject(String body) {
        assertMalformed(body, "(body)", null);
    }

    @Test
    void malformedJsonIsNamedWithItsPlaceAndNoJavaName() {
        assertThatThrownBy(() -> read("{\"sessionId\": "))
                .isInstanceOfSatisfying(MalformedBodyException.class, e -> {
                    assertThat(e.getMessage()).contains("line 1").doesNotContain("Exception").doesNotContain("com.");
                });
    }

    @Test
    void deepNestingIsRefusedBeforeItExhaustsTheStack() {
        assertMalformed("{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}", "(body)", "nesting depth");
    }

    private static Map<String, Object> read(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return StrictJsonReader.readObject(bytes, bytes.length);
    }

    private static void assertMalformed(String json, String field, String rule) {
        assertThatThrownBy(() -> read(json)).isInstanceOfSatisfying(MalformedBodyException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            if (rule != null) {
                assertThat(e.rule()).contains(rule);
            }
        });
    }
}
