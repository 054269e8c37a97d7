import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/config";

// RESEND_WEBHOOK_SECRET (SPEC sections 8 and 9) is parsed once with the rest of the
// configuration. A malformed one is an error of the webhook route only: the rest of Sprout
// must keep working, so it is a warning here, never a configuration error.
const secretOf = (value: string | undefined) => {
  const config = parseConfig({ ...env, RESEND_WEBHOOK_SECRET: value } as Env);
  if (!config.ok) throw new Error("configuration refused");
  return { setting: config.value.resendWebhook, warnings: config.value.warnings };
};

describe("RESEND_WEBHOOK_SECRET", () => {
  it("unset or blank: the webhook is off, with no warning", () => {
    for (const value of [undefined, "", "   "]) {
      expect(secretOf(value)).toEqual({ setting: { kind: "unset" }, warnings: [] });
    }
  });

  it("whsec_ and base64, as Resend shows it (surrounding space trimmed)", () => {
    const secret = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
    expect(secretOf(` ${secret}\n`).setting).toEqual({ kind: "set", secret });
    expect(secretOf("whsec_c2VjcmV0").setting).toEqual({ kind: "set", secret: "whsec_c2VjcmV0" });
  });

  it.each([
    ["no prefix", "C2FVsBQIhrscChlQIMV+b5sSYspob7oD"],
    ["another credential", "re_123456789abcdef"],
    ["the prefix alone", "whsec_"],
    ["not base64", "whsec_abc def"],
    ["base64url, not base64", "whsec_C2FVsBQIhrscChlQIMV-b5sSYspob7oD"],
    ["a length base64 cannot have", "whsec_abcde"],
    ["the prefix in capitals", "WHSEC_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"],
  ])("%s: invalid, with a warning, and Sprout still configured", (_, value) => {
    const { setting, warnings } = secretOf(value);
    expect(setting).toEqual({ kind: "invalid" });
    expect(warnings.join(" ")).toContain("RESEND_WEBHOOK_SECRET is not whsec_ followed by base64");
    // The warning never repeats the value (a secret, or another credential pasted here).
    const key = value.replace(/^whsec_/i, "");
    if (key !== "") expect(warnings.join(" ")).not.toContain(key);
  });
});
