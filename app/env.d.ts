/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />
import "@remix-run/node";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** Per-request CSP nonce from app/server.ts (absent when tests call loaders directly). */
    cspNonce?: string;
  }
}
