#!/usr/bin/env node
import { readFile, writeFile } from 'node:fs/promises';
import os from 'os';
import { Command } from 'commander';
import chalk from 'chalk';
import { format } from '../lib/format.js';

const program = new Command();
program.command('list').action(async () => {
  const text = await readFile(`${os.homedir()}/.todo.json`, 'utf8').catch(() => '[]');
  for (const item of JSON.parse(text)) {
    console.log(chalk.green(format(item)));
  }
});
program.command('add <title>').action(async (title) => {
  const { default: lock } = await import('../lib/lock.js');
  await lock(async () => writeFile(`${os.homedir()}/.todo.json`, JSON.stringify([{ title }])));
});
program.parse();
