import { useState } from 'react';
import type { ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { fetchStats } from './api';

const client = new QueryClient();

function Stats(): ReactNode {
  const [range] = useState('7d');
  const { data } = useQuery({ queryKey: ['stats', range], queryFn: () => fetchStats(range) });
  return <pre>{JSON.stringify(data)}</pre>;
}

createRoot(document.getElementById('root')!).render(
  <QueryClientProvider client={client}>
    <Stats />
  </QueryClientProvider>
);
