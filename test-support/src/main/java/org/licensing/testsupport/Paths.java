package org.licensing.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the checkout's root, so every module's tests (and the local runner) share test-support's emulators. */
final class Paths {

    private Paths() {
    }

    static Path root() {
        String configured = System.getProperty("licensing.root");
        if (configured != null && !configured.isBlank() && isRoot(Path.of(configured))) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (isRoot(dir)) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the checkout root (a folder with test-support/package.json) "
                + "from " + Path.of("").toAbsolutePath() + "; set -Dlicensing.root");
    }

    static Path nodeModules() {
        return root().resolve("test-support").resolve("node_modules");
    }

    /** Logs and data of the local back ends: under target/, so `mvn clean` removes them. */
    static Path workDir() {
        return root().resolve("target").resolve("local-backends");
    }

    private static boolean isRoot(Path dir) {
        return Files.isRegularFile(dir.resolve("test-support").resolve("package.json"));
    }
}
