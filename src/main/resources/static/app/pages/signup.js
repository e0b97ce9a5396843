// Sign-up. The server decides the new account's role: an active user is signed in at once; a pending one
// sees that an administrator must approve it first.
import {post} from "../api.js";
import {busy, errorLine, field, languageAndTheme} from "../controls.js";
import {h, replace} from "../dom.js";
import {t} from "../i18n.js";

export function mount(root, ctx) {
    document.title = t("auth.signUp") + " · Nosso";
    const error = errorLine();
    const name = h("input", {name: "name", autocomplete: "name", required: true, maxlength: "100"});
    const email = h("input", {name: "email", type: "email", autocomplete: "username", required: true});
    const password = h("input", {name: "password", type: "password", autocomplete: "new-password", required: true,
        minlength: "8", maxlength: "256"});
    const form = h("form", {
        class: "card", onsubmit: (event) => {
            event.preventDefault();
            busy(form, error, async () => {
                const account = {email: email.value, password: password.value, name: name.value};
                await post("/api/v1/auth/signup", account);
                await post("/api/v1/auth/login", {email: account.email, password: account.password});
                await ctx.refreshMe();
                ctx.navigate("/", {replace: true});
            });
        },
    },
        h("h1", {}, t("auth.signUpTitle")),
        field(t("auth.name"), name),
        field(t("auth.email"), email),
        field(t("auth.password"), password),
        h("button", {type: "submit", class: "primary"}, t("auth.signUp")),
        error,
        h("p", {}, t("auth.haveAccount"), " ", h("a", {href: "/signin"}, t("auth.signIn"))));
    replace(root, h("main", {class: "centered"}, form, languageAndTheme()));
    name.focus();
}
