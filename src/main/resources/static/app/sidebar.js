// The chat list: pinned chats, then the rest newest first with infinite scroll (the API's cursor pages),
// search by words or by meaning, a folder or tag filter, archived chats, and each chat's menu (pin, rename,
// folder, tags, archive, delete).
// Pages tell it about changes with document events: nosso:chat (a chat was created or changed, detail = chat)
// and nosso:chat-gone (detail = id). It tells the app nothing: it only navigates.
import {del, get, patch, post, query} from "./api.js";
import {languageAndTheme} from "./controls.js";
import {confirmDialog, formDialog, promptDialog} from "./dialogs.js";
import {h, replace} from "./dom.js";
import {t} from "./i18n.js";

const PAGE = 30;

export function mount(root, ctx) {
    let view = "chats";        // "chats" | "archived" | "search"
    let cursor = null;         // next page of the current list
    let loading = false;
    let searchTimer = 0;
    let generation = 0;        // bumped by every restart, so a late page of an old list is dropped
    const chats = new Map();   // id -> chat, of everything shown

    const searchBox = h("input", {type: "search", "aria-label": t("sidebar.search"), placeholder: t("sidebar.search"),
        oninput: () => { clearTimeout(searchTimer); searchTimer = setTimeout(restart, 250); }});
    const byMeaning = h("input", {type: "checkbox", onchange: () => searchBox.value.trim() && restart()});
    const filter = h("select", {"aria-label": t("sidebar.filter"), onchange: () => restart()});
    const pinnedList = h("ul", {"aria-label": t("sidebar.pinned")});
    const pinnedSection = h("section", {hidden: true}, h("h2", {}, t("sidebar.pinned")), pinnedList);
    const listTitle = h("h2", {}, t("sidebar.recent"));
    const list = h("ul", {"aria-label": t("sidebar.recent")});
    const empty = h("p", {class: "muted", hidden: true});
    const sentinel = h("div", {class: "sentinel"});
    const scroller = h("nav", {class: "chat-list", "aria-label": t("sidebar.label")},
        pinnedSection, h("section", {}, listTitle, list, empty, sentinel));
    const archivedToggle = h("button", {type: "button", onclick: () => {
        view = view === "archived" ? "chats" : "archived";
        searchBox.value = "";
        restart();
    }}, t("sidebar.showArchived"));

    const shellElement = root.closest(".shell");
    const closeMenu = () => shellElement?.classList.remove("sidebar-open");

    root.append(
        h("div", {class: "sidebar-top"},
            h("button", {type: "button", class: "primary new-chat", onclick: () => { closeMenu(); ctx.navigate("/"); }},
                "+ " + t("sidebar.newChat")),
            h("button", {type: "button", class: "icon menu-toggle", "aria-label": t("sidebar.close"), onclick: closeMenu}, "✕")),
        h("div", {class: "search", role: "search"}, searchBox,
            h("label", {class: "byMeaning"}, byMeaning, t("sidebar.byMeaning")), filter),
        scroller,
        h("div", {class: "sidebar-bottom"},
            archivedToggle,
            ctx.menu.length ? h("nav", {class: "pages", "aria-label": t("sidebar.pages")},
                ctx.menu.map(entry => h("a", {href: entry.href, onclick: closeMenu}, t(entry.label)))) : null,
            languageAndTheme(),
            h("div", {class: "who"}, h("span", {title: ctx.me.email}, ctx.me.name || ctx.me.email),
                h("button", {type: "button", onclick: () => ctx.signOut()}, t("auth.signOut")))));

    function item(chat) {
        // The server's default title is English; shown in the UI's language instead.
        const title = !chat.title || chat.title === "New chat" ? t("sidebar.newChat") : chat.title;
        const link = h("a", {href: "/c/" + chat.id, onclick: closeMenu}, title);
        if (chat.tags?.length) {
            link.append(h("span", {class: "tags"}, chat.tags.map(tag => "#" + tag).join(" ")));
        }
        const menuButton = h("button", {type: "button", class: "icon", "aria-haspopup": "true", "aria-expanded": "false",
            "aria-label": t("sidebar.actions", {title: chat.title})}, "⋯");
        const li = h("li", {class: "chat-item", dataset: {id: chat.id}}, link, menuButton);
        menuButton.addEventListener("click", () => toggleMenu(li, menuButton, chat));
        if (location.pathname === "/c/" + chat.id) {
            li.classList.add("current");
            link.setAttribute("aria-current", "page");
        }
        return li;
    }

    function toggleMenu(li, button, chat) {
        const open = li.querySelector(".chat-menu");
        document.querySelectorAll(".chat-menu").forEach(m => m.remove());
        document.querySelectorAll(".chat-item [aria-expanded=true]").forEach(b => b.setAttribute("aria-expanded", "false"));
        if (open) {
            return;
        }
        const act = (label, action, cls) => h("button", {type: "button", role: "menuitem", class: cls, onclick: async () => {
            menu.remove();
            button.setAttribute("aria-expanded", "false");
            try {
                await action();
            } catch (e) {
                empty.hidden = false;
                empty.textContent = e.message;
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
            act(t("sidebar.chat.moveToFolder"), () => chooseFolder(chat)),
            act(t("sidebar.chat.editTags"), () => editTags(chat)),
            act(chat.archived ? t("sidebar.chat.unarchive") : t("sidebar.chat.archive"), () => change(chat, {archived: !chat.archived})),
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
            return;
        }
        let folderId = choice.id || null;
        if (choice.name) {
            folderId = (await post("/api/v1/folders", {name: choice.name})).id;
        }
        await change(chat, {folderId});
        await loadFilters();
    }

    async function editTags(chat) {
        const input = h("input", {value: (chat.tags || []).join(", "), maxlength: "500"});
        const body = h("label", {class: "field"}, h("span", {}, t("sidebar.chat.tagsHelp")), input);
        const text = await formDialog(t("sidebar.chat.tags"), body, () => input.value, input);
        if (text === null) {
            return;
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
        await loadFilters();
    }

    /** The filter's choices: every folder and every tag the user has. */
    async function loadFilters() {
        const chosen = filter.value;
        try {
            const [folders, tags] = await Promise.all([get("/api/v1/folders"), get("/api/v1/tags")]);
            replace(filter,
                h("option", {value: ""}, t("sidebar.allChats")),
                folders.length ? h("optgroup", {label: t("sidebar.chat.folder")},
                    folders.map(f => h("option", {value: "folder:" + f.id}, f.name))) : null,
                tags.length ? h("optgroup", {label: t("sidebar.chat.tags")},
                    tags.map(tag => h("option", {value: "tag:" + tag.name}, "#" + tag.name + " (" + tag.chatCount + ")"))) : null);
            filter.value = [...filter.options].some(o => o.value === chosen) ? chosen : "";
            filter.hidden = folders.length === 0 && tags.length === 0;
        } catch {
            filter.hidden = true;
        }
    }

    function filterParams() {
        const [kind, value] = filter.value.split(/:(.*)/);
        return kind === "folder" ? {folderId: value} : kind === "tag" ? {tag: value} : {};
    }

    async function change(chat, changes) {
        const updated = await patch("/api/v1/chats/" + chat.id, changes);
        document.dispatchEvent(new CustomEvent("nosso:chat", {detail: updated}));
    }

    // Where a chat belongs in the current view, or null when it does not belong there.
    function placeOf(chat) {
        const only = filterParams();
        if ((only.folderId && chat.folderId !== only.folderId) || (only.tag && !(chat.tags || []).includes(only.tag))) {
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

    function show(chat) {
        const old = root.querySelector(`.chat-item[data-id="${chat.id}"]`);
        const target = placeOf(chat);
        if (!target) {
            old?.remove();
            chats.delete(chat.id);
        } else if (old && old.parentElement === target && view === "search") {
            old.replaceWith(item(chat));
        } else {
            old?.remove();
            target.prepend(item(chat)); // a change makes it the newest
            chats.set(chat.id, chat);
        }
        refreshEmpty();
    }

    function refreshEmpty() {
        pinnedSection.hidden = view !== "chats" || pinnedList.children.length === 0;
        const none = list.children.length === 0 && pinnedList.children.length === 0;
        empty.hidden = !none || loading;
        empty.textContent = t(view === "search" ? "sidebar.noResults" : view === "archived" ? "sidebar.noArchived" : "sidebar.empty");
    }

    async function loadMore() {
        if (loading || cursor === undefined) {
            return;
        }
        loading = true;
        const run = generation;
        try {
            const q = searchBox.value.trim();
            const params = {limit: PAGE, cursor, ...filterParams()};
            let page;
            if (view === "search") {
                page = await get("/api/v1/search/chats" + query({...params, q, mode: byMeaning.checked ? "semantic" : null}));
            } else if (view === "archived") {
                page = await get("/api/v1/chats" + query({...params, archived: true}));
            } else {
                page = await get("/api/v1/chats" + query({...params, pinned: false}));
            }
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
            empty.hidden = false;
            empty.textContent = e.message;
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
        if (cursor !== undefined && sentinel.getBoundingClientRect().top < scroller.getBoundingClientRect().bottom + 200) {
            loadMore();
        }
    }

    async function restart() {
        generation++;
        loading = false;
        observer.unobserve(sentinel);
        const run = generation;
        const q = searchBox.value.trim();
        view = q ? "search" : view === "search" ? "chats" : view;
        cursor = null;
        chats.clear();
        replace(list);
        replace(pinnedList);
        listTitle.textContent = view === "search" ? t("sidebar.results") : view === "archived" ? t("sidebar.archived") : t("sidebar.recent");
        archivedToggle.textContent = view === "archived" ? t("sidebar.hideArchived") : t("sidebar.showArchived");
        if (view === "chats") {
            try {
                const pinned = await get("/api/v1/chats" + query({pinned: true, limit: 100, ...filterParams()}));
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

    const observer = new IntersectionObserver((entries) => entries.some(e => e.isIntersecting) && loadMore(),
        {root: scroller, rootMargin: "200px"});

    const onChat = (e) => show(e.detail);
    const onGone = (e) => {
        root.querySelector(`.chat-item[data-id="${e.detail}"]`)?.remove();
        chats.delete(e.detail);
        refreshEmpty();
        if (location.pathname === "/c/" + e.detail) {
            ctx.navigate("/", {replace: true});
        }
    };
    const onRoute = () => root.querySelectorAll(".chat-item").forEach(li => {
        const current = location.pathname === "/c/" + li.dataset.id;
        li.classList.toggle("current", current);
        li.querySelector("a").toggleAttribute("aria-current", current);
        if (current) {
            li.querySelector("a").setAttribute("aria-current", "page");
        }
    });
    const onOutside = (e) => {
        if (!e.target.closest?.(".chat-item")) {
            document.querySelectorAll(".chat-menu").forEach(m => m.remove());
        }
    };
    document.addEventListener("nosso:chat", onChat);
    document.addEventListener("nosso:chat-gone", onGone);
    document.addEventListener("nosso:route", onRoute);
    document.addEventListener("click", onOutside);
    loadFilters();
    restart();

    return () => {
        observer.disconnect();
        clearTimeout(searchTimer);
        document.removeEventListener("nosso:chat", onChat);
        document.removeEventListener("nosso:chat-gone", onGone);
        document.removeEventListener("nosso:route", onRoute);
        document.removeEventListener("click", onOutside);
    };
}
