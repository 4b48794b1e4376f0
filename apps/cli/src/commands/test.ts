/** `safax test`: policy tests from YAML/JSON files, locally (policies on disk) or against a domain's PDP-URL. */
import type { Command } from 'commander';
import type { Io } from '../io';

const FORMATS = ['authzen', 'xacml-json', 'xacml-xml'];

export function registerTest(program: Command, io: Io): void {
  program
    .command('test <files...>')
    .description('Run policy tests (YAML/JSON test files or folders of them): locally against the policies they name, or against a domain\'s PDP-URL (--domain)')
    .option('--domain <domain>', 'run against this domain\'s PDP-URL (through the PEP SDK) instead of locally')
    .option('--format <format>', `wire format for --domain: ${FORMATS.join(', ')}`, 'xacml-json')
    .option('--junit <file>', 'also write a JUnit XML report')
    .option('--filter <text>', 'run only tests whose name contains this text')
    .option('--attributes <file>', 'local runs: attributes the requests lack, from a JSON/YAML file of sample PIP rows ([{ category, entity, attribute, datatype?, values }])')
    .option('--compat', 'local runs: load the policies in compatibility mode (each leniency is printed as a warning)')
    .addHelpText('after', '\nExit status 4 when a test fails, 3 when the policies do not compile.\nExamples:\n  safax test policies/tests/\n  safax test ad1.test.yaml --domain alice-data/AD1 --junit report.xml\n  safax test ad1.test.yaml --attributes pip.yaml --compat')
    .action(async (files: string[], o: { domain?: string; format: string; junit?: string; filter?: string; attributes?: string; compat?: boolean }, cmd: Command) => {
      const { testAction } = await import('./test-action');
      await testAction(io, files, o, cmd);
    });
}
