import type { ShareServiceClient } from "@sharelock/client";
import { DEV_ACCOUNT_KEY, DEV_ACCOUNT_NAME } from "@sharelock/server";

/** The connection string used when neither --connection-string nor SHARELOCK_CONNECTION_STRING is set. */
export const LOCAL_CONNECTION_STRING = `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT_NAME};AccountKey=${DEV_ACCOUNT_KEY};FileEndpoint=http://127.0.0.1:10004/${DEV_ACCOUNT_NAME};`;

/** The SDK, loaded only by the client commands (`serve` starts faster and smaller without it). */
export function loadClient(): Promise<typeof import("@sharelock/client")> {
  return import("@sharelock/client");
}

/** Global options every client command takes. */
export interface ConnectionFlags {
  connectionString?: string;
}

/** A service client from the flag, the environment, or the local default server. */
export async function serviceClient(flags: ConnectionFlags): Promise<ShareServiceClient> {
  const cs = flags.connectionString ?? process.env.SHARELOCK_CONNECTION_STRING ?? LOCAL_CONNECTION_STRING;
  const { ShareServiceClient } = await loadClient();
  return ShareServiceClient.fromConnectionString(cs);
}

/** Splits `share/dir/file` into the share and the path below it. */
export function splitTarget(target: string): { share: string; path: string } {
  const clean = target.replace(/^\/+/, "");
  const slash = clean.indexOf("/");
  if (slash < 0) return { share: clean, path: "" };
  return { share: clean.slice(0, slash), path: clean.slice(slash + 1).replace(/\/+$/, "") };
}
