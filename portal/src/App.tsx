import { createContext, useContext, useEffect, useState } from "react";
import { BrowserRouter, Link, NavLink, Navigate, Route, Routes, useNavigate } from "react-router-dom";
import { configureApi, request } from "./api";
import { currentToken, loadConfig, signOut, type PortalConfig } from "./auth";
import { graphql } from "./gql";
import type { SessionQuery } from "./gql/graphql";
import { I18nProvider, useI18n } from "./i18n";
import { AssessmentScreen } from "./screens/Assessment";
import { Dashboard } from "./screens/Dashboard";
import { DevSignIn } from "./screens/DevSignIn";
import { GroupsScreen } from "./screens/Groups";
import { PlanScreen } from "./screens/Plan";
import { QueueScreen } from "./screens/Queue";
import { SignIn, SignInCallback } from "./screens/SignIn";
import { StageScreen } from "./screens/Stage";
import { ErrorBox, Loading } from "./ui";

const SessionDocument = graphql(`
  query Session {
    me {
      subject
      name
      roles
      agency
    }
  }
`);

export type Me = SessionQuery["me"];
type Session = { config: PortalConfig; me: Me };
export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("no session");
  return session;
}

export function App() {
  return (
    <I18nProvider>
      <BrowserRouter basename="/portal">
        <Boot />
      </BrowserRouter>
    </I18nProvider>
  );
}

function Boot() {
  const [config, setConfig] = useState<PortalConfig | null>(null);
  const [error, setError] = useState<Error | null>(null);
  useEffect(() => {
    loadConfig().then((c) => {
      configureApi(c.graphql, () => currentToken(c));
      setConfig(c);
    }, setError);
  }, []);
  if (error) return <ErrorBox error={error} />;
  if (!config) return <Loading />;
  return (
    <Routes>
      <Route path="/signin" element={<SignIn config={config} />} />
      <Route path="/signin/callback" element={<SignInCallback config={config} />} />
      {config.devSignin && <Route path="/signin/dev" element={<DevSignIn />} />}
      <Route path="/*" element={<Authenticated config={config} />} />
    </Routes>
  );
}

function Authenticated({ config }: { config: PortalConfig }) {
  const [me, setMe] = useState<Me | null>(null);
  const [failed, setFailed] = useState<Error | null>(null);
  const [anonymous, setAnonymous] = useState(false);
  useEffect(() => {
    currentToken(config).then(async (token) => {
      if (!token) return setAnonymous(true);
      try {
        setMe((await request(SessionDocument)).me);
      } catch (e) {
        if ((e as { code?: string }).code === "UNAUTHENTICATED") setAnonymous(true);
        else setFailed(e as Error);
      }
    }, setFailed);
  }, [config]);
  if (anonymous) return <Navigate to="/signin" replace />;
  if (failed) return <ErrorBox error={failed} />;
  if (!me) return <Loading />;
  return (
    <SessionContext.Provider value={{ config, me }}>
      <Shell />
    </SessionContext.Provider>
  );
}

function Shell() {
  const { t, lang, setLang } = useI18n();
  const { me, config } = useSession();
  const navigate = useNavigate();
  const isSupervisor = me.roles.includes("supervisor");
  const isHr = me.roles.includes("agency_admin") || me.roles.includes("central_admin");
  return (
    <>
      <a className="skip" href="#main">
        {t("skipToContent")}
      </a>
      <header className="top">
        <Link to="/" className="brand">
          <span className="brand-name">{t("appName")}</span>
          <span className="brand-tag">{t("appTagline")}</span>
        </Link>
        <nav aria-label={t("mainMenu")}>
          <ul>
            <li>
              <NavLink to="/" end>
                {t("navDashboard")}
              </NavLink>
            </li>
            {isSupervisor && (
              <li>
                <NavLink to="/queue">{t("navQueue")}</NavLink>
              </li>
            )}
            {isHr && (
              <>
                <li>
                  <NavLink to="/hr/stage">{t("navStage")}</NavLink>
                </li>
                <li>
                  <NavLink to="/hr/groups">{t("navGroups")}</NavLink>
                </li>
              </>
            )}
          </ul>
        </nav>
        <div className="tools">
          <span className="who">{me.name ?? me.subject}</span>
          <button
            type="button"
            className="secondary"
            lang={lang === "th" ? "en" : "th"}
            onClick={() => setLang(lang === "th" ? "en" : "th")}
          >
            {t("switchLanguage")}
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => void signOut(config).then(() => navigate("/signin"))}
          >
            {t("signOut")}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Routes>
          <Route path="/" element={<Dashboard />} />
          <Route path="/assessments/:personId/:id" element={<AssessmentScreen mode="self" />} />
          <Route path="/reviews/:personId/:id" element={<AssessmentScreen mode="review" />} />
          <Route path="/plans/:personId/:planId" element={<PlanScreen />} />
          <Route path="/queue" element={<QueueScreen />} />
          <Route path="/hr/stage" element={<StageScreen />} />
          <Route path="/hr/groups" element={<GroupsScreen />} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </main>
    </>
  );
}

function NotFound() {
  const { t } = useI18n();
  return (
    <section>
      <h1>{t("notFoundTitle")}</h1>
      <Link to="/">{t("back")}</Link>
    </section>
  );
}

