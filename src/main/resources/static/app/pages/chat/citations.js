// Citations in an answer, loaded with the first answer that has sources: each [n] becomes a button opening
// the cited passage, and the sources are listed below the answer.
import {h} from "../../dom.js";
import {t} from "../../i18n.js";

/**
 * Turns the [n] markers of a sanitised answer into buttons opening the cited passage (walking text nodes:
 * no HTML is ever built from strings), and adds a compact list of the sources below it.
 */
export function cite(body, sources) {
    if (!sources || sources.length === 0) {
        return;
    }
    const byN = new Map(sources.map(s => [s.n, s]));
    const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT, {
        acceptNode: (node) => node.parentElement.closest("pre, code, a") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
    });
    const texts = [];
    while (walker.nextNode()) {
        texts.push(walker.currentNode);
    }
    const marker = /\[(\d{1,3})\]/g;
    for (const node of texts) {
        const text = node.nodeValue;
        if (!marker.test(text)) {
            continue;
        }
        marker.lastIndex = 0;
        const parts = [];
        let at = 0;
        for (const found of text.matchAll(marker)) {
            const source = byN.get(Number(found[1]));
            if (!source) {
                continue;
            }
            parts.push(text.slice(at, found.index), citeButton(source));
            at = found.index + found[0].length;
        }
        if (parts.length > 0) {
            parts.push(text.slice(at));
            node.replaceWith(...parts.filter(p => p !== ""));
        }
    }
    const list = h("ol", {class: "source-list"}, sources.map(s => h("li", {value: String(s.n)},
        h("button", {type: "button", class: "link", onclick: () => openPassage(s)}, s.sourceName || s.sourceKind))));
    body.after(h("details", {class: "sources-below"}, h("summary", {}, t("chat.sources") + ` (${sources.length})`), list));
}

function citeButton(source) {
    return h("button", {type: "button", class: "cite", "aria-label": t("chat.cite", {n: source.n}),
        title: source.sourceName || "", onclick: () => openPassage(source)}, `[${source.n}]`);
}

function openPassage(source) {
    document.querySelector("dialog.passage")?.remove();
    // A shared chat's passages carry no ids: their files and chats are the owner's.
    const link = !source.sourceId ? null : source.sourceKind === "file"
        ? h("a", {href: `/api/v1/files/${source.sourceId}/content`, target: "_blank", rel: "noopener"}, t("chat.cite.openFile"))
        : source.chatId ? h("a", {href: `/c/${source.chatId}`}, t("chat.cite.openChat")) : null;
    const heading = Array.isArray(source.headingPath) ? source.headingPath.join(" › ") : (source.headingPath || "");
    const dialog = h("dialog", {class: "passage", "aria-label": t("chat.cite", {n: source.n})},
        h("header", {}, h("strong", {}, `[${source.n}] `, source.sourceName || ""),
            h("button", {type: "button", class: "icon", "aria-label": t("dialog.close"), onclick: () => dialog.close()}, "×")),
        heading ? h("p", {class: "muted heading-path"}, heading) : null,
        h("blockquote", {class: "passage-text"}, source.text || ""),
        link);
    dialog.addEventListener("close", () => dialog.remove());
    document.body.append(dialog);
    dialog.showModal();
}
