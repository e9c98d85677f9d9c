package org.licensing.support.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensing.core.crypto.SigningKeys;

/** How a service's signing keys come from its configuration (a plain unit test of the producer). */
class SigningKeysProducerTest {

    private final SigningKeysProducer producer = new SigningKeysProducer();

    private static SigningConfig config(Optional<String> activeKid, Map<String, String> keys,
            Optional<String> keyDirectory) {
        return new SigningConfig() {
            @Override
            public Optional<String> activeKid() {
                return activeKid;
            }

            @Override
            public Map<String, String> keys() {
                return keys;
            }

            @Override
            public Optional<String> keyDirectory() {
                return keyDirectory;
            }

            @Override
            public Optional<String> jwkSet() {
                return Optional.empty();
            }

            @Override
            public boolean publishJwks() {
                return true;
            }

            @Override
            public KeySet keySet() {
                return SignedKeySetTest.keySetConfig(Optional.empty(), Optional.empty());
            }
        };
    }

    private SigningKeys load(Optional<String> activeKid, Map<String, String> keys, Optional<String> keyDirectory) {
        return producer.signingKeys(config(activeKid, keys, keyDirectory), false);
    }

    @Test
    void takesPemTextOrFilePathsAndExplainsMistakes(@TempDir Path dir) throws Exception {
        SigningKeys a = SigningKeys.generate("a");
        SigningKeys b = SigningKeys.generate("b");
        Path bFile = dir.resolve("b.pem");
        Files.writeString(bFile, b.privatePem("b"));

        SigningKeys loaded = load(Optional.of("a"), Map.of("a", a.privatePem("a"), "b", bFile.toString()),
                Optional.empty());
        assertEquals("a", loaded.activeKid());
        assertEquals(Set.of("a", "b"), Set.copyOf(loaded.kids()));
        assertEquals(a.publicJwkSet().getKeyByKeyId("a").toJSONString(),
                loaded.publicJwkSet().getKeyByKeyId("a").toJSONString());
        assertEquals(b.publicJwkSet().getKeyByKeyId("b").toJSONString(),
                loaded.publicJwkSet().getKeyByKeyId("b").toJSONString());

        IllegalStateException noActive = assertThrows(IllegalStateException.class,
                () -> load(Optional.empty(), Map.of("a", a.privatePem("a")), Optional.empty()));
        assertTrue(noActive.getMessage().contains("active-kid is required"), noActive.getMessage());
        IllegalStateException unknownActive = assertThrows(IllegalStateException.class,
                () -> load(Optional.of("c"), Map.of("a", a.privatePem("a")), Optional.empty()));
        assertTrue(unknownActive.getMessage().contains("is not among"), unknownActive.getMessage());

        // A mounted secret: one <kid>.pem per key, alongside the other files Kubernetes puts there.
        Path mounted = Files.createDirectories(dir.resolve("mounted"));
        Files.writeString(mounted.resolve("a.pem"), a.privatePem("a"));
        Files.createDirectories(mounted.resolve("..data"));
        SigningKeys fromDirectory = load(Optional.of("a"), Map.of("b", bFile.toString()),
                Optional.of(mounted.toString()));
        assertEquals(Set.of("a", "b"), Set.copyOf(fromDirectory.kids()));
        IllegalStateException missingDirectory = assertThrows(IllegalStateException.class,
                () -> load(Optional.of("a"), Map.of(), Optional.of(dir.resolve("nowhere").toString())));
        assertTrue(missingDirectory.getMessage().contains("key-directory"), missingDirectory.getMessage());
        IllegalStateException missingFile = assertThrows(IllegalStateException.class,
                () -> load(Optional.of("a"), Map.of("a", dir.resolve("missing.pem").toString()), Optional.empty()));
        assertTrue(missingFile.getMessage().contains("cannot read signing key a"), missingFile.getMessage());
    }

    @Test
    void withoutKeysOnlyEphemeralSecretsGetAGeneratedKey() {
        SigningConfig none = config(Optional.empty(), Map.of(), Optional.empty());
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> producer.signingKeys(none, false));
        assertTrue(refused.getMessage().contains("licensing.signing.keys"), refused.getMessage());
        SigningKeys ephemeral = producer.signingKeys(none, true);
        assertTrue(ephemeral.activeKid().startsWith("ephemeral-"), ephemeral.activeKid());
    }
}
