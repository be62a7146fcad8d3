// The benchmark's ceiling: a bare Node `http` server that answers every request with the same
// page (the bytes /bench/static rendered, captured by run.ts), with no framework, no routing and
// no database. Run as its own process, like the app, so it gets a CPU of its own the same way.
// Usage: node scripts/bench/raw-server.mjs <port> <page.html>
import fs from "node:fs";
import http from "node:http";

const [port, file] = process.argv.slice(2);
const page = fs.readFileSync(file);
const headers = {
  "Content-Type": "text/html; charset=utf-8",
  "Content-Length": String(page.length),
  "Cache-Control": "no-store",
};
http
  .createServer((req, res) => {
    req.resume();
    res.writeHead(200, headers);
    res.end(page);
  })
  .listen(Number(port), "127.0.0.1", () => console.log(`raw server on ${port}`));
process.on("SIGTERM", () => process.exit(0));
