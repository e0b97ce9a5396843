// A chat's menu in the list: pin, rename, move to a folder, tags, share, archive, export, delete. A change is announced with
// the document event nosso:chat (detail: the chat as saved), a deletion with nosso:chat-gone (detail: its id).
import {del, get, patch, post} from "../api.js";
import {confirmDialog, formDialog, promptDialog} from "../dialogs.js";
import {download, h} from "../dom.js";
import {t} from "../i18n.js";

/**
 * Opens the menu of `chat` under its list item (closing any other), or closes it if it was open.
 * `report(text)` shows what failed; `filtersChanged()` after the user's folders or tags changed.
 */
export function toggleChatMenu(li, button, chat, {report, filtersChanged}) {
    const open = li.querySelector(".chat-menu");
    closeChatMenus();
    if (open) {
        return;
    }
    const act = (label, action, cls) => h("button", {type: "button", role: "menuitem", class: cls, onclick: async () => {
        menu.remove();
        button.setAttribute("aria-expanded", "false");
        try {
            await action();
        } catch (e) {
            report(e.message);
        }
    }}, label);
    const menu = h("div", {class: "chat-menu", role: "menu"},
        act(chat.pinned ? t("sidebar.chat.unpin") : t("sidebar.chat.pin"), () => change(chat, {pinned: !chat.pinned})),
        act(t("sidebar.chat.rename"), async () => {
            const title = await promptDialog(t("sidebar.chat.rename"), t("sidebar.chat.newTitle"), chat.title);
            if (title) {
                await change(chat, {title});
            }
        }),
        act(t("sidebar.chat.moveToFolder"), async () => await chooseFolder(chat) && filtersChanged()),
        act(t("sidebar.chat.editTags"), async () => await editTags(chat) && filtersChanged()),
        act(t("sidebar.chat.share"), async () => (await import("../pages/chat/share.js")).openShareDialog(chat)),
        act(chat.archived ? t("sidebar.chat.unarchive") : t("sidebar.chat.archive"), () => change(chat, {archived: !chat.archived})),
        act(t("sidebar.chat.exportJson"), () => download(`/api/v1/chats/${chat.id}/export?format=json`)),
        act(t("sidebar.chat.exportMarkdown"), () => download(`/api/v1/chats/${chat.id}/export?format=markdown`)),
        act(t("sidebar.chat.delete"), async () => {
            if (await confirmDialog(t("sidebar.chat.delete"), t("sidebar.chat.confirmDelete", {title: chat.title}), t("sidebar.chat.delete"))) {
                await del("/api/v1/chats/" + chat.id);
                document.dispatchEvent(new CustomEvent("nosso:chat-gone", {detail: chat.id}));
            }
        }, "danger"));
    li.append(menu);
    button.setAttribute("aria-expanded", "true");
    menu.querySelector("button").focus();
    menu.addEventListener("keydown", (e) => {
        if (e.key === "Escape") {
            menu.remove();
            button.setAttribute("aria-expanded", "false");
            button.focus();
        }
    });
}

export function closeChatMenus() {
    document.querySelectorAll(".chat-menu").forEach(m => m.remove());
    document.querySelectorAll(".chat-item [aria-expanded=true]").forEach(b => b.setAttribute("aria-expanded", "false"));
}

/** Moves the chat to a folder, maybe a new one; false when the user cancelled. */
async function chooseFolder(chat) {
    const folders = await get("/api/v1/folders");
    const select = h("select", {},
        h("option", {value: ""}, t("sidebar.chat.noFolder")),
        folders.map(f => h("option", {value: f.id, selected: f.id === chat.folderId}, f.name)));
    const name = h("input", {maxlength: "100", placeholder: t("sidebar.chat.newFolderName")});
    const body = h("div", {class: "fields"},
        h("label", {class: "field"}, h("span", {}, t("sidebar.chat.folder")), select),
        h("label", {class: "field"}, h("span", {}, t("sidebar.chat.newFolder")), name));
    const choice = await formDialog(t("sidebar.chat.moveToFolder"), body, () => ({id: select.value, name: name.value.trim()}), select);
    if (!choice) {
        return false;
    }
    let folderId = choice.id || null;
    if (choice.name) {
        folderId = (await post("/api/v1/folders", {name: choice.name})).id;
    }
    await change(chat, {folderId});
    return true;
}

/** Sets the chat's tags from a comma-separated list; false when the user cancelled. */
async function editTags(chat) {
    const input = h("input", {value: (chat.tags || []).join(", "), maxlength: "500"});
    const body = h("label", {class: "field"}, h("span", {}, t("sidebar.chat.tagsHelp")), input);
    const text = await formDialog(t("sidebar.chat.tags"), body, () => input.value, input);
    if (text === null) {
        return false;
    }
    const wanted = [...new Set(text.split(",").map(tag => tag.trim()).filter(Boolean))];
    let updated = chat;
    for (const tag of chat.tags || []) {
        if (!wanted.some(w => w.toLowerCase() === tag.toLowerCase())) {
            await del(`/api/v1/chats/${chat.id}/tags/${encodeURIComponent(tag)}`);
        }
    }
    for (const tag of wanted) {
        updated = await post(`/api/v1/chats/${chat.id}/tags`, {name: tag});
    }
    if (wanted.length === 0) {
        updated = await get("/api/v1/chats/" + chat.id);
    }
    document.dispatchEvent(new CustomEvent("nosso:chat", {detail: updated}));
    return true;
}

async function change(chat, changes) {
    const updated = await patch("/api/v1/chats/" + chat.id, changes);
    document.dispatchEvent(new CustomEvent("nosso:chat", {detail: updated}));
}
