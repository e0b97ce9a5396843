// What a new, empty chat shows: a few questions to start from (a click sends one), or, when no model is
// available yet, what to do about it: an administrator is led to connect one, anyone else is told that the
// administrator has not done so yet.
import {h} from "../../dom.js";
import {t} from "../../i18n.js";

const PROMPTS = ["chat.starter.explain", "chat.starter.summarize", "chat.starter.write", "chat.starter.plan"];

/** `ask(text)` sends a question; returns the element and noModels(none, catalog). */
export function starters({ask, me, navigate}) {
    const list = h("ul", {class: "starters", "aria-label": t("chat.starters")},
        ...PROMPTS.map(key => h("li", {}, h("button", {type: "button", class: "starter",
            onclick: () => ask(t(key))}, t(key)))));
    const element = h("div", {class: "start"}, list);

    /** Replaces the prompts with a card when there is no model to answer them. */
    function noModels(none, catalog) {
        if (!none) {
            return;
        }
        const probed = catalog.connections.some(c => c.status === "not-found");
        const card = me?.role === "admin"
            ? h("section", {class: "card connect-model", "aria-labelledby": "connect-model-title"},
                h("h2", {id: "connect-model-title"}, t("chat.connect.title")),
                h("p", {}, t("chat.connect.body")),
                probed ? h("p", {class: "muted"}, t("chat.connect.ollamaNotFound")) : null,
                h("a", {class: "button primary", href: "/admin#connections",
                    onclick: (e) => { e.preventDefault(); navigate("/admin#connections"); }}, t("chat.connect.action")))
            : h("section", {class: "card connect-model", role: "status"},
                h("h2", {}, t("chat.noModel.title")), h("p", {}, t("chat.noModel.body")));
        element.replaceChildren(card);
        // "Ask anything" above it would say the opposite of the card.
        element.parentElement?.querySelector(".empty-chat")?.setAttribute("hidden", "");
    }

    return {element, noModels};
}
