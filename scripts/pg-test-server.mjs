// A throwaway PostgreSQL cluster for tests: initdb into a temp folder, start on a free port,
// remove everything on stop. Used when TEST_POSTGRES_URL is not given but server binaries exist.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export function findPostgresBin() {
  if (process.env.PG_BIN && fs.existsSync(path.join(process.env.PG_BIN, "initdb")))
    return process.env.PG_BIN;
  const root = "/usr/lib/postgresql";
  if (!fs.existsSync(root)) return null;
  const versions = fs.readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = path.join(root, v, "bin");
    if (fs.existsSync(path.join(bin, "initdb"))) return bin;
  }
  return null;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

/** initdb refuses to run as root: run the server as the postgres user when we are root. */
function asDbUser(cmd, args) {
  const root = process.getuid?.() === 0;
  return root ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] : [cmd, args];
}

export async function startPostgres() {
  const bin = findPostgresBin();
  if (!bin) throw new Error("No PostgreSQL server binaries found (apt-get install postgresql)");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "exchange-pg-"));
  fs.chmodSync(dir, 0o777);
  const dataDir = path.join(dir, "data");
  const port = await freePort();
  const [c1, a1] = asDbUser(path.join(bin, "initdb"), [
    "-D",
    dataDir,
    "-U",
    "postgres",
    "--auth=trust",
    "-E",
    "UTF8",
    "--locale=C.UTF-8",
  ]);
  execFileSync(c1, a1, { stdio: "ignore" });
  const [c2, a2] = asDbUser(path.join(bin, "postgres"), [
    "-D",
    dataDir,
    "-p",
    String(port),
    "-h",
    "127.0.0.1",
    "-k",
    dir,
    "-c",
    "fsync=off",
    "-c",
    "synchronous_commit=off",
    "-c",
    "full_page_writes=off",
    "-c",
    "max_connections=200",
  ]);
  // The server's log goes to a file. Through a pipe, a parent blocked in spawnSync (a test run)
  // never reads it: the pipe fills and the server stalls, its checkpointer blocked writing a line.
  const logFile = path.join(dir, "server.log");
  const logFd = fs.openSync(logFile, "a");
  const child = spawn(c2, a2, { stdio: ["ignore", "ignore", logFd] });
  fs.closeSync(logFd);
  const log = () => fs.readFileSync(logFile, "utf8");
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await new Promise((resolve, reject) => {
        const s = net.connect(port, "127.0.0.1", () => {
          s.end();
          resolve();
        });
        s.on("error", reject);
      });
      // Accepting TCP is not yet accepting queries; pg_isready tells.
      execFileSync(path.join(bin, "pg_isready"), ["-h", "127.0.0.1", "-p", String(port)], {
        stdio: "ignore",
      });
      break;
    } catch {
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`PostgreSQL did not start:\n${log()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    url,
    async stop() {
      // runuser does not pass signals on to postgres: stop the server itself (fast shutdown).
      const pid = Number(
        fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0],
      );
      try {
        process.kill(pid, "SIGINT");
      } catch {
        // already gone
      }
      await new Promise((r) => (child.exitCode !== null ? r() : child.once("exit", r)));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
