package org.licensing.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.licensing.core.crypto.SigningKeys;

/**
 * The secrets of a local run, generated once into a directory and read back on every later start: the issuer's
 * idempotency secret (so a restarted issuer can still decrypt the answers it stored) and the signing keys of the
 * issuer (license files) and the validator (receipts), so what they signed before a restart still verifies.
 *
 * <p>Layout (directory 0700, files 0600), the format the services read ({@code licensing.signing.key-directory}: one
 * {@code <kid>.pem} PKCS#8 Ed25519 file per key; {@code licensing.idempotency.secret}: base64 of 32 random bytes):
 * <pre>
 *   idempotency-secret             base64
 *   signing/license-issuer/&lt;kid&gt;.pem
 *   signing/license-validator/&lt;kid&gt;.pem
 * </pre>
 */
public final class LocalSecrets {

    static final String IDEMPOTENCY_FILE = "idempotency-secret";
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

    private final Path dir;
    private final String idempotencySecret;
    private final Map<String, SigningKeys> signing = new HashMap<>();

    private LocalSecrets(Path dir) {
        this.dir = dir;
        this.idempotencySecret = readOrCreate(dir.resolve(IDEMPOTENCY_FILE));
        for (String service : new String[] {LocalSystem.ISSUER, LocalSystem.VALIDATOR}) {
            signing.put(service, keysOf(service));
        }
    }

    /** Reads the secrets in {@code dir}, generating what is missing (and the directory itself). */
    public static LocalSecrets in(Path dir) {
        mkdirs(dir);
        return new LocalSecrets(dir);
    }

    public Path dir() {
        return dir;
    }

    /** The signing keys a service loads from its key directory (the issuer's and the validator's). */
    public SigningKeys signingKeys(String service) {
        SigningKeys keys = signing.get(service);
        if (keys == null) {
            throw new IllegalArgumentException(service + " signs nothing");
        }
        return keys;
    }

    /** The environment that makes {@code service} use these secrets (empty for a service that needs none). */
    public Map<String, String> env(String service) {
        Map<String, String> env = new HashMap<>();
        if (LocalSystem.ISSUER.equals(service)) {
            env.put("LICENSING_IDEMPOTENCY_SECRET", idempotencySecret);
        }
        SigningKeys keys = signing.get(service);
        if (keys != null) {
            env.put("LICENSING_SIGNING_KEY_DIRECTORY", signingDir(service).toString());
            env.put("LICENSING_SIGNING_ACTIVE_KID", keys.activeKid());
        }
        return env;
    }

    private Path signingDir(String service) {
        return dir.resolve("signing").resolve(service);
    }

    private SigningKeys keysOf(String service) {
        Path keysDir = signingDir(service);
        mkdirs(keysDir.getParent());
        mkdirs(keysDir);
        try {
            Map<String, String> pems = SigningKeys.readPemDirectory(keysDir);
            if (pems.isEmpty()) {
                // kid: service and creation day, so a key generated later for a new checkout is told apart.
                String kid = "local-" + service.replace("license-", "") + "-"
                        + java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString().replace("-", "");
                SigningKeys generated = SigningKeys.generate(kid);
                write(keysDir.resolve(kid + ".pem"), generated.privatePem(kid));
                return generated;
            }
            if (pems.size() > 1) {
                throw new IllegalStateException(keysDir + " holds " + pems.keySet() + ": a local run expects one key");
            }
            String kid = pems.keySet().iterator().next();
            return SigningKeys.fromPem(kid, pems);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the signing keys in " + keysDir, e);
        }
    }

    private static String readOrCreate(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                return Files.readString(file, StandardCharsets.US_ASCII).strip();
            }
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            String encoded = Base64.getEncoder().encodeToString(secret);
            write(file, encoded + "\n");
            return encoded;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }

    /** Creates the file with mode 0600 before any secret byte is in it. */
    private static void write(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE_MODE));
        Files.writeString(file, content, StandardCharsets.US_ASCII);
    }

    private static void mkdirs(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir.getParent());
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
            }
            Files.setPosixFilePermissions(dir, DIR_MODE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }
}
