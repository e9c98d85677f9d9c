package org.licensing.core.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.licensing.core.key.MalformedLicenseKeyException.Reason;

class LicenseKeyTest {

    private static final String ALPHABET = LicenseKey.ALPHABET;
    private static final Pattern FORMAT = Pattern.compile("LK1(-[0-9A-HJKMNP-TV-Z]{5}){12}");

    private static Reason reasonOf(String text) {
        try {
            LicenseKey k = LicenseKey.parse(text);
            fail("expected rejection, parsed " + k);
            return null;
        } catch (MalformedLicenseKeyException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
            return e.reason();
        }
    }

    /** Value of a key symbol, Crockford aliases included. */
    private static int value(char c) {
        char u = Character.toUpperCase(c);
        if (u == 'O') {
            return 0;
        }
        if (u == 'I' || u == 'L') {
            return 1;
        }
        return ALPHABET.indexOf(u);
    }

    @Test
    void roundTripThousandsOfRandomKeys() {
        Set<String> texts = new HashSet<>();
        for (int i = 0; i < 5000; i++) {
            UUID id = UUID.randomUUID();
            LicenseKey k = LicenseKey.generate(id);
            String text = k.text();
            assertTrue(FORMAT.matcher(text).matches(), text);
            assertEquals(75, text.length());
            LicenseKey back = LicenseKey.parse(text);
            assertEquals(id, back.licenseId());
            assertEquals(k, back);
            assertEquals(k.secretHash(), back.secretHash());
            assertEquals(text, back.text());
            assertTrue(texts.add(text), "duplicate key");
        }
    }

    @Test
    void extremeIdsAndSecretsRoundTrip() {
        for (UUID id : List.of(new UUID(0, 0), new UUID(-1, -1), new UUID(Long.MIN_VALUE, Long.MAX_VALUE))) {
            for (byte fill : new byte[] {0, (byte) 0xff, 0x55}) {
                byte[] secret = new byte[LicenseKey.SECRET_BYTES];
                java.util.Arrays.fill(secret, fill);
                LicenseKey k = LicenseKey.of(id, secret);
                LicenseKey back = LicenseKey.parse(k.text());
                assertEquals(id, back.licenseId());
                assertTrue(MessageDigest.isEqual(secret, back.secret()));
            }
        }
    }

    @Test
    void generatedSecretsDiffer() {
        UUID id = UUID.randomUUID();
        assertNotEquals(LicenseKey.generate(id).secretHash(), LicenseKey.generate(id).secretHash());
        assertEquals(LicenseKey.SECRET_BYTES, LicenseKey.generate(id).secret().length);
    }

    @Test
    void everySingleSubstitutionAtEveryPositionIsRejected() {
        Random rnd = new Random(42);
        for (int n = 0; n < 60; n++) {
            String text = LicenseKey.generate(new UUID(rnd.nextLong(), rnd.nextLong())).text();
            LicenseKey original = LicenseKey.parse(text);
            for (int pos = 0; pos < text.length(); pos++) {
                char orig = text.charAt(pos);
                boolean symbol = pos >= LicenseKey.PREFIX.length() && orig != '-';
                // every printable ASCII character, every symbol and alias in both cases
                for (char c = 0x20; c < 0x7f; c++) {
                    if (c == orig) {
                        continue;
                    }
                    String typo = text.substring(0, pos) + c + text.substring(pos + 1);
                    if (symbol && value(c) == value(orig)) {
                        // lower case or Crockford alias (O/0, I/L/1) of the same symbol: same key
                        assertEquals(original, LicenseKey.parse(typo));
                        continue;
                    }
                    if (symbol && c == '-') {
                        assertEquals(Reason.BAD_LENGTH, reasonOf(typo)); // a deleted symbol
                        continue;
                    }
                    if (!symbol && Character.toUpperCase(c) == Character.toUpperCase(orig)) {
                        assertEquals(original, LicenseKey.parse(typo)); // lower-case prefix
                        continue;
                    }
                    Reason r = reasonOf(typo);
                    if (c == ' ' && (pos == 0 || pos == text.length() - 1)) {
                        assertEquals(pos == 0 ? Reason.BAD_FORMAT : Reason.BAD_LENGTH, r); // trimmed away
                    } else if (symbol) {
                        assertTrue(r == Reason.BAD_CHECKSUM || r == Reason.BAD_CHARACTER,
                                "position " + pos + " '" + c + "': " + r);
                    }
                }
            }
        }
    }

    @Test
    void everySubstitutionWithAnotherSymbolValueFailsTheChecksum() {
        Random rnd = new Random(7);
        for (int n = 0; n < 300; n++) {
            String text = LicenseKey.generate(new UUID(rnd.nextLong(), rnd.nextLong())).text();
            for (int pos = LicenseKey.PREFIX.length(); pos < text.length(); pos++) {
                if (text.charAt(pos) == '-') {
                    continue;
                }
                for (int v = 0; v < 32; v++) {
                    char c = ALPHABET.charAt(v);
                    if (v != value(text.charAt(pos))) {
                        String typo = text.substring(0, pos) + c + text.substring(pos + 1);
                        assertEquals(Reason.BAD_CHECKSUM, reasonOf(typo), "position " + pos);
                    }
                }
            }
        }
    }

    @Test
    void everyAdjacentTranspositionIsRejected() {
        Random rnd = new Random(11);
        for (int n = 0; n < 500; n++) {
            String text = LicenseKey.generate(new UUID(rnd.nextLong(), rnd.nextLong())).text();
            String compact = LicenseKey.PREFIX + text.substring(LicenseKey.PREFIX.length()).replace("-", "");
            // adjacent in the grouped text and adjacent across group dashes (as typed without them)
            for (String t : List.of(text, compact)) {
                for (int i = LicenseKey.PREFIX.length(); i + 1 < t.length(); i++) {
                    char a = t.charAt(i);
                    char b = t.charAt(i + 1);
                    if (a == b) {
                        continue;
                    }
                    String swapped = t.substring(0, i) + b + a + t.substring(i + 2);
                    if (a == '-' || b == '-') {
                        // moving a separator is harmless
                        assertEquals(LicenseKey.parse(text), LicenseKey.parse(swapped));
                        continue;
                    }
                    assertEquals(Reason.BAD_CHECKSUM, reasonOf(swapped), "swap at " + i + " of " + t);
                }
            }
        }
    }

    @Test
    void everyPrefixOfAKeyIsRejected() {
        for (int n = 0; n < 50; n++) {
            String text = LicenseKey.generate(UUID.randomUUID()).text();
            for (int len = 0; len < text.length(); len++) {
                String prefix = text.substring(0, len);
                Reason r = reasonOf(prefix);
                if (len == 0) {
                    assertEquals(Reason.EMPTY, r);
                } else if (len < LicenseKey.PREFIX.length()) {
                    assertEquals(Reason.BAD_FORMAT, r, prefix);
                } else {
                    assertEquals(Reason.BAD_LENGTH, r, prefix);
                }
            }
            // and every suffix that drops the start
            for (int start = 1; start < text.length(); start++) {
                Reason r = reasonOf(text.substring(start));
                assertTrue(r == Reason.BAD_FORMAT || r == Reason.BAD_CHARACTER, r::toString);
            }
        }
    }

    @Test
    void extraSymbolsAreRejected() {
        String text = LicenseKey.generate(UUID.randomUUID()).text();
        assertEquals(Reason.BAD_LENGTH, reasonOf(text + "0"));
        assertEquals(Reason.BAD_LENGTH, reasonOf(text + "-ABCDE"));
        assertEquals(Reason.BAD_LENGTH, reasonOf(text.substring(0, 10) + "Z" + text.substring(10)));
    }

    @Test
    void randomStringsAreRejected() {
        Random rnd = new Random(3);
        for (int n = 0; n < 20_000; n++) {
            int len = 1 + rnd.nextInt(LicenseKey.MAX_INPUT_LENGTH);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < len; i++) {
                sb.append((char) (0x21 + rnd.nextInt(0x7f - 0x21)));
            }
            Reason r = reasonOf(sb.toString());
            assertTrue(r == Reason.BAD_FORMAT || r == Reason.UNKNOWN_VERSION || r == Reason.BAD_CHARACTER,
                    r::toString);
        }
    }

    @Test
    void randomBodiesWithTheRightShapeAlmostAlwaysFailTheChecksum() {
        Random rnd = new Random(5);
        int accepted = 0;
        int samples = 20_000;
        for (int n = 0; n < samples; n++) {
            StringBuilder sb = new StringBuilder(LicenseKey.PREFIX);
            for (int i = 0; i < LicenseKey.SYMBOLS; i++) {
                sb.append(ALPHABET.charAt(rnd.nextInt(32)));
            }
            try {
                LicenseKey.parse(sb.toString());
                accepted++;
            } catch (MalformedLicenseKeyException e) {
                assertTrue(e.reason() == Reason.BAD_CHECKSUM || e.reason() == Reason.BAD_FORMAT, e::toString);
            }
        }
        // a 10-bit check accepts about 1 in 1024 (and 1 in 4 of those has non-zero padding bits)
        assertTrue(accepted < samples / 200, "accepted " + accepted);
    }

    @Test
    void specificRejections() {
        String text = LicenseKey.generate(UUID.randomUUID()).text();
        assertEquals(Reason.EMPTY, reasonOf(null));
        assertEquals(Reason.EMPTY, reasonOf(""));
        assertEquals(Reason.EMPTY, reasonOf("   \t\n"));
        assertEquals(Reason.TOO_LONG, reasonOf("x".repeat(LicenseKey.MAX_INPUT_LENGTH + 1)));
        assertEquals(Reason.TOO_LONG, reasonOf(text + " ".repeat(LicenseKey.MAX_INPUT_LENGTH)));
        assertEquals(Reason.TOO_LONG, reasonOf("é".repeat(1_000_000)));
        assertEquals(Reason.UNKNOWN_VERSION, reasonOf("LK2" + text.substring(3)));
        assertEquals(Reason.UNKNOWN_VERSION, reasonOf("lk9-" + text.substring(4)));
        assertEquals(Reason.UNKNOWN_VERSION, reasonOf("LK10" + text.substring(3)));
        assertEquals(Reason.BAD_FORMAT, reasonOf("XK1" + text.substring(3)));
        assertEquals(Reason.BAD_FORMAT, reasonOf("LK1" + text.substring(4)));
        assertEquals(Reason.BAD_FORMAT, reasonOf(text.substring(4)));
        assertEquals(Reason.BAD_CHARACTER, reasonOf(text.substring(0, 20) + "é" + text.substring(21)));
        assertEquals(Reason.BAD_CHARACTER, reasonOf(text.substring(0, 20) + "\u0660" + text.substring(21)));
        assertEquals(Reason.BAD_CHARACTER, reasonOf(text.substring(0, 20) + "\uFF10" + text.substring(21)));
        assertEquals(Reason.BAD_CHARACTER, reasonOf("\u00a0" + text));
        assertEquals(Reason.BAD_CHARACTER, reasonOf(text + "\u0000"));
        assertEquals(Reason.BAD_CHARACTER, reasonOf(text.substring(0, 20) + "U" + text.substring(21)));
        assertEquals(Reason.BAD_CHARACTER, reasonOf(text.substring(0, 20) + " " + text.substring(21)));
    }

    @Test
    void nonCanonicalPaddingBitsAreRejected() {
        // symbol 58 carries 3 data bits and 2 padding bits; set a padding bit and fix the CRC
        LicenseKey k = LicenseKey.generate(UUID.randomUUID());
        String body = k.text().substring(4).replace("-", "");
        byte[] sym = new byte[LicenseKey.SYMBOLS];
        for (int i = 0; i < sym.length; i++) {
            sym[i] = (byte) ALPHABET.indexOf(body.charAt(i));
        }
        sym[57] ^= 1;
        int crc = LicenseKey.crc(sym, 58);
        sym[58] = (byte) (crc >>> 5);
        sym[59] = (byte) (crc & 31);
        StringBuilder sb = new StringBuilder(LicenseKey.PREFIX);
        for (byte b : sym) {
            sb.append(ALPHABET.charAt(b));
        }
        assertEquals(Reason.BAD_FORMAT, reasonOf(sb.toString()));
    }

    @Test
    void messagesDoNotEchoTheInput() {
        String text = LicenseKey.generate(UUID.randomUUID()).text();
        String secretPart = text.substring(30, 50);
        List<String> bad = new ArrayList<>();
        bad.add(text.substring(0, 40));
        bad.add(text + "Q");
        bad.add("LK7-" + text.substring(4));
        bad.add("ZZ" + text);
        bad.add(text.substring(0, 60) + "U" + text.substring(61));
        // Swap two neighbours that differ: swapping equal ones would leave a valid key (a flaky test).
        int at = 64;
        while (text.charAt(at) == text.charAt(at + 1) || text.charAt(at) == '-' || text.charAt(at + 1) == '-') {
            at++;
        }
        String swapped = text.substring(0, at) + text.charAt(at + 1) + text.charAt(at) + text.substring(at + 2);
        bad.add(swapped);
        for (String b : bad) {
            MalformedLicenseKeyException e = assertThrows(MalformedLicenseKeyException.class, () -> LicenseKey.parse(b));
            assertFalse(e.getMessage().contains(secretPart), e.getMessage());
            assertFalse(e.getMessage().contains(text.substring(4, 14)), e.getMessage());
        }
    }

    @Test
    void parseIsCaseInsensitiveAndLenientAboutSeparatorsAndAliases() {
        LicenseKey k = LicenseKey.generate(UUID.randomUUID());
        String text = k.text();
        assertEquals(k, LicenseKey.parse(text.toLowerCase(Locale.ROOT)));
        assertEquals(k, LicenseKey.parse("  " + text + "\n"));
        assertEquals(k, LicenseKey.parse("LK1-" + text.substring(4).replace("-", "")));
        assertEquals(k, LicenseKey.parse(text.substring(0, 4) + text.substring(4).replace("0", "O").replace("1", "l")));
        assertEquals(k, LicenseKey.parse(text.substring(0, 4) + text.substring(4).replace("1", "I")));
        assertTrue(LicenseKey.isWellFormed(text));
        assertFalse(LicenseKey.isWellFormed(text.substring(1)));
    }

    @Test
    void secretHashIsStableSha256AndMatchesInConstantTimeApi() throws Exception {
        LicenseKey k = LicenseKey.generate(UUID.randomUUID());
        String hash = k.secretHash();
        String expected = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(k.secret()));
        assertEquals(expected, hash);
        assertEquals(43, hash.length());
        assertEquals(hash, LicenseKey.parse(k.text()).secretHash());
        assertEquals(hash, LicenseKey.parse(k.text().toLowerCase(Locale.ROOT)).secretHash());
        assertTrue(k.matchesHash(hash));
        assertFalse(k.matchesHash(LicenseKey.generate(k.licenseId()).secretHash()));
        assertFalse(k.matchesHash(null));
        assertFalse(k.matchesHash(""));
        assertFalse(k.matchesHash(hash.substring(1)));
        assertFalse(k.matchesHash(hash + "A"));
        assertFalse(new String(hash.getBytes(StandardCharsets.US_ASCII), StandardCharsets.US_ASCII)
                .equals(LicenseKey.generate(k.licenseId()).secretHash()));
    }

    @Test
    void secretIsCopiedNotShared() {
        LicenseKey k = LicenseKey.generate(UUID.randomUUID());
        byte[] s = k.secret();
        s[0] ^= 1;
        assertNotEquals(s[0], k.secret()[0]);
        byte[] in = new byte[LicenseKey.SECRET_BYTES];
        LicenseKey k2 = LicenseKey.of(UUID.randomUUID(), in);
        in[0] = 9;
        assertEquals(0, k2.secret()[0]);
        assertThrows(IllegalArgumentException.class, () -> LicenseKey.of(UUID.randomUUID(), new byte[16]));
    }

    @Test
    void toStringHidesTheSecret() {
        LicenseKey k = LicenseKey.generate(UUID.randomUUID());
        String s = k.toString();
        assertTrue(s.contains(k.licenseId().toString()));
        assertTrue(s.contains("***"));
        String body = k.text().substring(4).replace("-", "");
        for (int i = 26; i + 6 <= body.length(); i++) { // symbols 27.. carry the secret
            assertFalse(s.toUpperCase(Locale.ROOT).contains(body.substring(i, i + 6)));
        }
        assertFalse(s.contains(k.secretHash()));
    }
}
