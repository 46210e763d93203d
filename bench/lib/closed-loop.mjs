/** A closed-loop load: N workers each run one iteration after another for a fixed time. */
import { performance } from "node:perf_hooks";

/**
 * Runs `workers` concurrent loops of `iteration(worker, n)` — each call returns how many operations
 * (requests) it made — through a warm-up and then a measured window of `durationMs`. Operations
 * completing inside the window are counted. `sample()` is called at both ends of the window (e.g. to
 * read the server's CPU time). The first failing iteration stops every worker and is rethrown.
 * Bounded in time (window + 30 s grace for in-flight requests) and in iterations per worker.
 * @param {{ workers: number, warmupMs: number, durationMs: number, maxIterations?: number,
 *   iteration: (worker: number, n: number) => Promise<number>, sample?: () => unknown }} spec
 * @returns {Promise<{ ops: number, iterations: number, seconds: number, opsPerSecond: number,
 *   iterationsPerSecond: number, startSample: unknown, endSample: unknown }>}
 */
export async function closedLoop(spec) {
  const maxIterations = spec.maxIterations ?? 10_000_000;
  let phase = "warmup";
  let ops = 0;
  let iterations = 0;
  let failure;
  let t0 = 0;
  let t1 = 0;
  let startSample;
  let endSample;
  const begin = () => {
    if (phase !== "warmup") return;
    startSample = spec.sample?.();
    t0 = performance.now();
    phase = "measure";
  };
  const end = () => {
    if (phase !== "measure") return;
    t1 = performance.now();
    endSample = spec.sample?.();
    phase = "done";
  };
  const timers = [];
  if (spec.warmupMs > 0) timers.push(setTimeout(begin, spec.warmupMs));
  else begin();
  timers.push(setTimeout(end, spec.warmupMs + spec.durationMs));

  const worker = async (w) => {
    for (let n = 0; phase !== "done" && failure === undefined && n < maxIterations; n++) {
      try {
        const done = await spec.iteration(w, n);
        if (phase === "measure") {
          ops += done;
          iterations += 1;
        }
      } catch (err) {
        failure ??= err;
        phase = "done";
      }
    }
  };
  let guard;
  const deadline = new Promise((_, reject) => {
    guard = setTimeout(
      () => reject(new Error("load did not wind down in time")),
      spec.warmupMs + spec.durationMs + 30_000,
    );
  });
  try {
    await Promise.race([Promise.all(Array.from({ length: spec.workers }, (_, w) => worker(w))), deadline]);
  } finally {
    for (const timer of timers) clearTimeout(timer);
    clearTimeout(guard);
  }
  if (failure !== undefined) throw failure;
  if (phase === "measure") end();
  const seconds = (t1 - t0) / 1000;
  if (!(seconds > 0) || iterations === 0)
    throw new Error("no iteration completed inside the measured window");
  return {
    ops,
    iterations,
    seconds,
    opsPerSecond: ops / seconds,
    iterationsPerSecond: iterations / seconds,
    startSample,
    endSample,
  };
}
