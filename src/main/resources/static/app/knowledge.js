// The knowledge side of the chat page, loaded only when it is first needed (a file is attached, the chat
// settings open, or an answer has sources): attachment chips with upload and ingestion progress, the chat's
// sources (collections, memory, attached files) and citations [n] that open the cited passage.
import {del, followJob, get, patch, uploadFile} from "./api.js";
import {h, replace} from "./dom.js";
import {t} from "./i18n.js";

/**
 * The attachments of the composer. `ensureChat()` gives the chat (creating it); `changed()` is called when
 * whether sending must wait changes.
 */
export function attachments({ensureChat, changed}) {
    const chips = h("ul", {class: "attachments", "aria-label": t("chat.attachments")});
    const picker = h("input", {type: "file", multiple: true, hidden: true, tabindex: "-1",
        onchange: () => { add([...picker.files]); picker.value = ""; }});
    const busy = new Set();
    const following = new Set();

    function settle(entry) {
        busy.delete(entry);
        changed();
    }

    async function add(files) {
        for (const file of files) {
            const bar = h("progress", {max: "100", value: "0"});
            const state = h("span", {class: "state", role: "status"}, t("chat.file.uploading", {pct: 0}));
            const entry = {};
            const remove = h("button", {type: "button", class: "icon", "aria-label": t("chat.file.remove", {name: file.name}),
                onclick: async () => {
                    entry.stop?.();
                    chip.remove();
                    settle(entry);
                    if (entry.fileId && entry.chatId) {
                        await del(`/api/v1/chats/${entry.chatId}/files/${entry.fileId}`).catch(() => {});
                    }
                }}, "×");
            const chip = h("li", {class: "chip", "aria-label": file.name}, h("span", {class: "name"}, file.name), bar, state, remove);
            chips.append(chip);
            busy.add(entry);
            changed();
            const fail = (reason) => {
                chip.classList.add("failed");
                bar.remove();
                state.textContent = t("chat.file.failed", {reason});
                settle(entry);
            };
            try {
                const chat = await ensureChat();
                entry.chatId = chat.id;
                const stored = await uploadFile(file, {chatId: chat.id}, (loaded, total) => {
                    const pct = Math.round(loaded * 100 / total);
                    bar.value = pct;
                    state.textContent = t("chat.file.uploading", {pct});
                });
                entry.fileId = stored.id;
                if (stored.status === "ready") {
                    ready();
                } else if (stored.status === "failed") {
                    fail(stored.error || "");
                } else {
                    bar.removeAttribute("value"); // reading: indeterminate until the job says how far
                    state.textContent = t("chat.file.waiting");
                    follow(stored);
                }
            } catch (e) {
                fail(e.message);
            }

            function ready() {
                chip.classList.add("ready");
                bar.remove();
                state.textContent = t("chat.file.ready");
                settle(entry);
            }

            function follow(stored) {
                const stop = followJob(stored.jobId, {
                    progress: (p) => {
                        if (p.total > 0) {
                            bar.max = p.total;
                            bar.value = p.done;
                            state.textContent = t("chat.file.reading", {done: p.done, total: p.total});
                        }
                    },
                    end: async () => {
                        following.delete(stop);
                        try {
                            const now = await get("/api/v1/files/" + stored.id);
                            now.status === "ready" ? ready() : fail(now.error || now.status);
                        } catch (err) {
                            fail(err.message);
                        }
                    },
                });
                entry.stop = stop;
                following.add(stop);
            }
        }
    }

    return {
        picker, chips, add,
        /** Whether a file is still being uploaded or read: sending waits for it. */
        pending: () => busy.size > 0,
        /** Clears the chips of files that are ready or failed: they stay attached to the chat. */
        clearSettled: () => [...chips.children].forEach(c => !c.querySelector("progress") && c.remove()),
        close: () => following.forEach(stop => stop()),
    };
}

/** The "Sources" part of the chat settings: collections, memory, and the files attached to the chat. */
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

// --- citations ----------------------------------------------------------------------------------------------

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
    const link = source.sourceKind === "file"
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
