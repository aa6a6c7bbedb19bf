import { main } from '../../shared/cli/entry.ts';
import { mkdeploy } from './command.ts';

main(mkdeploy);
