import { storedToken } from './page-token.js';

/**
 * Fetches a job's export from the headless station (GET /api/export/<job>?format=…) with its
 * progress, and hands it to the browser as a download. The page's role token goes along: a
 * station that listens beyond loopback exports only to token holders (docs/roles.md).
 */
export async function downloadExport(
  jobId: string,
  format: string,
  onProgress: (share: number) => void,
): Promise<string> {
  const token = storedToken();
  const res = await fetch(
    `/api/export/${encodeURIComponent(jobId)}?format=${encodeURIComponent(format)}`,
    token ? { headers: { authorization: `Bearer ${token}` } } : {},
  );
  if (!res.ok || !res.body) {
    const body = (await res.json().catch(() => ({}))) as { error?: string };
    throw new Error(body.error ?? `the station answered ${res.status}`);
  }
  const total = Number(res.headers.get('content-length') ?? 0);
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    received += value.length;
    if (total > 0) onProgress(received / total);
  }
  const fileName =
    /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ??
    `${jobId}.${format}`;
  const url = URL.createObjectURL(new Blob(parts as BlobPart[]));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return fileName;
}

/** The headless station serves exports over HTTP; the desktop window has no such server. */
export const EXPORTS_SERVED =
  typeof location !== 'undefined' && location.protocol.startsWith('http');
