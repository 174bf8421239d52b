#!/usr/bin/env node
/**
 * `npm start`: the setup step, then the embedded stack (`bridge up`) in this very process, so a
 * SIGINT or SIGTERM sent to the process npm started reaches the stack (a `sh -c 'a && b'` script
 * line left the signal with the shell, and the stack ran on). Arguments after `--` go to `up`.
 */
await import('./ensure-setup.mjs');

// npm passes SIGINT and SIGTERM on; if npm itself is killed outright, stop rather than run on unowned.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
}, 1000).unref();

process.argv.splice(2, 0, 'up');
await import('../bin/bridge.js');
