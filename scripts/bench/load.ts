import fs from "node:fs";
import http from "node:http";
import autocannon from "autocannon";

// The two load shapes of `npm run bench`:
// - closed loop: autocannon keeps N connections busy, each sending its next request as soon as
//   the previous answer arrives; the figure is requests per second.
// - fixed rate: an open-loop pacer sends one request every 1/rate seconds whether or not earlier
//   ones have been answered, and times each from its scheduled send time (so a slow server
//   cannot hide queueing, the "coordinated omission" problem). autocannon's own rate limit is not
//   used for this: it sends each connection's quota for a second back to back at the start of
//   that second, which measures bursts, not a steady 50 requests per second.

export type Target = {
  name: string;
  base: string;
  /** Request paths (with query), used round-robin. */
  paths: string[];
  headers: Record<string, string>;
};

export type ClosedLoopResult = {
  connections: number;
  timeouts: number;
  seconds: number;
  requests: number;
  rps: number;
  latency: { p50: number; p97_5: number; p99: number };
  failures: number;
  statusCodes: Record<string, number>;
  rssPeakMb: number;
};

export type FixedRateResult = {
  rate: number;
  seconds: number;
  sent: number;
  answered: number;
  achievedRate: number;
  /** Percentiles in ms; Infinity where the percentile falls among timed-out requests. */
  latency: { p50: number; p95: number; p99: number; max: number };
  /** Non-2xx answers and connection errors. */
  failures: number;
  /** Requests not answered within the client timeout (the server was saturated). */
  timeouts: number;
  statusCodes: Record<string, number>;
  maxInFlight: number;
  rssPeakMb: number;
};

/** Samples a process's resident set size (from /proc, so Linux only) until stopped. */
export function sampleRss(pid: number | undefined, everyMs = 250) {
  let peakKb = 0;
  const read = () => {
    if (!pid) return;
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
      const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? 0);
      peakKb = Math.max(peakKb, kb);
    } catch {
      // Not Linux, or the process is gone: report 0 rather than fail the run.
    }
  };
  read();
  const timer = setInterval(read, everyMs);
  return {
    stop() {
      clearInterval(timer);
      read();
      return Math.round(peakKb / 1024);
    },
  };
}

function rotation(paths: string[], start = 0) {
  let i = start;
  return () => paths[i++ % paths.length]!;
}

export async function closedLoop(
  target: Target,
  { connections, seconds, serverPid }: { connections: number; seconds: number; serverPid?: number },
): Promise<ClosedLoopResult> {
  const next = rotation(target.paths);
  const rss = sampleRss(serverPid);
  const result = await autocannon({
    url: target.base,
    connections,
    duration: seconds,
    timeout: 30,
    headers: target.headers,
    // One dynamic request: every request a connection sends takes the next path in the rotation.
    requests: [{ setupRequest: (request) => ({ ...request, path: next() }) }],
  });
  const rssPeakMb = rss.stop();
  const statusCodes = Object.fromEntries(
    Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]),
  );
  const requests = Object.values(statusCodes).reduce((a, b) => a + b, 0);
  return {
    connections,
    seconds: result.duration,
    requests,
    rps: requests / result.duration,
    latency: { p50: result.latency.p50, p97_5: result.latency.p97_5, p99: result.latency.p99 },
    failures: result.non2xx + result.errors,
    timeouts: result.timeouts,
    statusCodes,
    rssPeakMb,
  };
}

/** Exact percentile (nearest rank) of an ascending list. */
export function percentile(sorted: number[], p: number) {
  if (!sorted.length) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export const TIMEOUT_MS = 30_000;

export async function fixedRate(
  target: Target,
  { rate, seconds, serverPid }: { rate: number; seconds: number; serverPid?: number },
): Promise<FixedRateResult> {
  const next = rotation(target.paths);
  // Enough sockets that a slow answer never delays the next send (which would close the loop).
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const base = new URL(target.base);
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let failures = 0;
  let timeouts = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const rss = sampleRss(serverPid);

  const send = (scheduledAt: number) =>
    new Promise<void>((resolve) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      let settled = false;
      const done = (status: string, ms = performance.now() - scheduledAt) => {
        if (settled) return;
        settled = true;
        inFlight--;
        statusCodes[status] = (statusCodes[status] ?? 0) + 1;
        latencies.push(ms);
        resolve();
      };
      const request = http.request(
        {
          host: base.hostname,
          port: base.port,
          path: next(),
          headers: target.headers,
          agent,
          timeout: TIMEOUT_MS,
        },
        (response) => {
          response.resume(); // read the whole body: the page is only served once it is sent
          response.on("end", () => {
            const code = response.statusCode ?? 0;
            if (code < 200 || code > 299) failures++;
            done(String(code));
          });
        },
      );
      request.on("timeout", () => {
        // Counted as slower than any answer, so percentiles that land here read as "> timeout".
        timeouts++;
        done("timeout", Infinity);
        request.destroy();
      });
      request.on("error", () => {
        if (settled) return;
        failures++;
        done("error");
      });
      request.end();
    });

  const started = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const scheduledAt = started + i * interval;
    const wait = scheduledAt - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(send(scheduledAt));
  }
  // The last request was due at (total - 1) intervals; one more interval closes the window.
  const sendingTook = (performance.now() - started + interval) / 1000;
  await Promise.all(pending);
  const rssPeakMb = rss.stop();
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    rate,
    seconds: round(sendingTook),
    sent: total,
    answered: latencies.length,
    achievedRate: round(total / sendingTook),
    latency: {
      p50: round(percentile(latencies, 50)),
      p95: round(percentile(latencies, 95)),
      p99: round(percentile(latencies, 99)),
      max: round(latencies.filter(Number.isFinite).at(-1) ?? NaN),
    },
    failures,
    timeouts,
    statusCodes,
    maxInFlight,
    rssPeakMb,
  };
}

/**
 * Waits until the server has worked through what earlier runs left behind: requests that a
 * load generator abandoned (at the end of a run, or on timeout) are still served, and would
 * otherwise slow the next run down. The health check queues behind them in the database.
 */
export async function drain(base: string, maxMs = 600_000) {
  const started = performance.now();
  // Done when a health check answers promptly: one slow answer only proves the queue had moved.
  for (;;) {
    const asked = performance.now();
    try {
      const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(maxMs) });
      await res.arrayBuffer();
      if (res.ok && performance.now() - asked < 250) break;
    } catch {
      // timed out or refused: give up below
    }
    if (performance.now() - started > maxMs) throw new Error("The server did not drain its queue.");
    await new Promise((r) => setTimeout(r, 100));
  }
  return Math.round(performance.now() - started);
}
