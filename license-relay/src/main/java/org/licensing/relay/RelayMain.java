package org.licensing.relay;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import org.licensing.relay.usage.ReportCommand;

/**
 * The jar's entry: no arguments (or Quarkus' own) runs the relay; {@code report ...} runs the report command in
 * plain Java, without starting the HTTP server, so it works beside a running relay and on a stopped one.
 */
@QuarkusMain
public final class RelayMain {

    private RelayMain() {
    }

    public static void main(String... args) {
        if (args.length > 0 && ("report".equals(args[0]) || "help".equals(args[0]) || "--help".equals(args[0]))) {
            System.exit(ReportCommand.run(args, System.out, System.err, System.getenv()));
        }
        Quarkus.run(args);
    }
}
