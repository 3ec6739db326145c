import type { Config } from '../config.js';
import { fetchUrl, type FetchHop, type FetchOptions, type FetchResult } from './net/fetch.js';
import { httpPayloadOffset, newRecordId, type WarcWriter, type WrittenRecord } from './warc.js';

/** The WARC records written for one fetch: every hop's request and response, the last one being the page. */
export interface HttpRecords {
  /** Request record of the final exchange. */
  request: WrittenRecord;
  /** Response record of the final exchange: the capture's record; its payload is the body. */
  response: WrittenRecord;
  /** Request and response record ids of redirect hops, in order. */
  redirects: { url: string; status: number; request: string; response: string }[];
}

/** Fetch options from the workspace config; `allowPrivateNetwork` from the command wins when given. */
export function fetchOptions(config: Config, allowPrivateNetwork?: boolean): FetchOptions {
  return {
    allowPrivateNetwork: allowPrivateNetwork === true || config.allowPrivateNetwork,
    allowAddresses: config.testAllowAddresses,
    maxRedirects: config.limits.maxRedirects,
    maxBytes: config.limits.maxFileBytes,
    timeoutMs: config.limits.fetchTimeoutMs,
  };
}

/** Fetches a URL for capture under the workspace's network policy. */
export function fetchForCapture(config: Config, url: string, allowPrivateNetwork?: boolean): Promise<FetchResult> {
  return fetchUrl(url, fetchOptions(config, allowPrivateNetwork));
}

function requestBlock(hop: FetchHop): Buffer {
  const head = [hop.requestLine, ...hop.requestHeaders.map(([k, v]) => `${k}: ${v}`)].join('\r\n');
  return Buffer.from(`${head}\r\n\r\n`, 'latin1');
}

/**
 * The HTTP response as a WARC response block. Node hands us the body already de-chunked, so a
 * Transfer-Encoding header would lie about the bytes that follow: it is kept under another name.
 */
function responseBlock(hop: FetchHop): Buffer {
  const status = `HTTP/${hop.httpVersion} ${hop.status}${hop.statusText ? ` ${hop.statusText}` : ''}`;
  const headers = hop.rawHeaders.map(([k, v]) => (k.toLowerCase() === 'transfer-encoding' ? `X-Claimtrace-Orig-Transfer-Encoding: ${v}` : `${k}: ${v}`));
  return Buffer.concat([Buffer.from([status, ...headers].join('\r\n') + '\r\n\r\n', 'latin1'), hop.body]);
}

function writeExchange(writer: WarcWriter, hop: FetchHop): { request: WrittenRecord; response: WrittenRecord } {
  const requestId = newRecordId();
  const responseId = newRecordId();
  const request = writer.write({
    type: 'request',
    recordId: requestId,
    targetUri: hop.url,
    date: hop.startedAt,
    contentType: 'application/http;msgtype=request',
    block: requestBlock(hop),
    noPayloadDigest: true,
    headers: { 'WARC-IP-Address': hop.ipAddress, 'WARC-Concurrent-To': responseId },
  });
  const block = responseBlock(hop);
  const response = writer.write({
    type: 'response',
    recordId: responseId,
    targetUri: hop.url,
    date: hop.startedAt,
    contentType: 'application/http;msgtype=response',
    block,
    payloadOffset: httpPayloadOffset(block),
    headers: { 'WARC-IP-Address': hop.ipAddress, 'WARC-Concurrent-To': requestId },
  });
  return { request, response };
}

/**
 * Writes a WARC request and response record for every hop of a fetch (redirects first), each
 * pair linked both ways by WARC-Concurrent-To, with the target URI and the address connected to.
 */
export function writeHttpRecords(writer: WarcWriter, result: FetchResult): HttpRecords {
  const redirects = result.redirects.map((hop) => {
    const { request, response } = writeExchange(writer, hop);
    return { url: hop.url, status: hop.status, request: request.recordId, response: response.recordId };
  });
  const { redirects: _hops, url: _asked, finalUrl, ...last } = result;
  const { request, response } = writeExchange(writer, { ...last, url: finalUrl });
  return { request, response, redirects };
}

/** A file name for the fetched bytes: only a Markdown or text extension says anything the bytes cannot. */
export function urlNameHint(url: string): string {
  try {
    const segment = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
    return /\.(md|markdown|mdown|txt|html?)$/i.test(segment) ? segment : 'download';
  } catch {
    return 'download';
  }
}
