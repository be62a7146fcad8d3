import { Writable } from "node:stream";
import type { EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { NonceProvider } from "~/components/nonce";
import type { AppLoadContext } from "~/lib/request.server";
import { clock } from "~/lib/clock";

export { startApp, stopApp } from "~/lib/startup.server";

export const streamTimeout = 5_000;

/**
 * Renders the whole document, then sends it as one body.
 *
 * No route defers data (loaders return plain values, nothing uses `defer` or `<Await>`), so by
 * the time React can render the shell every loader has finished and the shell is the whole page:
 * streaming it would send the same bytes at about the same moment, but in some twenty pieces,
 * each passed through a Node stream, a web stream and a socket write, and that piecework cost
 * more than the page's own markup (the profile is in docs/decisions/010-dependency-patches.md,
 * "Figure"). A route that starts deferring data should bring streaming back for browsers
 * (onShellReady).
 */
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext?.cspNonce ?? "";
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const chunks: Buffer[] = [];
    const collector = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback();
      },
      final(callback) {
        clearTimeout(timer);
        responseHeaders.set("Content-Type", "text/html; charset=utf-8");
        resolve(
          new Response(Buffer.concat(chunks), {
            headers: responseHeaders,
            status: responseStatusCode,
          }),
        );
        callback();
      },
    });
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        onShellReady() {
          shellRendered = true;
        },
        onAllReady() {
          pipe(collector);
        },
        onShellError(error: unknown) {
          clearTimeout(timer);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors after the shell has rendered are logged; the client boundary shows them.
          if (shellRendered) console.error(error);
        },
      },
    );
    const timer = setTimeout(abort, streamTimeout + 1000);
  });
}

export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  if (error instanceof Response) return;
  // The time matches the reference the error page shows the user.
  console.error(clock.now().toISOString(), error);
}
