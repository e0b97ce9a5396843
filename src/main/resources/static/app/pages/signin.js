// Sign-in. A pending account signs in too: the router then shows it the "waiting for approval" page.
import {post} from "../api.js";
import {busy, errorLine, field, languageAndTheme} from "../controls.js";
import {h} from "../dom.js";
import {t} from "../i18n.js";

export function mount(root, ctx) {
    document.title = t("auth.signIn") + " · Nosso";
    const error = errorLine();
    const email = h("input", {name: "email", type: "email", autocomplete: "username", required: true});
    const password = h("input", {name: "password", type: "password", autocomplete: "current-password", required: true});
    const form = h("form", {
        class: "card", onsubmit: (event) => {
            event.preventDefault();
            busy(form, error, async () => {
                await post("/api/v1/auth/login", {email: email.value, password: password.value});
                await ctx.refreshMe();
                const next = new URLSearchParams(location.search).get("next");
                ctx.navigate(next && next.startsWith("/") && !next.startsWith("//") ? next : "/", {replace: true});
            });
        },
    },
        h("h1", {}, t("auth.signInTitle")),
        field(t("auth.email"), email),
        field(t("auth.password"), password),
        h("button", {type: "submit", class: "primary"}, t("auth.signIn")),
        error,
        h("p", {}, t("auth.noAccount"), " ", h("a", {href: "/signup"}, t("auth.signUp"))));
    root.append(h("main", {class: "centered"}, form, languageAndTheme()));
    email.focus();
}
