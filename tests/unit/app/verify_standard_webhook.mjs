// Verifies one webhook with the Standard Webhooks reference library (npm "standardwebhooks"), as a
// receiver would. Usage: node verify_standard_webhook.mjs SECRET MSG_ID TIMESTAMP SIGNATURE BODY_FILE
// Exit code: 0 verified, 1 rejected (the library's reason on stderr), 2 usage or setup error.
import { readFileSync } from "node:fs";
import standardwebhooks from "standardwebhooks";

const { Webhook } = standardwebhooks;
const [secret, id, timestamp, signature, bodyFile] = process.argv.slice(2);
if (bodyFile === undefined) {
  console.error("usage: verify_standard_webhook.mjs SECRET MSG_ID TIMESTAMP SIGNATURE BODY_FILE");
  process.exit(2);
}
// The exact bytes we sent, as a receiver's framework hands them over (a Buffer).
const body = readFileSync(bodyFile);
try {
  new Webhook(secret).verify(body, {
    "webhook-id": id,
    "webhook-timestamp": timestamp,
    "webhook-signature": signature,
  });
  process.exit(0);
} catch (error) {
  // verify() also parses the body as JSON: any other error is not a verdict on the signature.
  const rejected = error.name === "WebhookVerificationError";
  console.error(`${rejected ? "rejected" : "error"}: ${error.message}`);
  process.exit(rejected ? 1 : 2);
}
