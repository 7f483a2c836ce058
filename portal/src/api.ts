import type { TypedDocumentString } from "./gql/graphql";

// One fetch per operation: every screen asks for everything it shows in one document.

export type FieldProblem = { pointer: string; rule: string; message: string };

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly problems: FieldProblem[] = [],
  ) {
    super(message);
  }
}

type Answer<R> = {
  data?: R | null;
  errors?: { message: string; extensions?: { code?: string; errors?: FieldProblem[] } }[];
};

let tokenSource: () => Promise<string | null> = async () => null;
let endpoint = "/graphql";

export function configureApi(url: string, token: () => Promise<string | null>): void {
  endpoint = url;
  tokenSource = token;
}

export async function request<R, V>(
  document: TypedDocumentString<R, V>,
  ...[variables]: V extends Record<string, never> ? [] | [V] : [V]
): Promise<R> {
  const token = await tokenSource();
  const response = await fetch(endpoint, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Accept: "application/json",
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query: document.toString(), variables: variables ?? {} }),
  });
  let body: Answer<R>;
  try {
    body = (await response.json()) as Answer<R>;
  } catch {
    throw new ApiError(`HTTP ${response.status}`, "TRANSPORT");
  }
  const first = body.errors?.[0];
  if (first) {
    throw new ApiError(first.message, first.extensions?.code ?? "ERROR", first.extensions?.errors ?? []);
  }
  if (!body.data) throw new ApiError(`HTTP ${response.status}`, "TRANSPORT");
  return body.data;
}

// A printable PDF (IDP1, IDP2, the KPI report) is served with the same bearer token as the API:
// fetched with it and opened from a blob, never as a bare link the browser would fetch unsigned.
export async function openPdf(url: string): Promise<void> {
  const token = await tokenSource();
  const response = await fetch(url, {
    headers: { Accept: "application/pdf", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  });
  if (!response.ok) throw new ApiError(`HTTP ${response.status}`, "TRANSPORT");
  const href = URL.createObjectURL(await response.blob());
  const opened = window.open(href, "_blank", "noopener");
  if (!opened) {
    const a = document.createElement("a");
    a.href = href;
    a.download = url.split("/").pop()?.split("?")[0] || "document.pdf";
    document.body.append(a);
    a.click();
    a.remove();
  }
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}
