/** The command-line shape the programs share: exit codes 0, 1 and 2, output through the given streams, files from --file or --config. */
import { PassThrough } from 'node:stream';
import { collect, fileOption, programFor, runProgram, usageError } from '../src';

function streams() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  return { stdout, stderr, out: () => out, err: () => err };
}

function program(io: ReturnType<typeof streams>) {
  const p = programFor('demo', 'a demo program', io);
  p.command('ok')
    .option('-g, --group <g>', 'repeatable', collect, [])
    .action((o: { group: string[] }) => {
      io.stdout.write(`groups ${o.group.join(',')}\n`);
    });
  p.command('fail').action(() => {
    throw new Error('the disk is full');
  });
  p.command('misuse').action(() => {
    throw usageError('name the file with --file');
  });
  return p;
}

describe('programs', () => {
  it('exits 0 and writes through the given stdout', async () => {
    const io = streams();
    expect(await runProgram(program(io), ['ok', '-g', 'a', '-g', 'b'], io.stderr)).toBe(0);
    expect(io.out()).toBe('groups a,b\n');
    expect(await runProgram(program(io), ['--help'], io.stderr)).toBe(0);
    expect(io.out()).toMatch(/a demo program/);
  });

  it('exits 1 with the error on stderr when a command fails', async () => {
    const io = streams();
    expect(await runProgram(program(io), ['fail'], io.stderr)).toBe(1);
    expect(io.err()).toBe('error: the disk is full\n');
  });

  it('exits 2 on a usage mistake: its message, or commander\'s for an unknown command', async () => {
    const io = streams();
    expect(await runProgram(program(io), ['misuse'], io.stderr)).toBe(2);
    expect(io.err()).toBe('error: name the file with --file\n');
    const other = streams();
    expect(await runProgram(program(other), ['nope'], other.stderr)).toBe(2);
    expect(other.err()).toMatch(/unknown command 'nope'/);
  });

  it('takes a file from --file, else from the configuration, else refuses', () => {
    const fromConfig = (path: string) => `${path}#users`;
    expect(fileOption({ file: 'u.json', config: 'c.yaml' }, fromConfig, 'name it')).toBe('u.json');
    expect(fileOption({ config: 'c.yaml' }, fromConfig, 'name it')).toBe('c.yaml#users');
    expect(() => fileOption({}, fromConfig, 'name it')).toThrow('name it');
  });
});
