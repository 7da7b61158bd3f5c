import express from 'express';
import type { Request } from 'express';
import { readFile } from 'node:fs/promises';
import path from 'path';
import pool from '@shop/db';
import { body } from 'express-validator-plus';
import { rateLimit } from 'express-rate-limit';
import { helper } from './helper';

const app = express();
export default app;
