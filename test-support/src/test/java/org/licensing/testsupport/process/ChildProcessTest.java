package org.licensing.testsupport.process;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher over real child processes (sh): the port read back, failures with the log's tail, tree stops. */
class ChildProcessTest {

    @TempDir
    Path dir;

    private static long deadline() {
        return System.nanoTime() + Duration.ofSeconds(30).toNanos();
    }

    @Test
    void thePortIsReadFromQuarkusStartLineOfThisStartOnly() throws Exception {
        Path log = dir.resolve("app.log");
        Files.writeString(log, "an earlier start: Listening on: http://127.0.0.1:1111\n");
        try (ChildProcess app = ChildProcess.start("app", List.of("sh", "-c",
                "echo 'starting'; sleep 0.2; echo 'app 1.0 started in 0.2s. Listening on: http://127.0.0.1:41234';"
                        + " exec sleep 60"), env -> { }, log)) {
            assertEquals(41234, app.awaitListeningPort(deadline()));
            assertFalse(app.output().contains("1111"), app.output());
            assertTrue(Files.readString(log).contains("1111"), "appended, not truncated");
        }
    }

    @Test
    void anAppThatFailsToStartIsKilledAndItsLogShown() {
        Path log = dir.resolve("failing.log");
        ChildProcess app = ChildProcess.start("failing", List.of("sh", "-c",
                "echo 'ERROR Failed to start application (with profile [local])'; exec sleep 60"), env -> { }, log);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> app.awaitListeningPort(deadline()));
        assertTrue(e.getMessage().contains("failing failed to start") && e.getMessage().contains("Failed to start"),
                e.getMessage());
        assertFalse(app.isAlive(), "killed: Quarkus does not always exit then");
    }

    @Test
    void anAppThatExitsFailsWithItsExitCodeAndTail() {
        ChildProcess app = ChildProcess.start("exits", List.of("sh", "-c", "echo 'no config'; exit 3"),
                env -> { }, dir.resolve("exits.log"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> app.awaitListeningPort(deadline()));
        assertTrue(e.getMessage().contains("exited with 3") && e.getMessage().contains("no config"), e.getMessage());
    }

    @Test
    void stopEndsTheWholeTreeAndTheEnvironmentIsEdited() throws Exception {
        Path pidFile = dir.resolve("grandchild.pid");
        ChildProcess script = ChildProcess.start("script", List.of("sh", "-c",
                "echo \"value=$CHILD_PROCESS_TEST\"; sleep 60 & echo $! > " + pidFile + "; wait"),
                env -> env.put("CHILD_PROCESS_TEST", "edited"), dir.resolve("script.log"));
        long until = deadline();
        while (!Files.exists(pidFile) || Files.readString(pidFile).isBlank()) {
            assertTrue(System.nanoTime() < until, "the script never started its child");
            Thread.sleep(50);
        }
        ProcessHandle grandchild = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).orElseThrow();
        script.stop(Duration.ofSeconds(5));
        assertFalse(script.isAlive());
        assertFalse(grandchild.isAlive(), "the script's own child is stopped too");
        assertTrue(script.output().contains("value=edited"), script.output());
    }

    @Test
    void aBenchSmokeNeedsExitZeroAndEveryFigureLine() {
        Path log = dir.resolve("bench.log");
        BenchSmoke.main(new String[] {"bench", log.toString(), "^ratio ", "p99 [0-9.]+ ms", "--", "sh", "-c",
            "echo 'ratio 0.42'; echo 'search p50 1.0 ms p99 2.5 ms'"});
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> BenchSmoke.main(
                new String[] {"bench", log.toString(), "^ratio ", "--", "sh", "-c", "echo 'seeded'"}));
        assertTrue(missing.getMessage().contains("printed no line matching /^ratio /"), missing.getMessage());
        IllegalStateException failed = assertThrows(IllegalStateException.class, () -> BenchSmoke.main(
                new String[] {"bench", log.toString(), "^ratio ", "--", "sh", "-c", "echo 'ratio 1'; exit 1"}));
        assertTrue(failed.getMessage().contains("exited with 1"), failed.getMessage());
    }
}
