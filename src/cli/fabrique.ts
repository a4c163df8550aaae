// The `fabrique` executable: runs the CLI with the process arguments.
import { main } from './main.ts';

// A closed pipe (`fabrique export … | head`) is a normal way to stop reading, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

process.exitCode = await main(process.argv.slice(2));
