// Versions of a message. Regenerating an answer or editing a question adds a sibling, and the arrows switch
// between siblings; each changes the chat's active branch on the server, which the page then shows anew.
import {post, put} from "../../api.js";
import {h, replace} from "../../dom.js";
import {t} from "../../i18n.js";

/** ‹ n/total ›: the versions of a message, `switchTo(messageId)` showing another one. */
export function versionSwitcher(siblings, id, switchTo) {
    const at = siblings.indexOf(id);
    return h("span", {class: "branches", role: "group"},
        h("button", {type: "button", class: "icon", "aria-label": t("chat.previous"), disabled: at <= 0,
            onclick: () => switchTo(siblings[at - 1])}, "‹"),
        h("span", {"aria-label": t("chat.version", {n: at + 1, total: siblings.length})}, `${at + 1}/${siblings.length}`),
        h("button", {type: "button", class: "icon", "aria-label": t("chat.next"), disabled: at >= siblings.length - 1,
            onclick: () => switchTo(siblings[at + 1])}, "›"));
}

/**
 * `chat()` gives the chat, `model()` the model chosen for new answers, `reload()` shows the active branch
 * again and `report(text)` shows what failed. Returns regenerate(message), switchTo(messageId), edit(view).
 */
export function branchActions({chat, model, reload, report}) {
    async function regenerate(message) {
        await post(`/api/v1/messages/${message.id}/regenerate`, {model: model()});
        await reload();
    }

    async function switchTo(messageId) {
        await put(`/api/v1/chats/${chat().id}/active-leaf`, {messageId});
        await reload();
    }

    /** Editing a question sends the new text as a sibling: the old branch stays one click away. */
    function edit(view) {
        const {message, element} = view;
        const box = h("textarea", {"aria-label": t("chat.edit"), rows: "3", value: message.content});
        const form = h("form", {class: "edit", onsubmit: async (e) => {
            e.preventDefault();
            if (!box.value.trim()) {
                return;
            }
            try {
                await post(`/api/v1/chats/${chat().id}/messages`, {content: box.value, parentId: message.parentId, model: model()});
                await reload();
            } catch (error) {
                report(error.message);
            }
        }},
            box,
            h("div", {class: "row"},
                h("button", {type: "submit", class: "primary"}, t("chat.saveAndSend")),
                h("button", {type: "button", onclick: () => view.draw()}, t("dialog.cancel"))));
        box.addEventListener("keydown", (e) => {
            if (e.key === "Escape") {
                e.stopPropagation();
                view.draw();
            }
        });
        replace(element, form);
        box.focus();
    }

    return {regenerate, switchTo, edit};
}
