/**
 * What the pipeline needs from every transport, checked for each of them over real HTTP: the
 * default one (`node:http`/`node:https`) and the `fetch` one (used when a `fetch` option is given).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createFetchTransport } from "../src/pipeline/fetch-transport.js";
import { createNodeTransport } from "../src/pipeline/node-transport.js";
import type { Transport, TransportRequest } from "../src/pipeline/transport.js";
import { RawServer, response } from "./helpers/raw-server.js";

const BIG = Buffer.alloc(1024 * 1024 + 3);
for (let i = 0; i < BIG.length; i++) BIG[i] = (i * 7) % 251;

let server: RawServer;
before(async () => {
  server = await new RawServer((req, socket) => {
    if (req.target === "/big") {
      socket.write(`HTTP/1.1 200 OK\r\ncontent-length: ${BIG.length}\r\n\r\n`);
      socket.write(BIG);
    } else if (req.target === "/partial") {
      socket.write("HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\nsome");
    } else if (req.target === "/hang") {
      // no answer
    } else if (req.method === "HEAD") {
      socket.write(response(200, "", { "content-length": "5", "x-ms-request-id": "h" }));
    } else {
      const echo = `${req.method} ${req.target} ${req.body.length} ${req.headers["content-length"] ?? "-"}`;
      socket.write(response(201, echo, { "x-ms-request-id": "r", "x-multi": "a", "X-Multi": "b" }));
    }
  }).start();
});
after(() => server.stop());

describe("the node:http transport", () => {
  test("a server that stops sending fails the request after the stall limit", async () => {
    const transport = createNodeTransport(200);
    const answer = await transport({
      method: "GET",
      url: new URL("/partial", server.origin),
      headers: new Headers(),
      body: undefined,
      signal: undefined,
    });
    await assert.rejects(answer.body.bytes(), { code: "ETIMEDOUT" });
    await assert.rejects(
      transport({
        method: "GET",
        url: new URL("/hang", server.origin),
        headers: new Headers(),
        body: undefined,
        signal: undefined,
      }),
      { code: "ETIMEDOUT" },
    );
  });
});

const transports: Record<string, () => Transport> = {
  "node:http (the default)": () => createNodeTransport(),
  "fetch (the fetch option)": () => createFetchTransport((input, init) => fetch(input, init)),
};

for (const [name, make] of Object.entries(transports)) {
  describe(name, () => {
    const transport = make();
    const request = (method: string, path: string, init: Partial<TransportRequest> = {}) =>
      transport({
        method,
        url: new URL(path, server.origin),
        headers: new Headers({ "x-ms-version": "2026-06-06" }),
        body: undefined,
        signal: undefined,
        ...init,
      });

    test("status, headers and a text body; request bodies go with their Content-Length", async () => {
      const answer = await request("PUT", "/put?comp=range", { body: new Uint8Array(70_000) });
      assert.equal(answer.status, 201);
      assert.equal(answer.headers.get("x-ms-request-id"), "r");
      assert.equal(answer.headers.get("x-multi"), "a, b");
      assert.equal(await answer.body.text(), "PUT /put?comp=range 70000 70000");
      assert.equal(await (await request("PUT", "/empty")).body.text(), "PUT /empty 0 0");
      assert.equal(await (await request("GET", "/get")).body.text(), "GET /get 0 -");
    });

    test("a body read whole, as chunks, as a web stream; HEAD has none", async () => {
      assert.deepEqual(Buffer.from(await (await request("GET", "/big")).body.bytes()), BIG);
      const chunks: Uint8Array[] = [];
      for await (const chunk of (await request("GET", "/big")).body.chunks()) chunks.push(chunk);
      assert.deepEqual(Buffer.concat(chunks), BIG);
      const stream = (await request("GET", "/big")).body.webStream();
      assert.ok(stream);
      const streamed: Uint8Array[] = [];
      const reader = stream.getReader();
      for (let next = await reader.read(); !next.done; next = await reader.read()) streamed.push(next.value);
      assert.deepEqual(Buffer.concat(streamed), BIG);
      const head = await request("HEAD", "/h");
      assert.equal(head.headers.get("content-length"), "5");
      await head.body.discard();
      assert.equal(await (await request("GET", "/after-head")).body.text(), "GET /after-head 0 -");
    });

    test("aborting before the response rejects; aborting during the body fails its reading", async () => {
      const early = new AbortController();
      const pending = request("GET", "/hang", { signal: early.signal });
      setTimeout(() => early.abort(new Error("caller gave up")), 20);
      await assert.rejects(pending);
      assert.equal(early.signal.aborted, true);

      const late = new AbortController();
      const answer = await request("GET", "/partial", { signal: late.signal });
      setTimeout(() => late.abort(), 20);
      await assert.rejects(answer.body.bytes());

      await assert.rejects(request("GET", "/get", { signal: AbortSignal.abort() }));
    });
  });
}
