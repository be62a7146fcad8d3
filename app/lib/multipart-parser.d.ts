// The package ships types, but its "exports" map hides them from TypeScript's module resolution.
declare module "@web3-storage/multipart-parser" {
  export type MultipartPart = {
    name: string;
    filename?: string;
    contentType?: string;
    data: AsyncIterable<Uint8Array>;
    done?: boolean;
  };
  export function streamMultipart(
    body: ReadableStream<Uint8Array>,
    boundary: string,
  ): AsyncGenerator<MultipartPart>;
}
