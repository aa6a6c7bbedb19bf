import { main } from '../../shared/cli/entry.ts';
import { dynget } from './command.ts';

main(dynget);
