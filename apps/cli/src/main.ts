#!/usr/bin/env node
/** The `safax` executable: runs the CLI on the process's arguments and streams. */
import { runCli } from './cli';
import { processIo } from './io';

const stop = new AbortController();
process.once('SIGINT', () => stop.abort());
void runCli(process.argv.slice(2), processIo(), stop.signal).then((code) => {
  process.exitCode = code;
});
