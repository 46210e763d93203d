/** A transfer progress bar on stderr (silent when stderr is not a terminal or --quiet is set). */
export async function transferBar(
  label: string,
  quiet: boolean,
): Promise<{ update(loaded: number, total: number): void; stop(): void }> {
  if (quiet || !process.stderr.isTTY) return { update() {}, stop() {} };
  // Loaded only when a bar is drawn: `serve` and the other commands start without it.
  const { default: cliProgress } = await import("cli-progress");
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} bytes | {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(loaded, total) {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.setTotal(total);
      bar.update(loaded);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
