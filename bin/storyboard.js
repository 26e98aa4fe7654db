#!/usr/bin/env node
// Entry point of the `storyboard` command: runs the compiled CLI (built by `npm run build`).
import { main } from '../dist/src/cli/main.js';

main(process.argv.slice(2));
