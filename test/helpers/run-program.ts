import { execFile } from "node:child_process";
import { existsSync } from "node:fs";

/** What a finished program left behind. */
export interface ProgramResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a program without blocking the event loop (the server under test lives in this process),
 * killing it after `timeoutMs`. Never rejects: a failure is in `code`/`stderr`.
 */
export function runProgram(
  file: string,
  args: string[],
  opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<ProgramResult> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      {
        timeout: opts.timeoutMs ?? 120_000,
        maxBuffer: 16 * 1024 * 1024,
        env: opts.env ?? process.env,
        ...(opts.cwd ? { cwd: opts.cwd } : {}),
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : null) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/** `SHARELOCK_SKIP_EXTERNAL_CLIENTS=1` skips the tests that drive other programs, on purpose and visibly. */
export const skipExternalClients: string | false =
  process.env.SHARELOCK_SKIP_EXTERNAL_CLIENTS === "1" ? "SHARELOCK_SKIP_EXTERNAL_CLIENTS=1" : false;

/**
 * Fails loudly when an external client the tests need is missing, saying how to install it
 * (`.ci/run` installs them).
 */
export function requireProgram(path: string, install: string): void {
  if (!existsSync(path)) {
    throw new Error(
      `${path} is missing: install it with \`${install}\` (or set SHARELOCK_SKIP_EXTERNAL_CLIENTS=1)`,
    );
  }
}
