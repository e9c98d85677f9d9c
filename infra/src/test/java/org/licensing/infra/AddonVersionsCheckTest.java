package org.licensing.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code infra/check-addon-versions.sh}, the operator's check of the pinned EKS add-on versions against what EKS offers
 * (no AWS account is reachable here), run on the synthesized template with a stand-in AWS CLI that answers
 * {@code describe-addon-versions} the way EKS does (newest first, the default flagged in its compatibilities).
 */
class AddonVersionsCheckTest {

    private static Map<String, String> pinned;
    @TempDir
    static Path dir;
    private static Path template;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void synthesize() throws IOException {
        Map<String, Object> json = TestApps.template().toJSON();
        template = dir.resolve("LicensingPlatform.template.json");
        new ObjectMapper().writeValue(template.toFile(), json);
        pinned = new TreeMap<>();
        ((Map<String, Map<String, Object>>) json.get("Resources")).values().stream()
                .filter(r -> "AWS::EKS::Addon".equals(r.get("Type")))
                .map(r -> (Map<String, Object>) r.get("Properties"))
                .forEach(p -> pinned.put((String) p.get("AddonName"), (String) p.get("AddonVersion")));
        assertEquals(new java.util.TreeSet<>(EksAddons.NAMES), pinned.keySet());
    }

    @Test
    void passesWhenEksOffersEveryPinnedVersionAndShowsTheDefaultAndTheNewest() throws Exception {
        Path answers = answers("offered", Map.of());
        Result r = run(answers);
        assertEquals(0, r.exit(), r.output());
        for (var addon : pinned.entrySet()) {
            String line = r.output().lines().filter(l -> l.startsWith(addon.getKey() + " ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no line for " + addon.getKey() + ": " + r.output()));
            // pinned, offered, default (the pinned one here), newest (a later build)
            assertEquals(List.of(addon.getKey(), addon.getValue(), "yes", addon.getValue(), newer(addon.getValue())),
                    List.of(line.trim().split("\\s+")), line);
        }
        assertTrue(r.output().contains("Kubernetes " + TestApps.props().build().kubernetesVersion()), r.output());
    }

    @Test
    void failsNamingTheAddOnWhosePinnedVersionEksDoesNotOffer() throws Exception {
        Path answers = answers("withdrawn", Map.of(EksAddons.COREDNS, true));
        Result r = run(answers);
        assertEquals(1, r.exit(), r.output());
        String line = r.output().lines().filter(l -> l.startsWith(EksAddons.COREDNS + " ")).findFirst().orElseThrow();
        assertTrue(line.contains(" NO "), line);
        assertTrue(r.output().contains("correct EksAddons"), r.output());
    }

    @Test
    void refusesAMissingTemplate() throws Exception {
        Result r = run(answers("none", Map.of()), dir.resolve("absent.json"));
        assertEquals(2, r.exit(), r.output());
        assertTrue(r.output().contains("synthesize first"), r.output());
    }

    /** One describe-addon-versions answer per add-on: a newer build, then the pinned one (the default) unless left out. */
    private static Path answers(String name, Map<String, Boolean> leaveOut) throws IOException {
        Path answers = Files.createDirectories(dir.resolve(name));
        for (var addon : pinned.entrySet()) {
            String newest = "{\"addonVersion\":\"" + newer(addon.getValue()) + "\",\"compatibilities\":[{\"clusterVersion\":"
                    + "\"1.35\",\"defaultVersion\":false}]}";
            String pinnedVersion = "{\"addonVersion\":\"" + addon.getValue() + "\",\"compatibilities\":[{\"clusterVersion\":"
                    + "\"1.35\",\"defaultVersion\":true}]}";
            String versions = leaveOut.getOrDefault(addon.getKey(), false) ? newest : newest + "," + pinnedVersion;
            Files.writeString(answers.resolve(addon.getKey() + ".json"), "{\"addons\":[{\"addonName\":\""
                    + addon.getKey() + "\",\"addonVersions\":[" + versions + "]}]}");
        }
        Path aws = answers.resolve("aws");
        // the stand-in AWS CLI: only `eks describe-addon-versions --kubernetes-version <v> --addon-name <n>`
        Files.writeString(aws, """
                #!/usr/bin/env bash
                [[ "$1 $2" == "eks describe-addon-versions" ]] || { echo "unexpected: $*" >&2; exit 9; }
                while [[ $# -gt 0 ]]; do
                  case "$1" in --addon-name) name=$2; shift ;; --kubernetes-version) k=$2; shift ;; esac; shift
                done
                [[ "$k" == "1.35" ]] || { echo "asked for Kubernetes $k" >&2; exit 9; }
                cat "$(dirname "$0")/$name.json"
                """);
        aws.toFile().setExecutable(true);
        return aws;
    }

    /** v1.2.3-eksbuild.4 -> v1.2.3-eksbuild.5 */
    private static String newer(String version) {
        int build = Integer.parseInt(version.replaceFirst(".*eksbuild\\.", ""));
        return version.replaceFirst("eksbuild\\.\\d+$", "eksbuild." + (build + 1));
    }

    private record Result(int exit, String output) {
    }

    private static Result run(Path aws) throws Exception {
        return run(aws, template);
    }

    private static Result run(Path aws, Path templateFile) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", Path.of("check-addon-versions.sh").toAbsolutePath().toString(),
                templateFile.toString()).redirectErrorStream(true);
        pb.environment().put("AWS", aws.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out);
    }
}
