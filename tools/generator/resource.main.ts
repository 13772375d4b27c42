import { runCommand } from '../../src/common/cli/run-command';
import { runResourceCommand } from './resource-command';

const [verb, ...argv] = process.argv.slice(2);

runCommand(`${verb ?? 'resource'}:resource`, () => runResourceCommand(verb, argv, process.stdout));
