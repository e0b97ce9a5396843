// The heading of the settings, admin and knowledge pages, with the button that opens the chat list on a phone
// (the chat page has the same button in its own header).
import {h} from "../dom.js";
import {t} from "../i18n.js";

export function pageHeader(root, title) {
    return h("header", {class: "page-header"},
        h("button", {type: "button", class: "icon menu-toggle", "aria-label": t("sidebar.toggle"),
            onclick: () => root.closest(".shell")?.classList.add("sidebar-open")}, "☰"),
        h("h1", {}, title));
}
