import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { createServer, type Server } from 'node:http';

/**
 * The Prometheus scrape endpoint: the OpenTelemetry SDK's Prometheus reader, served by a plain HTTP server the
 * kit owns (rather than the exporter's own), so it can listen on any free port and report which, and close with
 * the process. The same instruments feed OTLP and Prometheus: one set of names in both.
 */
export class MetricsEndpoint {
  readonly reader = new PrometheusExporter({ preventServerStart: true });
  private server: Server | undefined;
  private listening: Promise<number> | undefined;

  /** Starts serving `/metrics` (once per process; later calls get the first port). */
  listen(host: string, port: number): Promise<number> {
    return (this.listening ??= new Promise<number>((ok, fail) => {
      const server = createServer((request, response) => {
        if (request.url?.split('?')[0] === '/metrics')
          this.reader.getMetricsRequestHandler(request, response);
        else response.writeHead(404).end();
      });
      server.once('error', fail);
      server.listen(port, host, () => {
        const address = server.address();
        ok(typeof address === 'object' && address ? address.port : port);
      });
      // A scrape in progress must not hold the process open once the service has stopped.
      server.unref();
      this.server = server;
    }));
  }

  close(): Promise<void> {
    const server = this.server;
    if (!server) return Promise.resolve();
    return new Promise((done) => server.close(() => done()));
  }
}
