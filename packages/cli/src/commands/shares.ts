import type { Command } from "commander";
import { type ConnectionFlags, serviceClient } from "../connection.js";
import { formatBytes, say } from "../output.js";

/** `sharelock share list|create|delete|stats`. */
export function registerShareCommands(program: Command, flags: () => ConnectionFlags): void {
  const share = program.command("share").description("list, create, delete and inspect shares");

  share
    .command("list")
    .description("list shares with their quota and lease state")
    .option("--prefix <prefix>", "only shares whose name starts with this")
    .action(async (opts: { prefix?: string }) => {
      const service = await serviceClient(flags());
      for await (const s of service.listShares(opts.prefix ? { nameStartsWith: opts.prefix } : {})) {
        say(`${s.name}\tquota=${s.quota ?? "?"}GiB\tlease=${s.lease.state}`);
      }
    });

  share
    .command("create <name>")
    .description("create a share")
    .option("--quota <GiB>", "quota in GiB", (v) => Number(v))
    .action(async (name: string, opts: { quota?: number }) => {
      await (await serviceClient(flags())).createShare(
        name,
        opts.quota !== undefined ? { quota: opts.quota } : {},
      );
      say(`created share ${name}`);
    });

  share
    .command("delete <name>")
    .description("delete a share (and its snapshots with --snapshots)")
    .option("--lease-id <id>", "the share's lease id, if it is leased")
    .option("--snapshots", "also delete its snapshots")
    .action(async (name: string, opts: { leaseId?: string; snapshots?: boolean }) => {
      await (await serviceClient(flags())).deleteShare(name, {
        ...(opts.leaseId ? { leaseId: opts.leaseId } : {}),
        ...(opts.snapshots ? { deleteSnapshots: "include" as const } : {}),
      });
      say(`deleted share ${name}`);
    });

  share
    .command("stats <name>")
    .description("bytes in use")
    .action(async (name: string) => {
      const stats = await (await serviceClient(flags())).getShareClient(name).getShareStats();
      say(`${name}\t${formatBytes(stats.shareUsageBytes)} (${stats.shareUsageBytes} bytes)`);
    });
}
