// The sidebar: a new chat, the search and filter (sidebar/search.js, sidebar/filter.js), the chats
// (sidebar/chat-list.js, each with its menu: sidebar/chat-menu.js), and at the bottom the archived chats, links
// to the other pages, language and theme, and who is signed in.
// Pages tell it about changes with document events: nosso:chat (a chat was created or changed, detail = chat)
// and nosso:chat-gone (detail = id). It tells the app nothing: it only navigates.
import {languageAndTheme} from "./controls.js";
import {h} from "./dom.js";
import {t} from "./i18n.js";
import {chatFilter} from "./sidebar/filter.js";
import {chatList} from "./sidebar/chat-list.js";
import {closeChatMenus} from "./sidebar/chat-menu.js";
import {chatSearch} from "./sidebar/search.js";

export function mount(root, ctx) {
    const shellElement = root.closest(".shell");
    const closeMenu = () => shellElement?.classList.remove("sidebar-open");
    const search = chatSearch({changed: () => chats.restart()});
    const filter = chatFilter({changed: () => chats.restart()});
    const chats = chatList({search, filter, picked: closeMenu});

    root.append(
        h("div", {class: "sidebar-top"},
            h("button", {type: "button", class: "primary new-chat", onclick: () => { closeMenu(); ctx.navigate("/"); }},
                "+ " + t("sidebar.newChat")),
            h("button", {type: "button", class: "icon menu-toggle", "aria-label": t("sidebar.close"), onclick: closeMenu}, "✕")),
        h("div", {class: "search", role: "search"}, search.box, search.option, filter.select),
        chats.element,
        h("div", {class: "sidebar-bottom"},
            chats.archivedToggle,
            ctx.menu.length ? h("nav", {class: "pages", "aria-label": t("sidebar.pages")},
                ctx.menu.map(entry => h("a", {href: entry.href, onclick: closeMenu}, t(entry.label)))) : null,
            languageAndTheme(),
            h("div", {class: "who"}, h("span", {title: ctx.me.email}, ctx.me.name || ctx.me.email),
                h("button", {type: "button", onclick: () => ctx.signOut()}, t("auth.signOut")))));

    const onChat = (e) => chats.show(e.detail);
    const onGone = (e) => {
        chats.remove(e.detail);
        if (location.pathname === "/c/" + e.detail) {
            ctx.navigate("/", {replace: true});
        }
    };
    const onRoute = () => chats.markCurrent();
    const onChats = () => chats.restart(); // many chats came at once (an import)
    const onOutside = (e) => !e.target.closest?.(".chat-item") && closeChatMenus();
    document.addEventListener("nosso:chat", onChat);
    document.addEventListener("nosso:chat-gone", onGone);
    document.addEventListener("nosso:route", onRoute);
    document.addEventListener("nosso:chats", onChats);
    document.addEventListener("click", onOutside);
    filter.load(ctx.screen);
    chats.restart(ctx.screen);

    return () => {
        chats.close();
        search.close();
        document.removeEventListener("nosso:chat", onChat);
        document.removeEventListener("nosso:chat-gone", onGone);
        document.removeEventListener("nosso:route", onRoute);
        document.removeEventListener("nosso:chats", onChats);
        document.removeEventListener("click", onOutside);
    };
}
