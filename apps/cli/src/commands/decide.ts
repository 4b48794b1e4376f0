/** `safax decide`: one request to a domain's PDP-URL through the PEP SDK, for debugging. */
import type { Command } from 'commander';
import type { Io } from '../io';
import type { DecideFlags } from './decide-action';

const FORMATS = ['authzen', 'xacml-json', 'xacml-xml'];

export function registerDecide(program: Command, io: Io): void {
  program
    .command('decide <domain>')
    .description('Ask a domain\'s PDP for one decision (from flags or a request file in any of the three formats)')
    .option('--file <path>', 'a request: XACML XML (.xml), XACML JSON Profile or AuthZEN evaluation (.json)')
    .option('--format <format>', `wire format: ${FORMATS.join(', ')} (default: the file's, else xacml-json)`)
    .option('--subject <id>', 'subject-id')
    .option('--user <name>', 'subject-id (dataset vocabulary)')
    .option('--group <name...>', 'group(s) (urn:safax:1.0:subject:group)')
    .option('--role <name...>', 'role(s) (urn:oasis:names:tc:xacml:2.0:subject:role)')
    .option('--action <id>', 'action-id')
    .option('--resource <id>', 'resource-id')
    .option('--dataset <schema.table>', 'a dataset: resource-id and resource type `dataset`')
    .option('--purpose <purpose>', 'declared purpose (urn:safax:1.0:environment:purpose)')
    .option('--attr <section.id=value...>', 'more attributes, e.g. subject.urn:example:clearance=secret')
    .option('--pdp-url <url>', 'a PDP-URL to call directly (default: the domain\'s)')
    .addHelpText('after', '\nExit status 0 whatever the decision; --json prints it with obligations and transaction id.\nExamples:\n  safax decide alice-data/AD1 --subject bob --action view --resource photo-17\n  safax decide clinic/db --user bob --dataset public.patients --action read\n  safax decide alice-data/AD1 --file request.xml')
    .action(async (ref: string, o: DecideFlags, cmd: Command) => {
      const { decideAction } = await import('./decide-action');
      await decideAction(io, ref, o, cmd);
    });
}
