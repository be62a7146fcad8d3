import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

const alias = {
  "~": new URL("./app", import.meta.url).pathname,
  "#emails": new URL("./emails", import.meta.url).pathname,
  "#test": new URL("./test", import.meta.url).pathname,
};

export default defineConfig({
  resolve: { alias },
  server: { port: 3000 },
  build: { target: "es2022" },
  ssr: {
    // Native and WASM packages stay as runtime imports rather than being bundled.
    external: ["@node-rs/argon2", "@electric-sql/pglite", "@prisma/client", "pg"],
  },
  plugins: [
    !process.env.VITEST &&
      remix({
        // A benchmark build (app/routes.ts) goes to its own folder so `npm start` never serves it.
        buildDirectory: process.env.BENCH_BUILD === "1" ? "build-bench" : "build",
        future: {
          v3_fetcherPersist: true,
          v3_relativeSplatPath: true,
          v3_throwAbortReason: true,
          v3_singleFetch: true,
          v3_lazyRouteDiscovery: true,
          v3_routeConfig: true,
        },
      }),
  ],
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.{ts,tsx}"],
          environment: "node",
          setupFiles: ["test/support/time-travel.ts"],
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.{ts,tsx}"],
          environment: "node",
          globalSetup: ["test/integration/global-setup.ts"],
          setupFiles: ["test/support/time-travel.ts", "test/integration/setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: "forks",
        },
      },
      {
        // Whole-system tests: they start the production build (`npm run build` first) as real
        // server processes, on PGlite and on PostgreSQL, and kill or multiply them.
        resolve: { alias },
        test: {
          name: "system",
          include: ["test/system/**/*.test.ts"],
          environment: "node",
          testTimeout: 600_000,
          hookTimeout: 300_000,
          pool: "forks",
          // One file at a time: each starts servers and databases of its own.
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
