import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";

// Running the production server as a child process, for the scripts that measure it (the
// benchmark, Lighthouse): a free port, the process with its output in a log file, a clean stop,
// and waiting until it serves.

/**
 * How `npm start` runs the server (package.json): the environment it sets through cross-env and
 * the flags it gives node, so that what is measured is the server as deployed.
 */
export function npmStartCommand(packageJson: string): {
  env: Record<string, string>;
  nodeArgs: string[];
} {
  const start = (JSON.parse(fs.readFileSync(packageJson, "utf8")) as { scripts: { start: string } })
    .scripts.start;
  const words = start.split(/\s+/);
  const node = words.indexOf("node");
  const server = words.indexOf("build/server.js");
  if (node < 0 || server < node)
    throw new Error(`npm start does not run node build/server.js: ${start}`);
  const env = Object.fromEntries(
    words
      .slice(0, node)
      .filter((w) => /^[A-Z_][A-Z0-9_]*=/.test(w))
      .map((w) => [w.slice(0, w.indexOf("=")), w.slice(w.indexOf("=") + 1)]),
  );
  return { env, nodeArgs: words.slice(node + 1, server) };
}

/** A free local port (never 3210, which the demo server may hold). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => (port === 3210 ? freePort().then(resolve, reject) : resolve(port)));
    });
  });
}

export type ServerProcess = {
  child: ChildProcess;
  /** The signal or exit code once the process has ended, else null. */
  exited(): string | null;
  /** SIGTERM (the app server closes its database cleanly), SIGKILL after 20 s. */
  stop(): Promise<void>;
};

/** Starts `node <args>` with its stdout and stderr written to `log`. */
export function spawnNode(args: string[], env: NodeJS.ProcessEnv, log: string): ServerProcess {
  const logStream = fs.createWriteStream(log);
  const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.pipe(logStream);
  child.stderr!.pipe(logStream);
  let exited: string | null = null;
  const exit = new Promise<void>((resolve) =>
    child.on("exit", (code, signal) => {
      exited = signal ?? `exit ${code}`;
      resolve();
    }),
  );
  return {
    child,
    exited: () => exited,
    async stop() {
      if (exited) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      await exit;
      clearTimeout(timer);
    },
  };
}

/**
 * Polls `url` until it answers 2xx. Throws with the log's tail if the process ends first, and
 * stops it if it is not serving within `timeoutMs`.
 */
export async function waitUntilServing(
  server: ServerProcess,
  url: string,
  log: string,
  { timeoutMs = 180_000, everyMs = 20 } = {},
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const exited = server.exited();
    if (exited) {
      const tail = fs.readFileSync(log, "utf8").split("\n").slice(-30).join("\n");
      throw new Error(`The server stopped (${exited}) before it was ready:\n${tail}`);
    }
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`The server was not serving ${url} within ${timeoutMs / 1000} s.`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
