package org.licensing.core.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one strict JSON (RFC 8259) reader of signed content (receipts, license files, key sets, checkouts), and a
 * writer, keeping every number as an exact {@link BigDecimal}. Servers and the SDK read signed payloads through it,
 * so no two readers can see two different values in one signed text.
 *
 * <p>Why not nimbus's {@code JSONObjectUtils}: its shaded Gson reads numbers as {@code Long} or {@code Double}
 * ({@code 2.5} becomes a double, {@code 123456789012345678901234567890} loses digits), and limits must be exact.
 * Objects become {@link LinkedHashMap}s (a duplicate member name is an error, so two parsers can never read two
 * different values from one signed payload), arrays {@link ArrayList}s, strings {@link String}, numbers
 * {@link BigDecimal}, {@code true}/{@code false} {@link Boolean}, {@code null} {@code null}.
 */
public final class Json {

    private static final int MAX_DEPTH = 32;
    private static final int MAX_NUMBER_LENGTH = 128;
    private static final int MAX_SCALE = 1000;

    private final String s;
    private int pos;

    private Json(String s) {
        this.s = s;
    }

    /** Thrown for any input that is not one well-formed JSON value within the bounds above. */
    public static final class JsonException extends Exception {
        private static final long serialVersionUID = 1L;

        public JsonException(String message) {
            super(message);
        }
    }

    public static Object parse(String text) throws JsonException {
        if (text == null) {
            throw new JsonException("no JSON text");
        }
        Json p = new Json(text);
        p.skipWhitespace();
        Object v = p.value(0);
        p.skipWhitespace();
        if (p.pos != text.length()) {
            throw p.error("unexpected content after the JSON value");
        }
        return v;
    }

    /** {@link #parse} for text that must be a JSON object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) throws JsonException {
        Object v = parse(text);
        if (!(v instanceof Map)) {
            throw new JsonException("not a JSON object");
        }
        return (Map<String, Object>) v;
    }

    private Object value(int depth) throws JsonException {
        if (depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH);
        }
        if (pos >= s.length()) {
            throw error("unexpected end");
        }
        char c = s.charAt(pos);
        switch (c) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"':
                return string();
            case 't':
                literal("true");
                return Boolean.TRUE;
            case 'f':
                literal("false");
                return Boolean.FALSE;
            case 'n':
                literal("null");
                return null;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("unexpected character");
        }
    }

    private Map<String, Object> object(int depth) throws JsonException {
        Map<String, Object> m = new LinkedHashMap<>();
        pos++; // {
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return m;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("expected a member name");
            }
            String name = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object v = value(depth + 1);
            if (m.containsKey(name)) {
                throw error("duplicate member \"" + shorten(name) + "\"");
            }
            m.put(name, v);
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == '}') {
                return m;
            }
            if (c != ',') {
                throw error("expected , or }");
            }
        }
    }

    private List<Object> array(int depth) throws JsonException {
        List<Object> list = new ArrayList<>();
        pos++; // [
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            skipWhitespace();
            list.add(value(depth + 1));
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == ']') {
                return list;
            }
            if (c != ',') {
                throw error("expected , or ]");
            }
        }
    }

    private String string() throws JsonException {
        pos++; // "
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= s.length()) {
                throw error("unterminated string");
            }
            char c = s.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                throw error("control character in string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= s.length()) {
                throw error("unterminated escape");
            }
            char e = s.charAt(pos++);
            switch (e) {
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case '/' -> sb.append('/');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 > s.length()) {
                        throw error("short \\u escape");
                    }
                    int cp = 0;
                    for (int i = 0; i < 4; i++) {
                        int d = Character.digit(s.charAt(pos++), 16);
                        if (d < 0) {
                            throw error("bad \\u escape");
                        }
                        cp = cp * 16 + d;
                    }
                    sb.append((char) cp);
                }
                default -> throw error("bad escape");
            }
        }
    }

    private BigDecimal number() throws JsonException {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (isDigit(peek())) {
            while (isDigit(peek())) {
                pos++;
            }
        } else {
            throw error("bad number");
        }
        if (peek() == '.') {
            pos++;
            if (!isDigit(peek())) {
                throw error("bad number: digit expected after the point");
            }
            while (isDigit(peek())) {
                pos++;
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw error("bad number: digit expected in the exponent");
            }
            while (isDigit(peek())) {
                pos++;
            }
        }
        if (pos - start > MAX_NUMBER_LENGTH) {
            throw error("number longer than " + MAX_NUMBER_LENGTH + " characters");
        }
        BigDecimal d;
        try {
            d = new BigDecimal(s.substring(start, pos));
        } catch (NumberFormatException | ArithmeticException e) {
            throw error("bad number");
        }
        if (Math.abs(d.scale()) > MAX_SCALE) {
            throw error("number exponent out of range");
        }
        return d;
    }

    private void literal(String word) throws JsonException {
        if (!s.startsWith(word, pos)) {
            throw error("unexpected character");
        }
        pos += word.length();
    }

    private void expect(char c) throws JsonException {
        if (peek() != c) {
            throw error("expected " + c);
        }
        pos++;
    }

    private char peek() {
        return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private void skipWhitespace() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private JsonException error(String what) {
        return new JsonException("Invalid JSON at offset " + pos + ": " + what);
    }

    private static String shorten(String name) {
        return name.length() > 64 ? name.substring(0, 64) + "..." : name;
    }

    // --- writing ---

    /** JSON text of maps (string keys), lists, strings, numbers (written exactly, never in exponent form), booleans, null. */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(value, sb);
        return sb.toString();
    }

    private static void write(Object v, StringBuilder sb) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String str) {
            quote(str, sb);
        } else if (v instanceof Boolean b) {
            sb.append(b.booleanValue());
        } else if (v instanceof BigDecimal d) {
            sb.append(plain(d));
        } else if (v instanceof Long || v instanceof Integer || v instanceof BigInteger) {
            sb.append(v);
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                quote(String.valueOf(e.getKey()), sb);
                sb.append(':');
                write(e.getValue(), sb);
            }
            sb.append('}');
        } else if (v instanceof List<?> list) {
            sb.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(list.get(i), sb);
            }
            sb.append(']');
        } else {
            throw new IllegalArgumentException("Cannot write " + v.getClass().getName() + " as JSON");
        }
    }

    /** An integral value without a fraction ({@code 8}, not {@code 8.0} or {@code 8E+0}); others in plain form. */
    public static String plain(BigDecimal d) {
        BigDecimal n = d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
        return n.scale() <= 0 ? n.toBigIntegerExact().toString() : n.toPlainString();
    }

    private static void quote(String str, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < str.length(); i++) {
            char c = str.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
