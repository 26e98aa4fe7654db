// Runs the CLI from source in a child process (tests that kill a render need a real process).
import { main } from '../../src/cli/main.js';

await main(process.argv.slice(2));
