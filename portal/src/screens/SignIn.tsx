import { useEffect, useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { oidcManager, type PortalConfig } from "../auth";
import { useI18n } from "../i18n";
import { ErrorBox, Loading } from "../ui";

export function SignIn({ config }: { config: PortalConfig }) {
  const { t, lang, setLang } = useI18n();
  const manager = oidcManager(config);
  return (
    <main id="main" className="signin">
      <h1>{t("signInTitle")}</h1>
      {manager ? (
        <button type="button" onClick={() => void manager.signinRedirect()}>
          {t("signInWithProvider")}
        </button>
      ) : (
        <p className="muted">{t("signInNoProvider")}</p>
      )}
      {config.devSignin && (
        <p>
          <Link to="/signin/dev">{t("devSignIn")}</Link>
        </p>
      )}
      <button type="button" className="secondary" onClick={() => setLang(lang === "th" ? "en" : "th")}>
        {t("switchLanguage")}
      </button>
    </main>
  );
}

/** The identity provider sends the browser back here with the code; PKCE proves it is ours. */
export function SignInCallback({ config }: { config: PortalConfig }) {
  const navigate = useNavigate();
  const [error, setError] = useState<Error | null>(null);
  useEffect(() => {
    const manager = oidcManager(config);
    if (!manager) return setError(new Error("no identity provider"));
    manager.signinRedirectCallback().then(() => navigate("/", { replace: true }), setError);
  }, [config, navigate]);
  return <main id="main">{error ? <ErrorBox error={error} /> : <Loading />}</main>;
}
