import { main } from '../../shared/cli/entry.ts';
import { lsres } from './command.ts';

main(lsres);
