import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, test } from "vitest";

const run = promisify(execFile);

// An operator with a typo must learn which variable is wrong before anything starts.
test(
  "the server refuses to start with bad variables and names each one",
  { timeout: 60_000 },
  async () => {
    const result = await run("npx", ["tsx", "server/index.ts"], {
      env: {
        ...process.env,
        PORT: "not-a-port",
        DATABASE_URL: "mysql://root@localhost/x",
        SESSION_IDLE_MINUTES: "0",
      },
    }).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(result?.code).toBe(1);
    expect(result?.stderr).toContain("Invalid environment configuration");
    expect(result?.stderr).toMatch(/PORT: /);
    expect(result?.stderr).toMatch(/DATABASE_URL: must start with postgresql:\/\//);
    expect(result?.stderr).toMatch(/SESSION_IDLE_MINUTES: /);
  },
);
