// Administration's shared links: whether a link to a shared chat works for anyone who has it or only for people
// signed in to this server (the default). Saved as soon as it changes.
import {get, patch} from "../../api.js";
import {busy, errorLine, field} from "../../controls.js";
import {h} from "../../dom.js";
import {t} from "../../i18n.js";

/** The section and load(). */
export function sharingSection() {
    const error = errorLine();
    const status = h("p", {class: "muted", role: "status"});
    const who = h("select", {onchange: () => {
        status.textContent = "";
        busy(section, error, async () => {
            who.value = (await patch("/api/v1/admin/sharing", {links: who.value})).links;
            status.textContent = t("admin.sharing.saved");
        });
    }},
        h("option", {value: "signed-in"}, t("admin.sharing.signedIn")),
        h("option", {value: "anyone"}, t("admin.sharing.anyone")));
    const section = h("section", {class: "panel", "aria-labelledby": "admin-sharing"},
        h("h2", {id: "admin-sharing"}, t("admin.sharing")),
        h("p", {class: "muted"}, t("admin.sharing.hint")),
        h("div", {class: "row"}, field(t("admin.sharing.who"), who), status),
        error);

    async function load() {
        try {
            who.value = (await get("/api/v1/admin/sharing")).links;
        } catch (e) {
            error.textContent = e.message;
        }
    }

    return {section, load};
}
