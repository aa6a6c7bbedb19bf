import { main } from '../../shared/cli/entry.ts';

main('watchq', async () => (await import('./command.ts')).watchq);
