// PGlite answers in-process, without I/O, so on the embedded database a long run of queries never
// lets the event loop turn. vitest's worker then cannot read its runner's replies, which time out
// after 60 s (a fixed limit) and fail a run whose tests all passed. Long loops in tests yield a
// turn now and then; the integration setup yields after every test.

/** Lets the event loop run once (timers, I/O, messages) before going on. */
export function turnOfTheLoop() {
  return new Promise<void>((resolve) => setImmediate(resolve));
}
