import { main } from '../../shared/cli/entry.ts';
import { watchq } from './command.ts';

main(watchq);
