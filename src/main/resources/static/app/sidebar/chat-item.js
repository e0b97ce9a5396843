// One chat in the list: its link (marked when it is the chat shown), its tags, and the ⋯ button of its menu.
import {h} from "../dom.js";
import {t} from "../i18n.js";
import {toggleChatMenu} from "./chat-menu.js";

/** `picked()` when the link is followed; `menu` = {report, filtersChanged} goes to the chat's menu. */
export function chatItem(chat, {picked, menu}) {
    // The server's default title is English; shown in the UI's language instead.
    const title = !chat.title || chat.title === "New chat" ? t("sidebar.newChat") : chat.title;
    const link = h("a", {href: "/c/" + chat.id, onclick: picked}, title);
    if (chat.tags?.length) {
        link.append(h("span", {class: "tags"}, chat.tags.map(tag => "#" + tag).join(" ")));
    }
    const menuButton = h("button", {type: "button", class: "icon", "aria-haspopup": "true", "aria-expanded": "false",
        "aria-label": t("sidebar.actions", {title: chat.title})}, "⋯");
    const li = h("li", {class: "chat-item", dataset: {id: chat.id}}, link, menuButton);
    menuButton.addEventListener("click", () => toggleChatMenu(li, menuButton, chat, menu));
    markCurrent(li);
    return li;
}

/** Marks the item of the chat the page shows, and unmarks the others. */
export function markCurrent(li) {
    const current = location.pathname === "/c/" + li.dataset.id;
    const link = li.querySelector("a");
    li.classList.toggle("current", current);
    link.toggleAttribute("aria-current", current);
    if (current) {
        link.setAttribute("aria-current", "page");
    }
}
