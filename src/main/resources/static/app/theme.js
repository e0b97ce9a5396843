// Light or dark: "system" (the default) follows prefers-color-scheme through CSS alone; an explicit choice
// sets data-theme on <html>, which the stylesheet's variables key on.
const KEY = "nosso.theme";

export const THEMES = ["system", "light", "dark"];

export function theme() {
    return localStorage.getItem(KEY) || "system";
}

export function setTheme(name) {
    if (name === "system") {
        localStorage.removeItem(KEY);
    } else {
        localStorage.setItem(KEY, name);
    }
    apply();
}

/** The theme in effect, for code that must pick between two resources (the code-highlight style). */
export function effectiveTheme() {
    const chosen = theme();
    if (chosen !== "system") {
        return chosen;
    }
    return matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

export function apply() {
    const chosen = theme();
    if (chosen === "system") {
        delete document.documentElement.dataset.theme;
    } else {
        document.documentElement.dataset.theme = chosen;
    }
    document.dispatchEvent(new CustomEvent("nosso:theme", {detail: effectiveTheme()}));
}
