package org.licensing.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The config file holds a bearer token: owner-only modes (file 0600, the directories login creates 0700). */
class ConfigFileTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @BeforeAll
    static void posix() {
        // These are the platform's own permission bits: without them there is nothing to check (fail, don't skip).
        assertEquals(true, java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
                "ConfigFileTest needs a POSIX file system");
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void loginCreatesOwnerOnlyDirectoriesAndFile() throws Exception {
        Path file = dir.resolve("home/.config/licensectl/config.json");
        Path saved = Config.save(Map.of("LICENSECTL_CONFIG", file.toString()), JSON, "http://localhost:8080", "a.b.c");
        assertEquals(file.toAbsolutePath(), saved);
        assertEquals("rw-------", mode(file));
        // Every directory login had to create, not just the last one.
        assertEquals("rwx------", mode(dir.resolve("home/.config/licensectl")));
        assertEquals("rwx------", mode(dir.resolve("home/.config")));
        assertEquals("rwx------", mode(dir.resolve("home")));
        assertEquals("a.b.c", Config.load(Map.of("LICENSECTL_CONFIG", file.toString()), JSON).token());
    }

    @Test
    void theDefaultLocationIsUnderHome() throws Exception {
        Files.createDirectories(dir.resolve(".config"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Path saved = Config.save(Map.of("HOME", dir.toString()), JSON, "http://localhost:8080", "a.b.c");
        assertEquals(dir.resolve(".config/licensectl/config.json"), saved);
        assertEquals("rw-------", mode(saved));
        assertEquals("rwx------", mode(saved.getParent()));
        assertEquals("rwxr-xr-x", mode(dir.resolve(".config")), "an existing directory is the owner's to keep");
    }

    @Test
    void aReplacedFileIsOwnerOnlyEvenWhenTheOldOneWasNot() throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"url\":\"http://old\",\"token\":\"old\"}");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Config.save(Map.of("LICENSECTL_CONFIG", file.toString()), JSON, "http://new:8080", "n.e.w");
        assertEquals("rw-------", mode(file));
        assertEquals("n.e.w", JSON.readTree(file.toFile()).path("token").asText());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(file), left.toList(), "no temporary file left beside it");
        }
    }

    @Test
    void aConfigFileOthersCanReadIsWarnedAbout() throws Exception {
        Path file = dir.resolve("config.json");
        Map<String, String> env = Map.of("LICENSECTL_CONFIG", file.toString());
        try (StandInIssuer issuer = new StandInIssuer()) {
            issuer.on("GET /v1/licenses/L1", StandInIssuer.Reply.json("{\"licenseId\":\"L1\"}"));
            Config.save(env, JSON, issuer.url(), "a.b.c");
            Run quiet = Run.of(env, "licenses", "show", "L1");
            assertEquals(0, quiet.code(), quiet::toString);
            assertFalse(quiet.err().contains("warning"), quiet::toString);

            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            Run warned = Run.of(env, "licenses", "show", "L1");
            assertEquals(0, warned.code(), warned::toString);
            assertTrue(warned.err().contains("licensectl: warning: " + file + " holds your token and is not"
                    + " private (rw-r--r--): chmod 600 " + file), warned::toString);
            assertFalse(warned.err().contains("a.b.c"), "never the token");
        }
    }
}
