import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { npmStartCommand } from "../../scripts/lib/server-process";

function packageWithStart(start: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "start-"));
  const file = path.join(dir, "package.json");
  fs.writeFileSync(file, JSON.stringify({ scripts: { start } }));
  return file;
}

describe("npmStartCommand", () => {
  it("gives the measuring scripts the environment and node flags npm start uses", () => {
    expect(
      npmStartCommand(
        packageWithStart(
          "cross-env NODE_ENV=production MALLOC_ARENA_MAX=1 node --max-old-space-size=128 build/server.js",
        ),
      ),
    ).toEqual({
      env: { NODE_ENV: "production", MALLOC_ARENA_MAX: "1" },
      nodeArgs: ["--max-old-space-size=128"],
    });
  });

  it("reads this repository's own start script", () => {
    const { env, nodeArgs } = npmStartCommand(path.resolve("package.json"));
    expect(env.NODE_ENV).toBe("production");
    expect(nodeArgs.every((a) => a.startsWith("--"))).toBe(true);
  });

  it("refuses a start script that does not run the built server", () => {
    expect(() => npmStartCommand(packageWithStart("remix-serve build/index.js"))).toThrow(
      /does not run node build\/server.js/,
    );
  });
});
