package org.licensing.cli;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where the issuer is and the token to use: {@code ${LICENSECTL_CONFIG:-~/.config/licensectl/config.json}}
 * ({@code {"url": ..., "token": ...}}, mode 0600), overridden per field by {@code LICENSECTL_URL} and
 * {@code LICENSECTL_TOKEN}.
 */
public record Config(String url, String token) {

    public static final String CONFIG_ENV = "LICENSECTL_CONFIG";
    public static final String URL_ENV = "LICENSECTL_URL";
    public static final String TOKEN_ENV = "LICENSECTL_TOKEN";
    /** How long a request waits for the issuer's answer, e.g. {@code 30s} or {@code 2m} (default 60s). */
    public static final String TIMEOUT_ENV = "LICENSECTL_TIMEOUT";

    /** Never prints the token. */
    @Override
    public String toString() {
        return "Config[url=" + url + ", token=" + (token == null ? "none" : "***") + "]";
    }

    public static Path path(Map<String, String> env) {
        String explicit = env.get(CONFIG_ENV);
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".config", "licensectl", "config.json");
    }

    /** The stored config (empty when there is none) with the environment's overrides applied. */
    public static Config load(Map<String, String> env, ObjectMapper json) {
        Path file = path(env);
        String url = null;
        String token = null;
        if (Files.isRegularFile(file)) {
            try {
                JsonNode node = json.readTree(file.toFile());
                url = text(node, "url");
                token = text(node, "token");
            } catch (IOException e) {
                throw new CliException(ExitCodes.OTHER, "Cannot read the config file " + file + ": "
                        + e.getClass().getSimpleName());
            }
        }
        url = override(env, URL_ENV, url);
        token = override(env, TOKEN_ENV, token);
        return new Config(url, token);
    }

    /**
     * The file's mode when group or others may read or write it (a token anyone on the machine can use), else
     * null. {@code login} never writes it so; a copy or an editor may have.
     */
    public static String looseMode(Map<String, String> env) {
        Path file = path(env);
        if (!Files.isRegularFile(file)
                || !FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return null;
        }
        try {
            java.util.Set<java.nio.file.attribute.PosixFilePermission> p = Files.getPosixFilePermissions(file);
            boolean loose = p.stream().anyMatch(x -> x.name().startsWith("GROUP_") || x.name().startsWith("OTHERS_"));
            return loose ? PosixFilePermissions.toString(p) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Writes url and token to the config file, readable by the owner only (0600; the directory 0700). */
    public static Path save(Map<String, String> env, ObjectMapper json, String url, String token) {
        Path file = path(env).toAbsolutePath();
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        try {
            Path dir = file.getParent();
            if (!Files.isDirectory(dir)) {
                if (posix) {
                    Files.createDirectories(dir,
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(dir);
                }
            }
            ObjectNode node = json.createObjectNode().put("url", url).put("token", token);
            Path tmp = posix
                    ? Files.createTempFile(dir, ".config", ".tmp",
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile(dir, ".config", ".tmp");
            try {
                Files.write(tmp, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
                try {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            if (posix) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
            return file;
        } catch (IOException e) {
            throw new CliException(ExitCodes.OTHER, "Cannot write the config file " + file + ": " + e.getMessage());
        }
    }

    /** The request timeout from {@code LICENSECTL_TIMEOUT}; usage error when it is not a duration. */
    public static java.time.Duration timeout(Map<String, String> env) {
        String v = env.get(TIMEOUT_ENV);
        if (v == null || v.isBlank()) {
            return IssuerClient.DEFAULT_TIMEOUT;
        }
        try {
            return Durations.parse(v);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, TIMEOUT_ENV + ": " + e.getMessage());
        }
    }

    private static String override(Map<String, String> env, String name, String fallback) {
        String v = env.get(name);
        return v == null || v.isBlank() ? fallback : v.strip();
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
    }
}
