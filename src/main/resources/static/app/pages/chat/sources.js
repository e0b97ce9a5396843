// The "Sources" part of the chat settings, loaded when they first open: the collections the chat searches,
// whether it searches the user's past conversations (memory), and the files attached to the chat.
import {del, get} from "../../api.js";
import {h, replace} from "../../dom.js";
import {t} from "../../i18n.js";

/** Returns the fieldset, fill(chat) (null for a chat not made yet) and values() to save with the chat. */
export function sourcesSection() {
    const collections = h("select", {multiple: true, size: "4", "aria-label": t("chat.sources.collections")});
    const noCollections = h("p", {class: "muted", hidden: true}, t("chat.sources.noCollections"));
    const memory = h("input", {type: "checkbox", onchange: () => memoryKnown = true});
    let memoryKnown = false;
    const files = h("ul", {class: "chat-files", "aria-label": t("chat.sources.files")});
    const section = h("fieldset", {class: "sources"},
        h("legend", {}, t("chat.sources")),
        h("label", {class: "field"}, h("span", {}, t("chat.sources.collections")), collections),
        noCollections,
        h("label", {class: "check"}, memory, " ", t("chat.sources.memory")),
        h("p", {class: "muted"}, t("chat.sources.files")), files);

    async function fill(chat) {
        const [all, attached] = await Promise.all([
            get("/api/v1/collections"),
            chat ? get(`/api/v1/chats/${chat.id}/files`) : Promise.resolve([])]);
        const chosen = new Set(chat?.collectionIds || []);
        replace(collections, all.map(c => h("option", {value: c.id, selected: chosen.has(c.id)}, c.name)));
        noCollections.hidden = all.length > 0;
        collections.hidden = all.length === 0;
        memory.checked = Boolean(chat?.memory);
        memoryKnown = Boolean(chat); // a chat not made yet keeps the server's default unless this is changed
        showFiles(chat, attached);
    }

    function showFiles(chat, attached) {
        replace(files, attached.length === 0 ? h("li", {class: "muted"}, t("chat.sources.noFiles")) : attached.map(f =>
            h("li", {}, h("a", {href: `/api/v1/files/${f.id}/content`, target: "_blank", rel: "noopener"}, f.name),
                " ", h("span", {class: "muted"}, f.status === "failed" ? t("chat.file.failed", {reason: f.error || ""}) : t("chat.file." + (f.status === "ready" ? "ready" : "waiting"))),
                " ", h("button", {type: "button", class: "icon", "aria-label": t("chat.file.remove", {name: f.name}), onclick: async () => {
                    await del(`/api/v1/chats/${chat.id}/files/${f.id}`);
                    showFiles(chat, attached.filter(x => x.id !== f.id));
                }}, "×"))));
    }

    /** What PATCH /api/v1/chats/{id} takes for the chosen sources. */
    const values = () => ({collectionIds: [...collections.selectedOptions].map(o => o.value),
        ...(memoryKnown ? {memory: memory.checked} : {})});
    return {section, fill, values};
}
