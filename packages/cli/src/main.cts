#!/usr/bin/env node
// The `sharelock` command. CommonJS, so that node starts it without its ES module loader.
import bundled = require("./bundled.cjs");
import codeCache = require("./code-cache.cjs");

// The same program either way. Bundled into one file it starts much faster (one file to load instead
// of about a hundred modules, compiled from V8's code cache), so it runs bundled whenever the bundle
// is current.
const bundle = bundled.currentBundle();
if (bundle) codeCache.runCommonJsWithCodeCache(bundle);
else void import("./cli.js");
