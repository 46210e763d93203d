#!/usr/bin/env node
import { currentBundle } from "./bundled.js";

// The same program either way: bundled into a few files it starts much faster (one module to load
// instead of about a hundred), so it runs bundled whenever the bundle is current.
const bundle = currentBundle();
if (bundle) await import(bundle.href);
else await import("./cli.js");
