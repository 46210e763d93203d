import { createReadStream, statSync } from "node:fs";
import type { Command } from "commander";
import { type ConnectionFlags, serviceClient, splitTarget } from "../connection.js";
import { formatBytes, say } from "../output.js";
import { transferBar } from "../progress.js";

interface TransferFlags {
  leaseId?: string;
  concurrency?: number;
  quiet?: boolean;
}

async function fileClientFor(flags: ConnectionFlags, target: string) {
  const { share, path } = splitTarget(target);
  if (!share || !path) throw new Error(`"${target}" must be share/path/to/file`);
  return (await serviceClient(flags)).getShareClient(share).getFileClient(path);
}

/** `sharelock ls|upload|download|rm|mkdir`. */
export function registerFileCommands(program: Command, flags: () => ConnectionFlags): void {
  program
    .command("ls <share[/dir]>")
    .description("list a directory")
    .action(async (target: string) => {
      const { share, path } = splitTarget(target);
      const shareClient = (await serviceClient(flags())).getShareClient(share);
      const dir = path ? shareClient.getDirectoryClient(path) : shareClient.getRootDirectoryClient();
      for await (const item of dir.listDirectoriesAndFiles()) {
        say(item.kind === "directory" ? `${item.name}/` : `${item.name}\t${formatBytes(item.size)}`);
      }
    });

  program
    .command("mkdir <share/dir>")
    .description("create a directory (its parent must exist)")
    .action(async (target: string) => {
      const { share, path } = splitTarget(target);
      await (await serviceClient(flags())).getShareClient(share).getDirectoryClient(path).create();
      say(`created ${share}/${path}/`);
    });

  program
    .command("upload <local> <share/path>")
    .description("upload a local file (4 MiB ranges in parallel, with a progress bar)")
    .option("--lease-id <id>", "the file's lease id, if it is leased")
    .option("--concurrency <n>", "ranges in flight", (v) => Number(v), 4)
    .option("-q, --quiet", "no progress bar")
    .action(async (local: string, target: string, opts: TransferFlags) => {
      const file = await fileClientFor(flags(), target);
      const size = statSync(local).size;
      const bar = await transferBar("upload", opts.quiet === true);
      try {
        await file.uploadFile(createReadStream(local), {
          length: size,
          ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
          ...(opts.leaseId ? { leaseId: opts.leaseId } : {}),
          onProgress: (p) => bar.update(p.loadedBytes, p.totalBytes ?? size),
        });
      } finally {
        bar.stop();
      }
      say(`uploaded ${local} to ${target} (${formatBytes(size)})`);
    });

  program
    .command("download <share/path> <local>")
    .description("download a file (parallel ranges, with a progress bar)")
    .option("--lease-id <id>", "the file's lease id (a condition on reads)")
    .option("--concurrency <n>", "ranges in flight", (v) => Number(v), 4)
    .option("-q, --quiet", "no progress bar")
    .action(async (target: string, local: string, opts: TransferFlags) => {
      const file = await fileClientFor(flags(), target);
      const bar = await transferBar("download", opts.quiet === true);
      let bytes: number;
      try {
        const download = await file.downloadFile({
          ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
          ...(opts.leaseId ? { leaseId: opts.leaseId } : {}),
          onProgress: (p) => bar.update(p.loadedBytes, p.totalBytes ?? p.loadedBytes),
        });
        bytes = await download.toFile(local);
      } finally {
        bar.stop();
      }
      say(`downloaded ${target} to ${local} (${formatBytes(bytes)})`);
    });

  program
    .command("rm <share/path>")
    .description("delete a file")
    .option("--lease-id <id>", "the file's lease id, if it is leased")
    .action(async (target: string, opts: { leaseId?: string }) => {
      await (await fileClientFor(flags(), target)).deleteFile(opts.leaseId ? { leaseId: opts.leaseId } : {});
      say(`deleted ${target}`);
    });
}
