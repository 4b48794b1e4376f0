#!/usr/bin/env node
/** Entry point of the `safax-xacml` command: real files and streams around runCli. */
import { readFileSync, writeFileSync } from 'node:fs';
import { runCli } from './run-cli';

runCli(process.argv.slice(2), {
  readFile: (p) => readFileSync(p, 'utf8'),
  writeFile: (p, t) => writeFileSync(p, t),
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`internal error: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 3;
  },
);
