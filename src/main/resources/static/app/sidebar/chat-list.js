// The chats: pinned ones first, then the rest newest first, a page at a time as the list scrolls (the API's
// cursor pages); or the archived chats; or the results of a search. A chat changed elsewhere moves to where it
// belongs now, without reloading the list.
import {get, query} from "../api.js";
import {h, replace} from "../dom.js";
import {t} from "../i18n.js";
import {chatItem, markCurrent} from "./chat-item.js";

const PAGE = 30;

/**
 * `search` and `filter` are the sidebar's (search.js, filter.js); `picked()` when a chat's link is followed.
 * Returns the list's element, its archived-chats toggle, restart(), show(chat), remove(id), markCurrent(), close().
 */
export function chatList({search, filter, picked}) {
    let view = "chats";        // "chats" | "archived" | "search"
    let cursor = null;         // next page of the current list; undefined after the last
    let loading = false;
    let generation = 0;        // bumped by every restart, so a late page of an old list is dropped
    const chats = new Map();   // id -> chat, of everything shown

    const pinnedList = h("ul", {"aria-label": t("sidebar.pinned")});
    const pinnedSection = h("section", {hidden: true}, h("h2", {}, t("sidebar.pinned")), pinnedList);
    const listTitle = h("h2", {}, t("sidebar.recent"));
    const list = h("ul", {"aria-label": t("sidebar.recent")});
    const empty = h("p", {class: "muted", hidden: true});
    const sentinel = h("div", {class: "sentinel"});
    const element = h("nav", {class: "chat-list", "aria-label": t("sidebar.label")},
        pinnedSection, h("section", {}, listTitle, list, empty, sentinel));
    const archivedToggle = h("button", {type: "button", onclick: () => {
        view = view === "archived" ? "chats" : "archived";
        search.clear();
        restart();
    }}, t("sidebar.showArchived"));
    const observer = new IntersectionObserver((entries) => entries.some(e => e.isIntersecting) && loadMore(),
        {root: element, rootMargin: "200px"});
    const menu = {report, filtersChanged: filter.load};
    const item = (chat) => chatItem(chat, {picked, menu});

    function report(text) {
        empty.hidden = false;
        empty.textContent = text;
    }

    // Where a chat belongs in the current view, or null when it does not belong there.
    function placeOf(chat) {
        if (!filter.admits(chat)) {
            return null;
        }
        if (view === "search") {
            return chats.has(chat.id) ? list : null;
        }
        if (view === "archived") {
            return chat.archived ? list : null;
        }
        return chat.archived ? null : chat.pinned ? pinnedList : list;
    }

    /** Shows a chat created or changed elsewhere where it belongs now, as the newest. */
    function show(chat) {
        const old = element.querySelector(`.chat-item[data-id="${chat.id}"]`);
        const target = placeOf(chat);
        if (!target) {
            old?.remove();
            chats.delete(chat.id);
        } else if (old && old.parentElement === target && view === "search") {
            old.replaceWith(item(chat));
        } else {
            old?.remove();
            target.prepend(item(chat));
            chats.set(chat.id, chat);
        }
        refreshEmpty();
    }

    function remove(id) {
        element.querySelector(`.chat-item[data-id="${id}"]`)?.remove();
        chats.delete(id);
        refreshEmpty();
    }

    function refreshEmpty() {
        pinnedSection.hidden = view !== "chats" || pinnedList.children.length === 0;
        const none = list.children.length === 0 && pinnedList.children.length === 0;
        empty.hidden = !none || loading;
        empty.textContent = t(view === "search" ? "sidebar.noResults" : view === "archived" ? "sidebar.noArchived" : "sidebar.empty");
    }

    /** Adds the next page of the current list: `given` (the first, from GET /api/v1/pages/chat), or fetched. */
    async function loadMore(given = null) {
        if (loading || cursor === undefined) {
            return;
        }
        loading = true;
        const run = generation;
        try {
            const page = given || await fetchPage({limit: PAGE, cursor, ...filter.params()});
            if (run !== generation) {
                return; // the search changed meanwhile; this page belongs to the old one
            }
            for (const chat of page.items) {
                if (!chats.has(chat.id)) {
                    chats.set(chat.id, chat);
                    list.append(item(chat));
                }
            }
            cursor = page.nextCursor || undefined;
        } catch (e) {
            cursor = undefined;
            report(e.message);
            return;
        } finally {
            if (run === generation) {
                loading = false;
            }
        }
        if (run !== generation) {
            return;
        }
        refreshEmpty();
        // A short page may leave the sentinel in view; the observer would not fire again on its own.
        if (cursor !== undefined && sentinel.getBoundingClientRect().top < element.getBoundingClientRect().bottom + 200) {
            loadMore();
        }
    }

    function fetchPage(params) {
        if (view === "search") {
            return get("/api/v1/search/chats" + query({...params, q: search.text(), mode: search.semantic() ? "semantic" : null}));
        }
        return get("/api/v1/chats" + query(view === "archived" ? {...params, archived: true} : {...params, pinned: false}));
    }

    /**
     * Starts the list again from its first page, for the current view, search and filter. `given`, when the
     * sidebar opens: a promise of its lists from GET /api/v1/pages/chat, or of null.
     */
    async function restart(given = null) {
        generation++;
        loading = false;
        observer.unobserve(sentinel);
        const run = generation;
        view = search.text() ? "search" : view === "search" ? "chats" : view;
        cursor = null;
        chats.clear();
        replace(list);
        replace(pinnedList);
        listTitle.textContent = view === "search" ? t("sidebar.results") : view === "archived" ? t("sidebar.archived") : t("sidebar.recent");
        archivedToggle.textContent = view === "archived" ? t("sidebar.hideArchived") : t("sidebar.showArchived");
        const sidebar = view === "chats" && given ? await given : null;
        if (run !== generation) {
            return;
        }
        if (sidebar) {
            sidebar.pinned.forEach(chat => { chats.set(chat.id, chat); pinnedList.append(item(chat)); });
            await loadMore(sidebar.chats);
            observer.observe(sentinel);
            return;
        }
        if (view === "chats") {
            try {
                const pinned = await get("/api/v1/chats" + query({pinned: true, limit: 100, ...filter.params()}));
                if (run !== generation) {
                    return;
                }
                pinned.items.forEach(chat => { chats.set(chat.id, chat); pinnedList.append(item(chat)); });
            } catch {
                // the main list below shows the error
            }
        }
        await loadMore();
        // Watched from the first page on: before it, the sentinel is in view and would load a second page.
        observer.observe(sentinel);
    }

    return {
        element, archivedToggle, restart, show, remove,
        markCurrent: () => element.querySelectorAll(".chat-item").forEach(markCurrent),
        close: () => observer.disconnect(),
    };
}
