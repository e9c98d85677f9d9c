package org.licensing.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** {@link FingerprintStrategy#host()}: {@code "host-" + hex(SHA-256(UTF-8(productCode + ":" + machineId)))}. */
final class HostFingerprint implements FingerprintStrategy {

    private static final int MAX_MACHINE_ID = 256;

    private final List<Path> candidates;

    HostFingerprint(List<Path> candidates) {
        this.candidates = List.copyOf(candidates);
    }

    @Override
    public String fingerprint(String productCode) throws IOException {
        for (Path p : candidates) {
            String id;
            try {
                if (Files.size(p) > MAX_MACHINE_ID) {
                    throw new IOException("Machine id file " + p + " is larger than " + MAX_MACHINE_ID + " bytes");
                }
                id = Files.readString(p, StandardCharsets.US_ASCII).strip();
            } catch (NoSuchFileException e) {
                continue;
            }
            if (id.isEmpty() || id.equals("uninitialized")) {
                throw new IOException("Machine id file " + p + " holds no machine id");
            }
            return "host-" + sha256Hex(productCode + ":" + id);
        }
        throw new IOException("No machine id: none of " + candidates + " exists (in a container, use"
                + " FingerprintStrategy.kubernetesCluster() or supplied(...))");
    }

    static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 not available", e);
        }
    }
}
