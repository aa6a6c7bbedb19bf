import { main } from '../../shared/cli/entry.ts';

main('lsres', async () => (await import('./command.ts')).lsres);
