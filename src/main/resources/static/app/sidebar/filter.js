// The chat list's filter: all chats, or those of one folder, or those with one tag.
import {get} from "../api.js";
import {h, replace} from "../dom.js";
import {t} from "../i18n.js";

/**
 * `changed()` when another choice is made. Returns the select, load() (the choices: every folder and tag the
 * user has), params() for the list's query, and admits(chat).
 */
export function chatFilter({changed}) {
    const select = h("select", {"aria-label": t("sidebar.filter"), onchange: () => changed()});

    /** `given`, when opening: a promise of the sidebar from GET /api/v1/pages/chat, or of null. */
    async function load(given = null) {
        const chosen = select.value;
        try {
            const sidebar = given && await given;
            const [folders, tags] = sidebar ? [sidebar.folders, sidebar.tags]
                : await Promise.all([get("/api/v1/folders"), get("/api/v1/tags")]);
            replace(select,
                h("option", {value: ""}, t("sidebar.allChats")),
                folders.length ? h("optgroup", {label: t("sidebar.chat.folder")},
                    folders.map(f => h("option", {value: "folder:" + f.id}, f.name))) : null,
                tags.length ? h("optgroup", {label: t("sidebar.chat.tags")},
                    tags.map(tag => h("option", {value: "tag:" + tag.name}, "#" + tag.name + " (" + tag.chatCount + ")"))) : null);
            select.value = [...select.options].some(o => o.value === chosen) ? chosen : "";
            select.hidden = folders.length === 0 && tags.length === 0;
        } catch {
            select.hidden = true;
        }
    }

    function params() {
        const [kind, value] = select.value.split(/:(.*)/);
        return kind === "folder" ? {folderId: value} : kind === "tag" ? {tag: value} : {};
    }

    function admits(chat) {
        const only = params();
        return !((only.folderId && chat.folderId !== only.folderId) || (only.tag && !(chat.tags || []).includes(only.tag)));
    }

    return {select, load, params, admits};
}
