#!/usr/bin/env node
// Why: the npm registry mirror on our build machines serves only the linux-x64 builds of
// packages that ship native binaries per platform (e.g. @swc/core-*, @unrs/resolver-binding-*).
// A lockfile written there lacks the other platforms' optional entries, and `npm ci` then
// refuses the lockfile as out of sync. This adds those entries (version, optional, os/cpu/libc
// read from the package name), which every npm installs or skips by platform as usual.
// Run after `npm install` changes the lockfile: `node scripts/lockfile-platform-entries.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const OS = ['darwin', 'linux', 'win32', 'android', 'freebsd', 'openharmony', 'sunos', 'aix', 'netbsd', 'openbsd'];
const CPU = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64', 'wasm32'];

let added = 0;
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const parts = name.split('/').pop().split('-');
    const os = parts.find((p) => OS.includes(p));
    const cpu = parts.find((p) => CPU.includes(p));
    if (!os || !cpu) continue;
    const nested = `${path}/node_modules/${name}`;
    const hoisted = `node_modules/${name}`;
    if (lock.packages[nested] || lock.packages[hoisted]) continue;
    const stub = { version, optional: true, os: [os], cpu: [cpu] };
    if (parts.includes('gnu') || parts.includes('gnueabihf')) stub.libc = ['glibc'];
    if (parts.includes('musl') || parts.includes('musleabihf')) stub.libc = ['musl'];
    lock.packages[hoisted] = stub;
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)));
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`lockfile: ${added} platform entries added`);
