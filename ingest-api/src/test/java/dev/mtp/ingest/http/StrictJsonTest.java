package dev.mtp.ingest.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class StrictJsonTest {

    @Test
    void oneWellFormedValueIsRead() {
        assertThat(StrictJson.parse(utf8("{\"a\":[1,{\"b\":\"\\ud83d\\ude00 é\"}]}  \n")).at("/a/1/b").asText())
                .isEqualTo("\uD83D\uDE00 é");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1}}garbage", "{\"a\":1}{\"a\":2}", "{\"a\":1} 2", "[] []", "{\"a\":1}]"})
    void dataAfterTheValueIsRefused(String body) {
        assertRefused(utf8(body), "holds data after the JSON value");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"sessionId\":\"d1\",\"sessionId\":\"d2\"}", "{\"a\":{\"x\":1,\"y\":2,\"x\":3}}",
            "{\"a\":[{\"k\":1,\"k\":1}]}"})
    void duplicateKeysAreRefusedAtAnyDepth(String body) {
        assertThatThrownBy(() -> StrictJson.parse(utf8(body)))
                .isInstanceOfSatisfying(MalformedJsonException.class, e ->
                        assertThat(e.rule()).startsWith("repeats the key '").contains("a key may appear once per object"));
    }

    @Test
    void invalidUtf8IsRefusedNotReplaced() {
        byte[] body = {'{', '"', 's', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}'};

        assertRefused(body, "is not valid UTF-8 (byte 0xff at offset 6)");
    }

    @Test
    void overlongFormsEncodedSurrogatesAndTruncatedSequencesAreNotUtf8() {
        assertRefused(new byte[] {'"', (byte) 0xc0, (byte) 0xaf, '"'}, "is not valid UTF-8");
        assertRefused(new byte[] {'"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"'}, "is not valid UTF-8");
        assertRefused(new byte[] {'"', (byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"'}, "is not valid UTF-8");
        assertRefused(new byte[] {'"', (byte) 0xe2, (byte) 0x82}, "is not valid UTF-8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"s\":\"\\ud800\"}", "{\"s\":\"x\\udc00y\"}", "{\"s\":\"\\ud800\\ud800\"}",
            "[\"ok\",\"\\ud83d\"]"})
    void unpairedSurrogateEscapesAreRefused(String body) {
        assertRefused(utf8(body), "holds an unpaired UTF-16 surrogate escape");
    }

    @Test
    void theRefusalNamesWhereTheUnpairedSurrogateIs() {
        assertRefused(utf8("{\"params\":{\"arguments\":{\"status\":\"\\ud800\"}}}"), "in params.arguments.status");
    }

    @Test
    void aByteOrderMarkAndUtf16AreRefused() {
        assertRefused(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, '{', '}'}, "starts with a byte order mark");
        assertRefused("{\"a\":1}".getBytes(StandardCharsets.UTF_16LE), "holds a NUL byte");
        assertRefused("{\"a\":1}".getBytes(StandardCharsets.UTF_16), "is not valid UTF-8");
    }

    @Test
    void emptyMalformedAndTooDeepBodiesAreNamedInOurWords() {
        assertRefused(utf8(""), "is empty");
        assertRefused(utf8("  "), "is empty");
        assertRefused(utf8("{\"a\":"), "is not well-formed JSON at line 1");
        assertRefused(utf8("{'a':1}"), "is not well-formed JSON at line 1, column 2");
        assertRefused(utf8("[".repeat(65) + "]".repeat(65)), "nests deeper than 64 levels");
    }

    @Test
    void aWriteRequestIsReadIntoPlainValuesInRequestOrder() {
        Map<String, Object> body = StrictJson.readObject(utf8("""
                {"b":"x","a":{"n":1,"big":12345678901,"huge":123456789012345678901234567890,"f":1.5,"t":true,"z":null},
                 "l":[1,"two",[3],{"k":"\\ud83d\\ude00"}]}  \n"""));

        assertThat(body.keySet()).containsExactly("b", "a", "l");
        assertThat(body.get("l")).isEqualTo(List.of(1, "two", List.of(3), Map.of("k", "\uD83D\uDE00")));
        @SuppressWarnings("unchecked") Map<String, Object> a = (Map<String, Object>) body.get("a");
        assertThat(a.keySet()).containsExactly("n", "big", "huge", "f", "t", "z");
        assertThat(a.get("n")).isEqualTo(1);
        assertThat(a.get("big")).isEqualTo(12345678901L);
        assertThat(a.get("huge")).isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(a.get("f")).isEqualTo(1.5);
        assertThat(a.get("t")).isEqualTo(true);
        assertThat(a).containsEntry("z", null);
    }

    /** The bodies of writes are read by readObject, the MCP transports' by parse: one set of rules, in one set of words. */
    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1}}garbage", "{\"a\":1}{\"a\":2}", "{\"a\":1} 2", "{\"a\":1}]",
            "{\"sessionId\":\"d1\",\"sessionId\":\"d2\"}", "{\"a\":{\"x\":1,\"y\":2,\"x\":3}}",
            "{\"a\":[{\"k\":1,\"k\":1}]}", "{\"s\":\"\\ud800\"}", "{\"s\":\"x\\udc00y\"}",
            "{\"params\":{\"arguments\":{\"status\":\"\\ud800\"}}}", "{\"l\":[\"ok\",\"\\ud83d\"]}",
            "{\"a\":", "{'a':1}", "", "  "})
    void bothReadingsRefuseABodyWithTheSameRule(String body) {
        MalformedJsonException tree = catchThrowableOfType(MalformedJsonException.class, () -> StrictJson.parse(utf8(body)));
        MalformedJsonException values = catchThrowableOfType(MalformedJsonException.class, () -> StrictJson.readObject(utf8(body)));

        assertThat(values).as("readObject refuses " + body).isNotNull();
        assertThat(values.rule()).isEqualTo(tree.rule());
    }

    @Test
    void theEncodingRulesHoldForWritesToo() {
        assertThatThrownBy(() -> StrictJson.readObject(new byte[] {'{', '"', 's', '"', ':', '"', (byte) 0xff, '"', '}'}))
                .isInstanceOfSatisfying(MalformedJsonException.class, e -> assertThat(e.rule()).contains("is not valid UTF-8"));
        assertThatThrownBy(() -> StrictJson.readObject("{\"a\":1}".getBytes(StandardCharsets.UTF_16LE)))
                .isInstanceOfSatisfying(MalformedJsonException.class, e -> assertThat(e.rule()).contains("holds a NUL byte"));
        assertThatThrownBy(() -> StrictJson.readObject(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, '{', '}'}))
                .isInstanceOfSatisfying(MalformedJsonException.class, e -> assertThat(e.rule()).contains("byte order mark"));
        assertThatThrownBy(() -> StrictJson.readObject(utf8("{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}")))
                .isInstanceOfSatisfying(MalformedJsonException.class, e -> assertThat(e.rule()).contains("nests deeper than 64"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1,2]", "\"text\"", "null", "12"})
    void aWriteRequestMustBeAnObject(String body) {
        assertThatThrownBy(() -> StrictJson.readObject(utf8(body))).isInstanceOf(StrictJson.NotAnObjectException.class)
                .hasMessage("the body must be a JSON object");
    }

    private static void assertRefused(byte[] body, String rule) {
        assertThatThrownBy(() -> StrictJson.parse(body))
                .isInstanceOfSatisfying(MalformedJsonException.class, e -> assertThat(e.rule()).contains(rule)
                        .doesNotContain("Exception").doesNotContain("com.fasterxml").doesNotContain("Unexpected"));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
