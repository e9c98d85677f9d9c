package org.licensing.cli;

import java.nio.file.Path;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "login", description = {"Store the issuer URL and a back-office token (JWT) in the config file"
        + " (mode 0600).", "Checks the token against the issuer first unless --no-check."})
final class LoginCommand extends BaseCommand {

    @Option(names = "--url", required = true, paramLabel = "URL", description = "Issuer base URL, e.g."
            + " http://localhost:8080")
    String url;

    @Option(names = "--token", required = true, paramLabel = "TOKEN", description = "Bearer token; '-' reads it"
            + " from standard input (keeps it out of the shell history)")
    String token;

    @Option(names = "--no-check", description = "Store without asking the issuer")
    boolean noCheck;

    @Override
    public Integer call() {
        String t = cli.valueOrStdin(token, "the token");
        if (t.isBlank() || t.chars().anyMatch(c -> c <= 0x20 || c > 0x7e)) {
            throw usage("The token must be non-empty printable ASCII without spaces");
        }
        String base = IssuerClient.baseUri(url).toString();
        if (!noCheck) {
            IssuerClient client = cli.client(base, t);
            try {
                // Any read the token's roles allow: an unknown customer's (empty) license list.
                client.get("/v1/licenses" + IssuerClient.query(Map.of("customerId",
                        "00000000-0000-0000-0000-000000000000", "limit", 1)));
            } catch (ApiException e) {
                if (e.status() == 401) {
                    throw new CliException(ExitCodes.AUTH, "The issuer rejected the token: " + e.getMessage()
                            + " (nothing stored)");
                }
                if (e.status() == 403) {
                    cli.err().println("licensectl: warning: the token may not read licenses (" + e.getMessage()
                            + ")");
                }
            }
        }
        Path file = Config.save(cli.env(), cli.json(), base, t);
        if (jsonOutput) {
            cli.printJson(Map.of("url", base, "config", file.toString()));
        } else {
            cli.out().println("Logged in to " + base + " (saved to " + file + ")");
        }
        return ExitCodes.OK;
    }
}
