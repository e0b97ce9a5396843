// Confirm and prompt as <dialog> elements: accessible (focus stays inside, Esc cancels) and, unlike
// window.confirm, styled and testable. Both resolve to the answer, or null/false when cancelled.
import {h} from "./dom.js";
import {t} from "./i18n.js";

function open(title, body, okLabel, {danger = false, read = () => true} = {}) {
    return new Promise((resolve) => {
        const dialog = h("dialog", {"aria-label": title});
        const ok = h("button", {type: "submit", class: danger ? "primary danger" : "primary", value: "ok"}, okLabel);
        const form = h("form", {method: "dialog"},
            h("h2", {}, title), body,
            h("div", {class: "buttons"},
                h("button", {type: "button", onclick: () => dialog.close("cancel")}, t("dialog.cancel")), ok));
        dialog.append(form);
        dialog.addEventListener("close", () => {
            const answer = dialog.returnValue === "ok" ? read() : null;
            dialog.remove();
            resolve(answer);
        });
        document.body.append(dialog);
        dialog.showModal();
    });
}

/** A dialog around any form body; `read` turns it into the answer when the user saves. */
export function formDialog(title, body, read, focus) {
    const answer = open(title, body, t("dialog.save"), {read});
    focus?.focus();
    return answer;
}

export async function confirmDialog(title, message, okLabel) {
    return (await open(title, h("p", {}, message), okLabel, {danger: true})) === true;
}

export function promptDialog(title, label, value = "") {
    const input = h("input", {value, required: true, maxlength: "200"});
    const body = h("label", {class: "field"}, h("span", {}, label), input);
    const answer = open(title, body, t("dialog.save"), {read: () => input.value.trim() || null});
    input.select();
    return answer;
}
