#!/usr/bin/env node
import { Command } from "commander";
import { registerServe } from "./commands/serve.js";

const program = new Command()
  .name("sharelock")
  .description("Sharelock: an Azure Files-compatible file-share service with first-class leases");
registerServe(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`sharelock: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
