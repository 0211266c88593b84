#!/usr/bin/env node
// CommonJS (bin/package.json), so starting the CLI loads no ES module machinery: see dist/bundle/start.cjs.
require('../dist/bundle/start.cjs').main();
