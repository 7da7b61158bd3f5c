import { exec as run } from 'node:child_process';
const cp = require('child_process');
run(command, done);
cp.exec('git status');
cp.exec(`ls ${dir}`);
