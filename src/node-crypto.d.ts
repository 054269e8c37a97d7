// The one Node module Sprout uses, through the `nodejs_compat` flag: workerd implements
// node:crypto's Hmac and Hash natively and synchronously. Declared here rather than by
// adding Node's whole type library (with its globals) to the Worker's code; the Node-side configs
// (tsconfig.node.json, tsconfig.bench.json) use @types/node instead.
declare module "node:crypto" {
  interface Hmac {
    update(data: string | Uint8Array): Hmac;
    digest(): Uint8Array;
  }
  interface Hash {
    update(data: string | Uint8Array): Hash;
    digest(encoding: "hex"): string;
  }
  export function createHmac(algorithm: "sha256", key: string | Uint8Array): Hmac;
  export function createHash(algorithm: "sha256"): Hash;
}
