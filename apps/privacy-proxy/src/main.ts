#!/usr/bin/env node
/** Entry point of `safax-privacy-proxy`. */
import { run } from './cli';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, readStdin, env: process.env }).then(
  (code) => {
    if (code !== 0) process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
