/**
 * CPU time of a server and its child processes (cluster workers, their threads), from
 * /proc: what the server spent per decision, which a shared machine disturbs far less than
 * decisions per second. Linux only; elsewhere (no /proc) it reports NaN.
 */
import { readFileSync, readdirSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

function stat(pid: string): { ppid: string; ms: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself hold spaces and parentheses.
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: f[1]!, ms: (Number(f[11]) + Number(f[12])) * TICK_MS };
  } catch {
    return undefined;
  }
}

/** Milliseconds of CPU used so far by `pid` and its descendants that are alive now. */
export function treeCpuMs(pid: number): number {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return NaN;
  }
  const children = new Map<string, string[]>();
  const ms = new Map<string, number>();
  for (const p of pids) {
    const s = stat(p);
    if (!s) continue;
    ms.set(p, s.ms);
    const list = children.get(s.ppid);
    if (list) list.push(p);
    else children.set(s.ppid, [p]);
  }
  let total = 0;
  const todo = [String(pid)];
  while (todo.length > 0) {
    const p = todo.pop()!;
    total += ms.get(p) ?? 0;
    todo.push(...(children.get(p) ?? []));
  }
  return ms.has(String(pid)) ? total : NaN;
}
