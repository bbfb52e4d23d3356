// RT_BUILD_DIR names a separate build (kept under .builds/ so Node still finds
// node_modules): parallel work on one machine builds without clobbering.
// app/server.ts and tests/support/e2e.ts resolve it the same way.
const name = (process.env.RT_BUILD_DIR || "").replace(/[^a-zA-Z0-9-]+/g, "-").replace(/^-+|-+$/g, "");
const out = name ? `.builds/${name}` : ".";

/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.*"],
  serverModuleFormat: "esm",
  serverPlatform: "node",
  serverBuildPath: `${out}/build/index.js`,
  assetsBuildDirectory: `${out}/public/build`,
  publicPath: "/build/",
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: false,
  },
};
