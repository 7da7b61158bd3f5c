import React, { useEffect, useState } from "react";
import { fetchStats } from "./api";

export default function Dashboard({ userId }) {
  const [stats, setStats] = useState(null);

  useEffect(() => {
    fetchStats(userId).then(setStats);
  }, [userId]);

  if (!stats) {
    return <p>Loading...</p>;
  }

  return (
    <main className="dashboard">
      <h1>Welcome back</h1>
      {/* ... rest of the component ... */}
      <section className="totals">
        <span>{stats.orders} orders</span>
        <span>{stats.revenue} revenue</span>
      </section>
    </main>
  );
}
