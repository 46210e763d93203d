/** The fields of a `ShareError` the CLI prints (checked structurally, so the SDK need not be loaded). */
interface ServiceFailure {
  name: string;
  statusCode?: number;
  errorCode?: string;
  serviceMessage?: string;
  message: string;
}

function isShareError(err: unknown): err is ServiceFailure {
  return err instanceof Error && err.name === "ShareError";
}

/** Writes a line to stdout. */
export function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** A one-line human description of any failure (service errors show status and code). */
export function describeError(err: unknown): string {
  if (isShareError(err)) {
    if (err.errorCode)
      return `${err.statusCode ?? ""} ${err.errorCode}: ${firstLine(err.serviceMessage ?? err.message)}`.trim();
    return err.message;
  }
  return err instanceof Error ? err.message : String(err);
}

function firstLine(s: string): string {
  return s.split("\n")[0] ?? s;
}

/** Bytes as a short human string. */
export function formatBytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}
