#!/usr/bin/env node
/**
 * A stand-alone entry for `crawl` until src/cli/main.ts registers it (tests
 * spawn this one): `node dist/src/crawl/cli-entry.js crawl URL…`.
 */
import { Command } from 'commander';
import { registerCrawl } from '../cli/crawl.js';
import { OGI_VERSION } from '../version.js';

const program = new Command('ogi').version(OGI_VERSION);
registerCrawl(program);
await program.parseAsync(process.argv);
