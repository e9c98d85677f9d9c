package org.licensing.core.key;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.UUID;

/**
 * A license key: the license id plus a 160-bit random secret, as one string the customer pastes into the product.
 *
 * <h2>Text format (version 1)</h2>
 * <pre>
 *   LK1-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX
 * </pre>
 * <ul>
 *   <li>{@code LK1-}: version prefix (case-insensitive on parse).</li>
 *   <li>60 Crockford base32 symbols ({@code 0123456789ABCDEFGHJKMNPQRSTVWXYZ}, value 0..31, most significant bit
 *       first), shown in 12 groups of 5 separated by {@code -}:
 *     <ol>
 *       <li>symbols 1..58 encode 290 bits: the license id (16 bytes, big-endian {@code UUID} most then least
 *           significant long), the secret (20 bytes), then 2 zero bits;</li>
 *       <li>symbols 59..60 are a CRC-10 (polynomial {@code x^10+x^9+x^5+x^4+x+1}, 0x233, "CRC-10/ATM", initial
 *           value 0, no reflection, no final xor) over the 290 bits of symbols 1..58, most significant bit first.</li>
 *     </ol>
 *   </li>
 * </ul>
 * The 300 bits of the 60 symbols form a CRC codeword (divisible by the polynomial), so every error burst of at
 * most 10 bits is detected: any single mistyped symbol (5 bits) and any swap of two adjacent symbols (10 bits),
 * including the check symbols themselves. Other typos are caught with probability 1 - 2^-10.
 *
 * <p>Parsing is lenient where people are: surrounding whitespace is trimmed, letters are case-insensitive,
 * {@code -} separators may appear anywhere (or not at all) after the prefix, and per Crockford {@code O} reads as
 * {@code 0} and {@code I}/{@code L} read as {@code 1}. {@code U}, any other character and any non-ASCII character
 * are rejected. Input longer than {@value #MAX_INPUT_LENGTH} characters is rejected before any other work.
 *
 * <p>Only {@link #secretHash()} is stored. {@link #matchesHash(String)} compares in constant time.
 * {@link #toString()} never reveals the secret.
 */
public final class LicenseKey {

    /** Version prefix of keys this class writes and reads. */
    public static final String PREFIX = "LK1-";
    /** Longest input {@link #parse(String)} looks at. */
    public static final int MAX_INPUT_LENGTH = 128;
    /** Secret size in bytes (160 bits). */
    public static final int SECRET_BYTES = 20;
    /** Number of base32 symbols after the prefix (data + check). */
    public static final int SYMBOLS = 60;

    static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final int DATA_SYMBOLS = 58;
    private static final int CRC_POLY = 0x233; // x^10+x^9+x^5+x^4+x+1 without the x^10 term
    private static final int CRC_BITS = 10;
    private static final int GROUP = 5;
    private static final byte[] DECODE = new byte[128];
    private static final SecureRandom RANDOM = new SecureRandom();

    static {
        Arrays.fill(DECODE, (byte) -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            char c = ALPHABET.charAt(i);
            DECODE[c] = (byte) i;
            DECODE[Character.toLowerCase(c)] = (byte) i;
        }
        DECODE['O'] = DECODE['o'] = 0;
        DECODE['I'] = DECODE['i'] = DECODE['L'] = DECODE['l'] = 1;
    }

    private final UUID licenseId;
    private final byte[] secret;

    private LicenseKey(UUID licenseId, byte[] secret) {
        this.licenseId = licenseId;
        this.secret = secret;
    }

    /** A new key for {@code licenseId} with a fresh secret from {@link SecureRandom}. */
    public static LicenseKey generate(UUID licenseId) {
        Objects.requireNonNull(licenseId, "licenseId");
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(secret);
        return new LicenseKey(licenseId, secret);
    }

    /** A key from its parts (tests, migrations). The secret must be {@value #SECRET_BYTES} bytes; it is copied. */
    public static LicenseKey of(UUID licenseId, byte[] secret) {
        Objects.requireNonNull(licenseId, "licenseId");
        Objects.requireNonNull(secret, "secret");
        if (secret.length != SECRET_BYTES) {
            throw new IllegalArgumentException("secret must be " + SECRET_BYTES + " bytes, got " + secret.length);
        }
        return new LicenseKey(licenseId, secret.clone());
    }

    /**
     * Parses a key as typed or pasted by a customer.
     *
     * @throws MalformedLicenseKeyException with a stable {@link MalformedLicenseKeyException.Reason}
     */
    public static LicenseKey parse(String text) {
        if (text == null) {
            throw malformed(MalformedLicenseKeyException.Reason.EMPTY, "License key is empty.");
        }
        if (text.length() > MAX_INPUT_LENGTH) {
            throw malformed(MalformedLicenseKeyException.Reason.TOO_LONG,
                    "License key is too long (" + text.length() + " characters; at most " + MAX_INPUT_LENGTH
                            + " are accepted).");
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0x7e || (text.charAt(i) < 0x20 && !isWhitespace(text.charAt(i)))) {
                throw malformed(MalformedLicenseKeyException.Reason.BAD_CHARACTER,
                        "License key contains a character that is not plain ASCII letters, digits or '-' at position "
                                + (i + 1) + ".");
            }
        }
        String s = trim(text);
        if (s.isEmpty()) {
            throw malformed(MalformedLicenseKeyException.Reason.EMPTY, "License key is empty.");
        }
        checkPrefix(s);

        byte[] symbols = new byte[SYMBOLS];
        int n = 0;
        for (int i = PREFIX.length(); i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '-') {
                continue;
            }
            int v = c < 128 ? DECODE[c] : -1;
            if (v < 0) {
                throw malformed(MalformedLicenseKeyException.Reason.BAD_CHARACTER,
                        "License key contains an invalid character at position " + (i + 1)
                                + " (keys use only digits, letters other than U, and '-').");
            }
            if (n < SYMBOLS) {
                symbols[n] = (byte) v;
            }
            n++;
        }
        if (n != SYMBOLS) {
            throw malformed(MalformedLicenseKeyException.Reason.BAD_LENGTH,
                    "License key has " + (n < SYMBOLS ? "too few" : "too many") + " characters (" + n
                            + " after the prefix, expected " + SYMBOLS + "); it may be incomplete.");
        }
        if (crc(symbols, SYMBOLS) != 0) {
            throw malformed(MalformedLicenseKeyException.Reason.BAD_CHECKSUM,
                    "License key check characters do not match: a character is mistyped or two are swapped.");
        }
        byte[] data = unpack(symbols);
        if (data == null) {
            throw malformed(MalformedLicenseKeyException.Reason.BAD_FORMAT,
                    "License key is not in canonical form (non-zero padding bits).");
        }
        ByteBuffer buf = ByteBuffer.wrap(data);
        UUID id = new UUID(buf.getLong(), buf.getLong());
        byte[] secret = new byte[SECRET_BYTES];
        buf.get(secret);
        return new LicenseKey(id, secret);
    }

    /** Quick syntactic check: true when {@link #parse(String)} would succeed. */
    public static boolean isWellFormed(String text) {
        try {
            parse(text);
            return true;
        } catch (MalformedLicenseKeyException e) {
            return false;
        }
    }

    public UUID licenseId() {
        return licenseId;
    }

    /** The key as shown to the customer once: {@code LK1-} and 12 dash-separated groups of 5 symbols. */
    public String text() {
        byte[] data = ByteBuffer.allocate(16 + SECRET_BYTES)
                .putLong(licenseId.getMostSignificantBits())
                .putLong(licenseId.getLeastSignificantBits())
                .put(secret)
                .array();
        byte[] symbols = new byte[SYMBOLS];
        pack(data, symbols);
        int crc = crc(symbols, DATA_SYMBOLS);
        symbols[DATA_SYMBOLS] = (byte) (crc >>> 5);
        symbols[DATA_SYMBOLS + 1] = (byte) (crc & 31);
        StringBuilder sb = new StringBuilder(PREFIX.length() + SYMBOLS + SYMBOLS / GROUP);
        sb.append(PREFIX);
        for (int i = 0; i < SYMBOLS; i++) {
            if (i > 0 && i % GROUP == 0) {
                sb.append('-');
            }
            sb.append(ALPHABET.charAt(symbols[i]));
        }
        return sb.toString();
    }

    /** The secret (a copy). Needed for key derivation (see {@code LicenseFiles}); never log or store it. */
    public byte[] secret() {
        return secret.clone();
    }

    /** {@code base64url(SHA-256(secret))} without padding: the only form of the secret that is stored. */
    public String secretHash() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(secret));
    }

    /** Whether {@code storedHash} is this key's {@link #secretHash()}; constant-time in the hash contents. */
    public boolean matchesHash(String storedHash) {
        if (storedHash == null) {
            return false;
        }
        return MessageDigest.isEqual(secretHash().getBytes(StandardCharsets.US_ASCII),
                storedHash.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LicenseKey k && licenseId.equals(k.licenseId) && MessageDigest.isEqual(secret, k.secret);
    }

    @Override
    public int hashCode() {
        return licenseId.hashCode();
    }

    @Override
    public String toString() {
        return "LicenseKey[id=" + licenseId + ", secret=***]";
    }

    // --- encoding helpers ---

    private static void checkPrefix(String s) {
        if (s.length() >= PREFIX.length() && s.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return;
        }
        // "LK<digits>-" with another version number
        if (s.length() > 2 && s.regionMatches(true, 0, "LK", 0, 2)) {
            int i = 2;
            while (i < s.length() && i < 6 && Character.isDigit(s.charAt(i))) {
                i++;
            }
            if (i > 2 && i < s.length() && s.charAt(i) == '-') {
                throw malformed(MalformedLicenseKeyException.Reason.UNKNOWN_VERSION,
                        "License key version \"" + s.substring(0, i).toUpperCase(java.util.Locale.ROOT)
                                + "\" is not supported; expected a key starting with \"" + PREFIX + "\".");
            }
        }
        throw malformed(MalformedLicenseKeyException.Reason.BAD_FORMAT,
                "Not a license key: it must start with \"" + PREFIX + "\".");
    }

    /** 36 bytes (288 bits) + 2 zero bits -> 58 five-bit symbols. */
    private static void pack(byte[] data, byte[] symbols) {
        int acc = 0;
        int bits = 0;
        int n = 0;
        for (byte b : data) {
            acc = (acc << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                bits -= 5;
                symbols[n++] = (byte) ((acc >>> bits) & 31);
            }
        }
        if (bits > 0) {
            symbols[n] = (byte) ((acc << (5 - bits)) & 31);
        }
    }

    /** Inverse of {@link #pack}; null when the padding bits are not zero. */
    private static byte[] unpack(byte[] symbols) {
        byte[] data = new byte[16 + SECRET_BYTES];
        int acc = 0;
        int bits = 0;
        int n = 0;
        for (int i = 0; i < DATA_SYMBOLS; i++) {
            acc = (acc << 5) | symbols[i];
            bits += 5;
            if (bits >= 8) {
                bits -= 8;
                data[n++] = (byte) (acc >>> bits);
            }
        }
        return (acc & ((1 << bits) - 1)) == 0 ? data : null;
    }

    /** CRC-10/ATM over the first {@code count} symbols, 5 bits each, MSB first. */
    static int crc(byte[] symbols, int count) {
        int crc = 0;
        for (int i = 0; i < count; i++) {
            for (int bit = 4; bit >= 0; bit--) {
                int in = (symbols[i] >>> bit) & 1;
                int top = (crc >>> (CRC_BITS - 1)) & 1;
                crc = (crc << 1) & ((1 << CRC_BITS) - 1);
                if ((top ^ in) != 0) {
                    crc ^= CRC_POLY;
                }
            }
        }
        return crc;
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    private static String trim(String s) {
        int b = 0;
        int e = s.length();
        while (b < e && isWhitespace(s.charAt(b))) {
            b++;
        }
        while (e > b && isWhitespace(s.charAt(e - 1))) {
            e--;
        }
        return s.substring(b, e);
    }

    private static byte[] sha256(byte[] in) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(in);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 not available", e);
        }
    }

    private static MalformedLicenseKeyException malformed(MalformedLicenseKeyException.Reason reason, String msg) {
        return new MalformedLicenseKeyException(reason, msg);
    }
}
