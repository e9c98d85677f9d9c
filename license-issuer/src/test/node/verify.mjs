// Verifies webhook deliveries with npm standardwebhooks (an implementation independent of the issuer's).
// Input (file named by argv[2]): JSON lines {"secret", "headers": {webhook-id, webhook-timestamp, webhook-signature},
// "body"}. Output: one line per input, "ok <type>" or "fail <reason>".
import { readFileSync } from "node:fs";
import { Webhook } from "standardwebhooks";

for (const line of readFileSync(process.argv[2], "utf8").split("\n").filter((l) => l.trim())) {
  const { secret, headers, body } = JSON.parse(line);
  try {
    const event = new Webhook(secret).verify(body, headers);
    console.log(`ok ${event.type}`);
  } catch (e) {
    console.log(`fail ${e.message}`);
  }
}
