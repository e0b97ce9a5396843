// First run: creates the administrator with the one-time token that the server printed in its log
// (the link ends with ?token=…). On success the server has signed the administrator in.
import {post} from "../api.js";
import {busy, errorLine, field, languageAndTheme} from "../controls.js";
import {h} from "../dom.js";
import {t} from "../i18n.js";

export function mount(root, ctx) {
    document.title = t("auth.setupTitle") + " · Nosso";
    const token = new URLSearchParams(location.search).get("token");
    const error = errorLine();
    const name = h("input", {name: "name", autocomplete: "name", required: true, maxlength: "100"});
    const email = h("input", {name: "email", type: "email", autocomplete: "username", required: true});
    const password = h("input", {name: "password", type: "password", autocomplete: "new-password", required: true,
        minlength: "8", maxlength: "256"});
    const submit = h("button", {type: "submit", class: "primary", disabled: !token}, t("auth.setupSubmit"));
    const form = h("form", {
        class: "card", onsubmit: (event) => {
            event.preventDefault();
            busy(form, error, async () => {
                await post("/api/v1/auth/setup", {token, name: name.value, email: email.value, password: password.value});
                await ctx.refreshMe();
                ctx.navigate("/", {replace: true});
            });
        },
    },
        h("h1", {}, t("auth.setupTitle")),
        token ? h("p", {}, t("auth.setupHelp")) : null,
        field(t("auth.name"), name),
        field(t("auth.email"), email),
        field(t("auth.password"), password),
        submit,
        error,
        h("p", {}, h("a", {href: "/signin"}, t("auth.signIn"))));
    root.append(h("main", {class: "centered"}, form, languageAndTheme()));
    if (!token) {
        error.textContent = t("auth.setupNoToken");
    }
    name.focus();
}
