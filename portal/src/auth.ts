import { UserManager, WebStorageStateStore } from "oidc-client-ts";

// Sign-in: OpenID Connect authorization code with PKCE (oidc-client-ts) against the identity
// provider the server names in /portal/config.json; or, on a development server with
// THAKSA_DEV_SIGNIN, a token the server mints for a person of the demo data.

export type PortalConfig = {
  graphql: string;
  oidc: { issuer: string; clientId: string; scope: string } | null;
  devSignin: boolean;
};

export const BASE = "/portal/";
const DEV_TOKEN = "thaksa.devToken";

let manager: UserManager | null = null;

export async function loadConfig(): Promise<PortalConfig> {
  const response = await fetch(`${BASE}config.json`, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`config.json: ${response.status}`);
  return (await response.json()) as PortalConfig;
}

export function oidcManager(config: PortalConfig): UserManager | null {
  if (!config.oidc) return null;
  if (!manager) {
    const origin = window.location.origin;
    manager = new UserManager({
      authority: config.oidc.issuer,
      client_id: config.oidc.clientId,
      scope: config.oidc.scope,
      redirect_uri: `${origin}${BASE}signin/callback`,
      post_logout_redirect_uri: `${origin}${BASE}`,
      response_type: "code", // with PKCE (S256), oidc-client-ts's default for the code flow
      userStore: new WebStorageStateStore({ store: window.sessionStorage }),
      automaticSilentRenew: true,
    });
  }
  return manager;
}

/** The bearer token of the signed-in user, if any. */
export async function currentToken(config: PortalConfig): Promise<string | null> {
  const dev = sessionStorage.getItem(DEV_TOKEN);
  if (dev) return dev;
  const m = oidcManager(config);
  if (!m) return null;
  const user = await m.getUser();
  return user && !user.expired ? user.access_token : null;
}

export function rememberDevToken(token: string): void {
  sessionStorage.setItem(DEV_TOKEN, token);
}

export async function signOut(config: PortalConfig): Promise<void> {
  const wasDev = sessionStorage.getItem(DEV_TOKEN) !== null;
  sessionStorage.removeItem(DEV_TOKEN);
  const m = oidcManager(config);
  if (m && !wasDev) {
    await m.removeUser();
    await m.signoutRedirect().catch(() => undefined);
  }
}

export type Persona = {
  subject: string;
  name_th: string;
  position: string | null;
  agency: string;
  source: string;
  supervisor_subject: string | null;
  has_reports: boolean;
};

export async function devPersonas(): Promise<Persona[]> {
  const response = await fetch(`${BASE}dev/personas`);
  if (!response.ok) throw new Error(`personas: ${response.status}`);
  return ((await response.json()) as { items: Persona[] }).items;
}

export async function devSignIn(subject: string, persona: string): Promise<string> {
  const response = await fetch(`${BASE}dev/token`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ subject, persona }),
  });
  if (!response.ok) throw new Error(`sign-in: ${response.status}`);
  const token = ((await response.json()) as { access_token: string }).access_token;
  rememberDevToken(token);
  return token;
}
