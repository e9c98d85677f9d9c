package org.licensing.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    @Test
    void numbersStayExact() throws Exception {
        Map<String, Object> m = Json.parseObject("{\"a\":2.5,\"b\":8,\"c\":123456789012345678901234567890,"
                + "\"d\":0.1000000000000000055511151231257827,\"e\":-1.5e3,\"f\":0}");
        assertEquals(new BigDecimal("2.5"), m.get("a"));
        assertEquals(new BigDecimal("8"), m.get("b"));
        assertEquals(new BigDecimal("123456789012345678901234567890"), m.get("c"));
        assertEquals(new BigDecimal("0.1000000000000000055511151231257827"), m.get("d"));
        assertEquals(0, new BigDecimal("-1500").compareTo((BigDecimal) m.get("e")));
    }

    @Test
    void allValueKinds() throws Exception {
        Object v = Json.parse(" {\"s\":\"a\\\"b\\\\c\\n\\u00e9\\ud83d\\ude00\",\"t\":true,\"f\":false,\"n\":null,"
                + "\"l\":[1,[],{}]} ");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals("a\"b\\c\né😀", m.get("s"));
        assertEquals(Boolean.TRUE, m.get("t"));
        assertEquals(Boolean.FALSE, m.get("f"));
        assertNull(m.get("n"));
        assertEquals(List.of(new BigDecimal("1"), List.of(), Map.of()), m.get("l"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "{", "{\"a\":1,\"a\":2}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}",
        "{\"a\":1e}", "{\"a\":+1}", "{\"a\":NaN}", "{\"a\":Infinity}", "{a:1}", "{\"a\":1,}", "[1,]", "{\"a\":1}x",
        "{\"a\":\"\t\"}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":1e999999}", "{\"a\":tru}", "'a'",
        "{\"a\":\"unterminated}"})
    void strictInputOnly(String text) {
        assertThrows(Json.JsonException.class, () -> Json.parse(text));
    }

    @Test
    void depthAndLengthAreBounded() {
        assertThrows(Json.JsonException.class, () -> Json.parse("[".repeat(100) + "]".repeat(100)));
        assertThrows(Json.JsonException.class, () -> Json.parse("1" + "0".repeat(200)));
        assertThrows(Json.JsonException.class, () -> Json.parseObject("[1]"));
    }

    @Test
    void writesExactPlainNumbersAndEscapes() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("int", new BigDecimal("8.000"));
        m.put("dec", new BigDecimal("2.50"));
        m.put("big", new BigDecimal("1E+3"));
        m.put("tiny", new BigDecimal("1E-7"));
        m.put("zero", new BigDecimal("0.000"));
        m.put("s", "q\"\\\n\u0001");
        m.put("l", List.of(1L, true));
        m.put("n", null);
        String json = Json.write(m);
        assertEquals("{\"int\":8,\"dec\":2.5,\"big\":1000,\"tiny\":0.0000001,\"zero\":0,\"s\":\"q\\\"\\\\\\n\\u0001\","
                + "\"l\":[1,true],\"n\":null}", json);
        assertEquals(m.get("s"), Json.parseObject(json).get("s"));
    }
}
