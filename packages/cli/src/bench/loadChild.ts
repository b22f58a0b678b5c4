// Runs autocannon against a URL from a process of its own (so the load generator does not share
// the server's event loop) and prints its result as one JSON line.
import autocannon from 'autocannon';

const [url, seconds, connections, token] = process.argv.slice(2);
if (url === undefined) throw new Error('usage: loadChild.ts URL [SECONDS] [CONNECTIONS] [TOKEN]');
const result = await autocannon({
  url,
  duration: Number(seconds ?? 5),
  connections: Number(connections ?? 10),
  pipelining: 1,
  ...(token === undefined || token === '' ? {} : { headers: { authorization: `Bearer ${token}` } }),
});
process.stdout.write(
  `${JSON.stringify({
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    total: result.requests.total,
  })}\n`,
);
