// Small pieces several pages share: a labelled field, a form's error line, the language and theme choosers.
import {h} from "./dom.js";
import {LANGUAGES, language, setLanguage, t} from "./i18n.js";
import {THEMES, setTheme, theme} from "./theme.js";

/** A label wrapping its control, so the control's accessible name is the label's text. */
export function field(label, control) {
    return h("label", {class: "field"}, h("span", {}, label), control);
}

/** The line where a form says what went wrong; role=alert so screen readers announce it. */
export function errorLine() {
    return h("p", {class: "error", role: "alert"});
}

/** Language and theme, switchable anywhere; a change re-renders the app in place. */
export function languageAndTheme() {
    const languages = h("select", {
        onchange: async (e) => {
            await setLanguage(e.target.value);
            document.dispatchEvent(new Event("nosso:rerender"));
        },
    }, LANGUAGES.map(l => h("option", {value: l.code, selected: l.code === language()}, l.name)));
    const themes = h("select", {onchange: (e) => setTheme(e.target.value)},
        THEMES.map(name => h("option", {value: name, selected: name === theme()}, t("prefs.theme." + name))));
    return h("div", {class: "prefs"}, field(t("prefs.language"), languages), field(t("prefs.theme"), themes));
}

/** Runs an action, showing a failure in the error line `error` (emptied first). */
export async function attempt(error, action) {
    error.textContent = "";
    try {
        await action();
    } catch (e) {
        error.textContent = e.message;
    }
}

/** Runs a form's action with its buttons disabled, showing a failure in `error`. */
export async function busy(form, error, action) {
    const buttons = form.querySelectorAll("button");
    buttons.forEach(b => b.disabled = true);
    try {
        await attempt(error, action);
    } finally {
        buttons.forEach(b => b.disabled = false);
    }
}
