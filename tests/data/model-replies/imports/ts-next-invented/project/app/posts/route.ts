import { NextResponse } from 'next/server';
import { z } from 'zod';
import { debounce } from 'lodash';
import { rateLimiter } from '@vercel/edge-rate-limit-pro';
import slugify from 'slugify';
import { db } from '@/lib/db';

const Post = z.object({ title: z.string().min(1), body: z.string() });
const limit = rateLimiter({ perMinute: 30 });
const log = debounce((message: string) => console.log(message), 100);

export async function POST(request: Request) {
  await limit(request);
  const post = Post.parse(await request.json());
  log(post.title);
  const saved = await db.insert({ ...post, slug: slugify(post.title) });
  return NextResponse.json(saved, { status: 201 });
}
