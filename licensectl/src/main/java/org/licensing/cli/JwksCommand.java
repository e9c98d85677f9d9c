package org.licensing.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "jwks", description = {"Download the issuer's public JWK Set (/.well-known/jwks.json) for offline"
        + " verification.", "Needs no token."})
final class JwksCommand extends BaseCommand {

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Write it to FILE (default: standard output)")
    Path out;

    @Option(names = "--url", paramLabel = "URL", description = "Issuer base URL (default: the logged-in one)")
    String url;

    @Override
    public Integer call() {
        IssuerClient issuer = cli.anonymousIssuer(url);
        IssuerClient.Text answer = issuer.getText("/.well-known/jwks.json", "application/jwk-set+json,"
                + " application/json", Map.of());
        JWKSet set;
        try {
            set = JWKSet.parse(answer.body());
        } catch (ParseException e) {
            throw new CliException(ExitCodes.OTHER, "The issuer's /.well-known/jwks.json is not a JWK Set: "
                    + e.getMessage());
        }
        if (set.getKeys().stream().anyMatch(JWK::isPrivate)) {
            throw new CliException(ExitCodes.OTHER, "The issuer's JWK Set holds a private key: refusing to store it");
        }
        List<String> kids = new ArrayList<>();
        set.getKeys().forEach(k -> kids.add(k.getKeyID()));
        if (out == null) {
            cli.out().println(set.toString(true));
            return ExitCodes.OK;
        }
        try {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(out, answer.body());
        } catch (IOException e) {
            throw new CliException(ExitCodes.OTHER, "Cannot write " + out + ": " + e.getMessage());
        }
        if (jsonOutput) {
            cli.printJson(Map.of("file", out.toString(), "kids", kids));
        } else {
            cli.out().println("Saved " + kids.size() + " key(s) " + kids + " from " + issuer.base() + " to " + out);
        }
        return ExitCodes.OK;
    }
}
