import { main } from '../../shared/cli/entry.ts';

main('dynget', async () => (await import('./command.ts')).dynget);
