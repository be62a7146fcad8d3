import { afterEach } from "vitest";
import { moveProcessClock, processClockIsReal } from "./process-clock";

// Setup file of the unit and integration projects. With TEST_CLOCK set (an ISO instant), every
// test file starts with the process clock at that instant, ticking on from there. `npm run
// test:time-travel` sets it; without it this file does nothing.

const target = process.env.TEST_CLOCK;
if (target) {
  const at = Date.parse(target);
  if (Number.isNaN(at)) throw new Error(`TEST_CLOCK is not an instant: ${target}`);
  const startedAt = performance.now();
  moveProcessClock(at);
  // vi.setSystemTime without fake timers, undone by vi.useRealTimers, restores the engine's Date:
  // travel again, to where this file's clock would be by now.
  afterEach(() => {
    if (processClockIsReal()) moveProcessClock(at + (performance.now() - startedAt));
  });
}
