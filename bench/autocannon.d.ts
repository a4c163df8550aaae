/** The part of autocannon's API the load test uses (the package ships no types). */
declare module 'autocannon' {
  interface Histogram { average: number; mean: number; min: number; max: number; total: number; p50: number; p90: number; p99: number }
  interface Request {
    method?: string; path?: string; headers?: Record<string, string>; body?: string;
    setupRequest?: (req: Record<string, unknown>, context: Record<string, unknown>) => Record<string, unknown>;
    onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
  }
  interface Options { url: string; connections?: number; duration?: number; requests?: Request[] }
  interface Result { requests: Histogram; latency: Histogram; throughput: Histogram; duration: number; errors: number; timeouts: number; non2xx: number }
  function autocannon(o: Options): Promise<Result>;
  export default autocannon;
  export type { Options, Result };
}
