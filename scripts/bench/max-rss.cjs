// Preloaded into a benchmarked Node process (NODE_OPTIONS=--require): on exit it appends the
// process's peak resident set size in bytes to the file named by SNOWGOV_BENCH_RSS_FILE, and its
// CPU time (user and system, every thread) in seconds to SNOWGOV_BENCH_CPU_FILE when that is set.
'use strict';
/* global require, process */
/* eslint-disable @typescript-eslint/no-require-imports -- preloaded with `node --require`, so CommonJS */
const { appendFileSync } = require('node:fs');

const target = process.env.SNOWGOV_BENCH_RSS_FILE;
if (target) {
  process.on('exit', () => {
    appendFileSync(target, `${process.resourceUsage().maxRSS * 1024}\n`);
  });
}

const cpuTarget = process.env.SNOWGOV_BENCH_CPU_FILE;
if (cpuTarget) {
  process.on('exit', () => {
    const { user, system } = process.cpuUsage();
    appendFileSync(cpuTarget, `${(user + system) / 1e6}\n`);
  });
}
