/** The `sharelock` program: `serve` and the client commands. */
import { Command } from "commander";
import { registerFileCommands } from "./commands/files.js";
import { registerLeaseCommands } from "./commands/leases.js";
import { registerServe } from "./commands/serve.js";
import { registerShareCommands } from "./commands/shares.js";
import type { ConnectionFlags } from "./connection.js";
import { describeError } from "./output.js";

const program = new Command()
  .name("sharelock")
  .description("Sharelock: an Azure Files-compatible file-share service with first-class leases")
  .option(
    "--connection-string <cs>",
    "where the client commands connect (env SHARELOCK_CONNECTION_STRING; default: the local server on 127.0.0.1:10004)",
  );
const flags = (): ConnectionFlags => program.opts<ConnectionFlags>();
registerServe(program);
registerShareCommands(program, flags);
registerFileCommands(program, flags);
registerLeaseCommands(program, flags);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`sharelock: ${describeError(err)}\n`);
  process.exit(1);
});
