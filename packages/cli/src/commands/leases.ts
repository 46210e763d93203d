import type { ShareLeaseClient } from "@sharelock/client";
import type { Command } from "commander";
import { type ConnectionFlags, loadClient, serviceClient, splitTarget } from "../connection.js";
import { say } from "../output.js";

/** The lease client for `share` or `share/path/to/file`. */
async function leaseFor(flags: ConnectionFlags, target: string, id?: string): Promise<ShareLeaseClient> {
  const { share, path } = splitTarget(target);
  const shareClient = (await serviceClient(flags)).getShareClient(share);
  const { ShareLeaseClient } = await loadClient();
  return new ShareLeaseClient(path ? shareClient.getFileClient(path) : shareClient, id);
}

async function showLease(flags: ConnectionFlags, target: string): Promise<void> {
  const { share, path } = splitTarget(target);
  const shareClient = (await serviceClient(flags)).getShareClient(share);
  const props = path
    ? await shareClient.getFileClient(path).getFileProperties()
    : await shareClient.getShareProperties();
  const { status, state, duration } = props.lease;
  say(`${target}\tstatus=${status}\tstate=${state}${duration ? `\tduration=${duration}` : ""}`);
}

/** `sharelock lease acquire|renew|change|release|break|show` on a share or a file. */
export function registerLeaseCommands(program: Command, flags: () => ConnectionFlags): void {
  const lease = program.command("lease").description("leases on a share (`share`) or a file (`share/path`)");

  lease
    .command("acquire <target>")
    .description("acquire a lease; prints its id")
    .option("--duration <seconds>", "-1 (infinite, default) or 15-60", (v) => Number(v), -1)
    .option("--id <leaseId>", "propose this lease id")
    .action(async (target: string, opts: { duration: number; id?: string }) => {
      const client = await leaseFor(flags(), target, opts.id);
      await client.acquire({ leaseDuration: opts.duration });
      say(client.id);
    });

  lease
    .command("renew <target>")
    .requiredOption("--id <leaseId>", "the lease id")
    .action(async (target: string, opts: { id: string }) => {
      await (await leaseFor(flags(), target, opts.id)).renew();
      say(`renewed ${opts.id}`);
    });

  lease
    .command("change <target>")
    .requiredOption("--id <leaseId>", "the current lease id")
    .requiredOption("--to <leaseId>", "the new lease id")
    .action(async (target: string, opts: { id: string; to: string }) => {
      const client = await leaseFor(flags(), target, opts.id);
      await client.change(opts.to);
      say(client.id);
    });

  lease
    .command("release <target>")
    .requiredOption("--id <leaseId>", "the lease id")
    .action(async (target: string, opts: { id: string }) => {
      await (await leaseFor(flags(), target, opts.id)).release();
      say(`released ${opts.id}`);
    });

  lease
    .command("break <target>")
    .description("break the lease; prints the seconds until it is broken")
    .option("--period <seconds>", "break period 0-60 (default: now)", (v) => Number(v))
    .action(async (target: string, opts: { period?: number }) => {
      const remaining = await (await leaseFor(flags(), target)).breakLease(
        opts.period !== undefined ? { leaseBreakPeriod: opts.period } : {},
      );
      say(String(remaining));
    });

  lease
    .command("show <target>")
    .description("lease status, state and duration")
    .action(async (target: string) => showLease(flags(), target));
}
