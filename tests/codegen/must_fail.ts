// Calls the generated module must refuse (tests/codegen.rs): each `@ts-expect-error` is an
// error when the call type-checks, so a module typed `any` fails `tsc --strict` here.
import { signedUp, upgradedPlan, Transport } from "./intercom_events";

const transport: Transport = () => undefined;

// @ts-expect-error: "gold" is not one of the declared plans
signedUp(transport, { plan: "gold" });
// @ts-expect-error: `plan` is required
signedUp(transport, {});
// @ts-expect-error: `seats` is a number
upgradedPlan(transport, { seats: "3" });
// @ts-expect-error: `nope` is not a declared key
upgradedPlan(transport, { seats: 3, nope: 1 });
