// A signed-in account that an administrator has not approved yet: it can only wait, check again, or leave.
import {busy, errorLine, languageAndTheme} from "../controls.js";
import {h} from "../dom.js";
import {t} from "../i18n.js";

export function mount(root, ctx) {
    document.title = t("auth.pendingTitle") + " · Nosso";
    const error = errorLine();
    const card = h("section", {class: "card", "aria-labelledby": "pending-title"},
        h("h1", {id: "pending-title"}, t("auth.pendingTitle")),
        h("p", {}, t("auth.pending", {email: ctx.me.email})),
        h("div", {class: "row"},
            h("button", {
                type: "button", class: "primary", onclick: () => busy(card, error, async () => {
                    const me = await ctx.refreshMe();
                    if (me && me.role !== "pending") {
                        ctx.navigate(location.pathname, {replace: true});
                    }
                }),
            }, t("auth.checkAgain")),
            h("button", {type: "button", onclick: () => ctx.signOut()}, t("auth.signOut"))),
        error);
    root.append(h("main", {class: "centered"}, card, languageAndTheme()));
}
