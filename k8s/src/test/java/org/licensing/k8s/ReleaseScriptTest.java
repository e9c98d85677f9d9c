package org.licensing.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs k8s/release.sh on a copy of the manifests with a stand-in for the AWS CLI (no AWS, no container engine here):
 * the outputs it writes, the one build command per image, the digests it pins, the overlay it renders.
 */
class ReleaseScriptTest {

    private static final Path K8S = Path.of(System.getProperty("k8s.dir", "."));
    private static final Map<String, String> REPOSITORY_OUTPUT = Map.of("license-issuer", "IssuerImageRepositoryUri",
            "license-validator", "ValidatorImageRepositoryUri", "notification-service", "NotificationImageRepositoryUri",
            "back-office", "BackOfficeImageRepositoryUri");

    /**
     * The AWS CLI as the script calls it: the stack outputs (from the committed sample), a digest per repository once
     * the image "is pushed" (a marker file, or always with STUB_ALL_PUSHED), a login password.
     */
    private static final String AWS_STUB = """
            #!/usr/bin/env bash
            case "$1 $2" in
              "cloudformation describe-stacks")
                grep -v '^#' "$STUB_OUTPUTS" | grep = | sed 's/=/\\t/' ;;
              "ecr describe-images")
                repo=""; for a in "$@"; do case "$a" in licensing/*) repo=$a ;; esac; done
                echo "$*" >> "$STUB_DIR/ecr.log"
                if [[ -n "${STUB_ALL_PUSHED:-}" || -e "$STUB_DIR/pushed-${repo#licensing/}" ]]; then
                  printf 'sha256:%s\\n' "$(printf '%s' "$repo" | sha256sum | cut -c1-64)"
                else
                  echo None
                fi ;;
              "ecr get-login-password") echo not-a-real-password ;;
              "secretsmanager get-secret-value") echo '{"username":"u","password":"p"}' ;;
              "cognito-idp describe-user-pool-client") echo not-a-real-client-secret ;;
              *) echo "unexpected: aws $*" >&2; exit 1 ;;
            esac
            """;

    @TempDir
    Path work;

    @Test
    void scriptIsExecutableBash() throws Exception {
        Path script = K8S.resolve("release.sh");
        assertTrue(Files.isExecutable(script), "release.sh must be executable");
        assertEquals(0, run(List.of("bash", "-n", script.toString()), Map.of()).exit, "bash -n release.sh");
        String text = Files.readString(script);
        assertTrue(text.contains("\"$KUSTOMIZE\" edit set image \"$SERVICE@${DIGEST[$SERVICE]}\""), "pins with kustomize");
        assertEquals(1, text.lines().filter(l -> l.startsWith("BUILD_CMD=")).count(), "one build command variable");
    }

    @Test
    void pinsTheDigestsEcrReportsAndRendersTheOverlayWithThem() throws Exception {
        Path copy = copyManifests();
        Result result = release(copy, Map.of("STUB_ALL_PUSHED", "1", "IMAGE_TAG", "0.2.0"), "--skip-build");
        assertEquals(0, result.exit, result.output);
        assertRendersEachImageAtItsDigest(copy);
        // the outputs file is rewritten from CloudFormation
        assertTrue(Files.readString(copy.resolve("overlays/prod/stack-outputs.env"))
                .startsWith("# Outputs of the CDK stack LicensingPlatform, written by k8s/release.sh."));
        assertTrue(result.output.contains("not applied"), result.output);
        // the tag is recorded in the overlay, for --apply
        assertEquals("0.2.0\n", Files.readString(copy.resolve("overlays/prod/release-tag")));
    }

    /**
     * --apply applies what was rendered and committed: the recorded tag (no IMAGE_TAG, no git describe), the pinned
     * digests checked against ECR's for that tag, nothing built or re-pinned; a digest that no longer matches stops it.
     */
    @Test
    void applyReusesTheRecordedTagAndThePinnedDigests() throws Exception {
        Path copy = copyManifests();
        Result render = release(copy, Map.of("STUB_ALL_PUSHED", "1", "IMAGE_TAG", "0.2.0"), "--skip-build");
        assertEquals(0, render.exit, render.output);
        String kustomization = Files.readString(copy.resolve("overlays/prod/kustomization.yaml"));
        Files.deleteIfExists(work.resolve("ecr.log"));
        // kubectl: the real one renders; everything that would touch a cluster is logged instead
        Path kubectl = work.resolve("kubectl");
        Files.writeString(kubectl, "#!/usr/bin/env bash\n"
                + "case \"$1\" in kustomize) exec \"$REAL_KUBECTL\" \"$@\" ;; get) exit 1 ;; esac\n"
                + "echo \"$*\" >> \"$STUB_DIR/kubectl.log\"\n"
                + "if [[ \"$*\" == *'-f -'* ]]; then cat > /dev/null; fi\n");
        kubectl.toFile().setExecutable(true);
        Path bundle = work.resolve("rds.pem");
        Files.writeString(bundle, "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n");
        Path trust = work.resolve("jwks.json");
        Files.writeString(trust, "{\"keys\":[]}");
        Map<String, String> env = Map.of("STUB_ALL_PUSHED", "1", "KUBECTL", kubectl.toString(),
                "REAL_KUBECTL", Rendered.kubectl(), "RDS_CA_BUNDLE", bundle.toString(),
                "JWT_TRUST_FILE", trust.toString(),
                "BUILD_CMD", "touch \"$STUB_DIR/built-$SERVICE\"");
        Result apply = release(copy, env, "--apply");
        assertEquals(0, apply.exit, apply.output);
        assertEquals(kustomization, Files.readString(copy.resolve("overlays/prod/kustomization.yaml")), "re-pinned");
        try (Stream<Path> files = Files.list(work)) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().startsWith("built-")).toList());
        }
        List<String> lookups = Files.readAllLines(work.resolve("ecr.log"));
        assertEquals(4, lookups.size(), lookups::toString);
        assertTrue(lookups.stream().allMatch(l -> l.contains("imageTag=0.2.0")), lookups::toString);
        assertTrue(Files.readAllLines(work.resolve("kubectl.log")).contains("apply -f " + copy.resolve("target/prod.yaml")));
        assertRendersEachImageAtItsDigest(copy);
        // a tag other than the recorded one, or a digest ECR no longer reports for it, stops before any change
        Result otherTag = release(copy, Map.of("STUB_ALL_PUSHED", "1", "IMAGE_TAG", "0.9.0"), "--apply");
        assertNotEquals(0, otherTag.exit);
        assertTrue(otherTag.output.contains("the overlay records 0.2.0"), otherTag.output);
        Files.writeString(copy.resolve("overlays/prod/kustomization.yaml"),
                kustomization.replace(sha256("licensing/back-office"), "0".repeat(64)));
        Result moved = release(copy, env, "--apply");
        assertNotEquals(0, moved.exit);
        assertTrue(moved.output.contains("the overlay pins sha256:" + "0".repeat(64)), moved.output);
    }

    @Test
    void buildsAndPushesEachImageWithTheOneBuildCommand() throws Exception {
        Path copy = copyManifests();
        Path engine = work.resolve("engine");
        Files.writeString(engine, "#!/usr/bin/env bash\necho \"$* $(cat)\" >> \"$STUB_DIR/engine.log\"\n");
        engine.toFile().setExecutable(true);
        Result result = release(copy, Map.of("IMAGE_TAG", "0.3.0",
                "CONTAINER_ENGINE", engine.toString(),
                "BUILD_CMD", "echo \"$SERVICE $IMAGE $QUARKUS_CONTAINER_IMAGE_USERNAME\" >> \"$STUB_DIR/builds\"; "
                        + "touch \"$STUB_DIR/pushed-$SERVICE\""));
        assertEquals(0, result.exit, result.output);
        Map<String, String> outputs = OverlaysTest.stackOutputs();
        List<String> builds = Files.readAllLines(work.resolve("builds"));
        assertEquals(List.of(
                "license-issuer " + outputs.get("IssuerImageRepositoryUri") + ":0.3.0 AWS",
                "license-validator " + outputs.get("ValidatorImageRepositoryUri") + ":0.3.0 AWS",
                "notification-service " + outputs.get("NotificationImageRepositoryUri") + ":0.3.0 AWS",
                "back-office " + outputs.get("BackOfficeImageRepositoryUri") + ":0.3.0 AWS"), builds);
        // a container engine, where there is one, is logged in to the registry (password on stdin)
        String registry = outputs.get("IssuerImageRepositoryUri").split("/")[0];
        assertEquals(List.of("login --username AWS --password-stdin " + registry + " not-a-real-password"),
                Files.readAllLines(work.resolve("engine.log")));
        assertRendersEachImageAtItsDigest(copy);
    }

    @Test
    void refusesADirtyTreeAndAMissingImage() throws Exception {
        Path copy = copyManifests();
        Path outputs = copy.resolve("overlays/prod/stack-outputs.env");
        String before = Files.readString(outputs);
        Result dirty = release(copy, Map.of("IMAGE_TAG", "0.3.0-dirty"), "--skip-build");
        assertNotEquals(0, dirty.exit);
        assertTrue(dirty.output.contains("uncommitted changes"), dirty.output);
        // refused before anything in the tree was written (a rewritten tracked file would itself make the tree dirty)
        assertEquals(before, Files.readString(outputs));
        Result missing = release(copy, Map.of("IMAGE_TAG", "0.4.0"), "--skip-build");
        assertNotEquals(0, missing.exit);
        assertTrue(missing.output.contains("is not in ECR and --skip-build was given"), missing.output);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private void assertRendersEachImageAtItsDigest(Path copy) throws Exception {
        Rendered prod = Rendered.parse("release", Files.readString(copy.resolve("target/prod.yaml")));
        Map<String, String> outputs = OverlaysTest.stackOutputs();
        List<Deployment> services = prod.in(OverlaysTest.NAMESPACE, Deployment.class);
        assertEquals(OverlaysTest.DEPLOYMENTS.size(), services.size());
        for (Deployment d : services) {
            // the webhook deliverer runs the issuer's image: its repository and pinned digest
            String name = d.getMetadata().getName().equals(OverlaysTest.DELIVERER) ? "license-issuer"
                    : d.getMetadata().getName();
            String expected = outputs.get(REPOSITORY_OUTPUT.get(name)) + "@sha256:" + sha256("licensing/" + name);
            assertEquals(expected, d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage(), name);
            assertTrue(Files.readString(copy.resolve("overlays/prod/kustomization.yaml"))
                    .contains("  - name: " + name + "\n    digest: sha256:" + sha256("licensing/" + name)), name);
        }
    }

    private Path copyManifests() throws IOException {
        Path copy = work.resolve("k8s");
        for (String part : List.of("base", "overlays", "cluster-autoscaler")) {
            try (Stream<Path> files = Files.walk(K8S.resolve(part))) {
                for (Path f : files.toList()) {
                    Path target = copy.resolve(K8S.relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        Path script = copy.resolve("release.sh");
        Files.copy(K8S.resolve("release.sh"), script);
        script.toFile().setExecutable(true);
        Path aws = work.resolve("aws");
        Files.writeString(aws, AWS_STUB);
        aws.toFile().setExecutable(true);
        return copy;
    }

    private Result release(Path copy, Map<String, String> env, String... args) throws Exception {
        java.util.Map<String, String> all = new java.util.HashMap<>(env);
        all.put("AWS", work.resolve("aws").toString());
        all.put("STUB_DIR", work.toString());
        all.put("STUB_OUTPUTS", K8S.resolve("overlays/prod/stack-outputs.env").toString());
        all.putIfAbsent("KUBECTL", Rendered.kubectl());
        all.put("KUSTOMIZE", "/nonexistent/kustomize"); // the built-in edit; kustomize is not installed here
        List<String> command = new java.util.ArrayList<>(List.of(copy.resolve("release.sh").toString()));
        command.addAll(List.of(args));
        return run(command, all);
    }

    private static Result run(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Result(p.exitValue(), output);
    }

    private static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    private record Result(int exit, String output) {
    }
}
