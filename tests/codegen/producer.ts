// Sends one of each declared event through the generated module (tests/codegen.rs):
//   node producer.js BASE_URL TOKEN
// The transport posts each event to BASE_URL/events as user-1001 and prints the body it posted
// as one JSON line, which the test checks with `events validate`. Loopback addresses only.
import { loggedIn, signedUp, upgradedPlan, Transport } from "./intercom_events";

declare const process: { argv: string[]; exitCode: number };

const [base, token] = process.argv.slice(2);
if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(base ?? "")) {
  throw new Error(`not a loopback sandbox URL: ${base}`);
}
let createdAt = 1_700_000_000;
const transport: Transport = async (eventName, metadata) => {
  const body = { event_name: eventName, created_at: createdAt++, user_id: "user-1001", metadata };
  const response = await fetch(`${base}/events`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (response.status !== 202) {
    throw new Error(`POST /events answered ${response.status}: ${await response.text()}`);
  }
  console.log(JSON.stringify(body));
};

async function main(): Promise<void> {
  await signedUp(transport, { plan: "pro" });
  await upgradedPlan(transport, {
    seats: 3,
    renewal_date: new Date(Date.UTC(2030, 0, 1)),
    invoice: "https://example.com/i/1",
    doc: { url: "https://example.com/d", value: "Doc" },
    amount: { amount: 4900, currency: "eur" },
    "plan-tier": "gold",
  });
  await loggedIn(transport);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
