import { useEffect, useState } from "react";
import { devPersonas, devSignIn, type Persona } from "../auth";
import { useI18n, type MessageKey } from "../i18n";
import { ErrorBox, Loading } from "../ui";

const PERSONAS: [string, MessageKey][] = [
  ["employee", "personaEmployee"],
  ["supervisor", "personaSupervisor"],
  ["hr", "personaHr"],
];

/** Development only (THAKSA_DEV_SIGNIN): the server answers 404 for this page otherwise. */
export function DevSignIn() {
  const { t, lang, setLang } = useI18n();
  const [people, setPeople] = useState<Persona[] | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [persona, setPersona] = useState("employee");
  useEffect(() => {
    devPersonas().then(setPeople, setError);
  }, []);
  const names = new Map((people ?? []).map((p) => [p.subject, p.name_th]));
  const go = (subject: string) =>
    devSignIn(subject, persona).then(() => window.location.assign("/portal/"), setError);
  return (
    <main id="main" className="signin wide">
      <h1>{t("devSignInTitle")}</h1>
      <p className="muted">{t("devSignInNote")}</p>
      <button type="button" className="secondary" onClick={() => setLang(lang === "th" ? "en" : "th")}>
        {t("switchLanguage")}
      </button>
      <fieldset className="inline">
        <legend>{t("persona")}</legend>
        {PERSONAS.map(([value, label]) => (
          <label key={value}>
            <input
              type="radio"
              name="persona"
              value={value}
              checked={persona === value}
              onChange={() => setPersona(value)}
            />
            {t(label)}
          </label>
        ))}
      </fieldset>
      {error && <ErrorBox error={error} />}
      {!people && !error && <Loading />}
      {people && (
        <ul className="people">
          {people.map((p) => (
            <li key={p.subject} data-subject={p.subject} data-supervisor={p.supervisor_subject ?? ""}>
              <button type="button" className="person" onClick={() => void go(p.subject)}>
                <span className="visually-hidden">{t("signInAs")} </span>
                <strong>{p.name_th}</strong>
                <span>{p.position ?? ""}</span>
                <span className="muted">
                  {p.agency}
                  {p.supervisor_subject ? ` · ${t("supervisorOf")}: ${names.get(p.supervisor_subject) ?? p.supervisor_subject}` : ""}
                  {p.has_reports ? ` · ${t("hasReports")}` : ""}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
