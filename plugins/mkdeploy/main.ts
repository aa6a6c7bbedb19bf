import { main } from '../../shared/cli/entry.ts';

main('mkdeploy', async () => (await import('./command.ts')).mkdeploy);
