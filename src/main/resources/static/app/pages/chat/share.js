// A chat's shared link, from its menu in the chat list or the share button of the chat's header: makes a read-only
// link to a copy of the shown branch, updates that copy (the link stays the same) or revokes the link.
import {del, get, put} from "../../api.js";
import {field} from "../../controls.js";
import {h, replace} from "../../dom.js";
import {language, t} from "../../i18n.js";

/** Opens the dialog for `chat` ({id, title}); resolves when it closes. */
export async function openShareDialog(chat) {
    let link = null;
    try {
        link = await get(`/api/v1/chats/${chat.id}/share`);
    } catch (e) {
        if (e.status !== 404) {
            throw e;
        }
    }
    const body = h("div", {class: "fields"});
    const status = h("p", {class: "muted", role: "status"});
    const dialog = h("dialog", {class: "share", "aria-label": t("share.title")},
        h("h2", {}, t("share.title")), body, status,
        h("div", {class: "buttons"}, h("button", {type: "button", onclick: () => dialog.close()}, t("dialog.close"))));
    const closed = new Promise(resolve => dialog.addEventListener("close", () => {
        dialog.remove();
        resolve();
    }));
    document.body.append(dialog);
    draw();
    dialog.showModal();
    return closed;

    function draw() {
        if (!link) {
            replace(body, h("p", {}, t("share.explain")),
                h("div", {class: "row"}, button(t("share.create"), "primary", async () => {
                    link = await put(`/api/v1/chats/${chat.id}/share`);
                    return t("share.created");
                })));
            return;
        }
        const url = new URL(link.path, location.origin).href;
        const input = h("input", {readonly: true, value: url, class: "secret"});
        replace(body,
            h("p", {}, t(link.access === "anyone" ? "share.anyone" : "share.signedIn")),
            field(t("share.link"), input),
            h("p", {class: "muted small"}, t("share.takenAt", {date: new Date(link.updatedAt).toLocaleString(language())})),
            h("div", {class: "row"},
                button(t("share.copy"), "primary", async () => {
                    input.select();
                    await navigator.clipboard.writeText(url);
                    return t("share.copied");
                }),
                h("a", {href: link.path, target: "_blank", rel: "noopener"}, t("share.open")),
                button(t("share.update"), "", async () => {
                    link = await put(`/api/v1/chats/${chat.id}/share`);
                    return t("share.updated");
                }),
                button(t("share.revoke"), "danger", async () => {
                    await del(`/api/v1/chats/${chat.id}/share`);
                    link = null;
                    return t("share.revoked");
                })));
        input.addEventListener("focus", () => input.select());
    }

    function button(label, cls, run) {
        return h("button", {type: "button", class: cls, onclick: async (e) => {
            e.currentTarget.disabled = true;
            status.textContent = "";
            try {
                const said = await run();
                draw();
                status.textContent = said;
            } catch (error) {
                status.textContent = error.message;
                draw();
            }
        }}, label);
    }
}
