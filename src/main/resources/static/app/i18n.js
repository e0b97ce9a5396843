// English and Brazilian Portuguese, one file of strings per language under strings/. The language comes from
// the browser unless the user picked one (kept in localStorage); t("key", {name}) fills {name} placeholders.
// English is always loaded, so a key missing from another language falls back to it, and a key missing
// everywhere shows itself: a gap is visible rather than blank. Any other language loads only when chosen.
import en from "./strings/en.js";

export const LANGUAGES = [{code: "en", name: "English"}, {code: "pt-BR", name: "Português (Brasil)"}];
const KEY = "nosso.language";

const tables = {en};
let current = choose();
await load(current);
document.documentElement.lang = current;

function choose() {
    const saved = localStorage.getItem(KEY);
    if (saved && LANGUAGES.some(l => l.code === saved)) {
        return saved;
    }
    for (const wanted of navigator.languages || [navigator.language]) {
        if ((wanted || "").toLowerCase().startsWith("pt")) {
            return "pt-BR";
        }
        if ((wanted || "").toLowerCase().startsWith("en")) {
            return "en";
        }
    }
    return "en";
}

async function load(code) {
    tables[code] ||= (await import(`./strings/${code}.js`)).default;
}

export function language() {
    return current;
}

/** Switches the language (loading its strings) and remembers the choice; the caller re-renders. */
export async function setLanguage(code) {
    if (LANGUAGES.some(l => l.code === code)) {
        await load(code);
        current = code;
        localStorage.setItem(KEY, code);
        document.documentElement.lang = code;
    }
}

export function t(key, params = {}) {
    const text = tables[current][key] ?? tables.en[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}
