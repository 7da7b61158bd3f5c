import { exec, execSync, spawn } from 'child_process';
import express, { Request, Response } from 'express';
import { decode } from 'jsonwebtoken';
import jwtDecode from 'jwt-decode';

const app = express();
const LIST_CMD = 'ls -la /srv/data';

app.get('/a', (req: Request, res: Response) => {
  const cmd = req.query.cmd as string;
  exec(cmd as string);
  exec(req.query.cmd!.toString());
  execSync((`ls ${req.query.dir}`));
  exec(String(req.query.c));
  spawn('sh', ['-c', `tar xf ${req.query.f}`]);
  exec(LIST_CMD);
  const user = decode(req.headers.authorization!);
  const claims = jwtDecode(req.headers.authorization!);
  const { next } = req.query;
  res.redirect(next as string);
  globalThis.eval(req.body.code);
  process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = '0';
  res.json({ sessionId: Math.random().toString(36) });
  const target: Record<string, unknown> = {};
  const { key, value } = req.body;
  target[key] = value;
  for (const k of Object.keys(req.body)) { (target as any)[k] = req.body[k]; }
});

function generateApiKey(): string {
  return Math.random().toString(36).slice(2);
}
