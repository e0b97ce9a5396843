// One conversation: its messages (the active branch, newest window first, older ones loaded on scroll up),
// the composer, the model picker and the chat's own settings. An answer still being written, found on load,
// after a send, a regenerate or an edit, is followed from the characters already shown (stream.js), so a
// reload or a dropped connection neither loses nor repeats text.
import {ApiError, get, patch, post, put, query} from "../api.js";
import {field} from "../controls.js";
import {h, replace} from "../dom.js";
import {t} from "../i18n.js";
import {renderMarkdown} from "../markdown.js";
import {follow} from "../stream.js";

const WINDOW = 50;
const MODEL_KEY = "nosso.model";
const DEFAULT_TITLE = "New chat"; // the server's name for a chat nobody named yet
const unfinished = (m) => m.status === "pending" || m.status === "streaming";

/** A paperclip drawn in SVG: an emoji may have no glyph in the system's fonts. */
function paperclip() {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    for (const [name, value] of Object.entries({viewBox: "0 0 24 24", width: "20", height: "20", fill: "none",
        stroke: "currentColor", "stroke-width": "2", "stroke-linecap": "round", "stroke-linejoin": "round", "aria-hidden": "true"})) {
        svg.setAttribute(name, value);
    }
    const path = document.createElementNS(ns, "path");
    path.setAttribute("d", "M21 11.5l-8.6 8.6a5.5 5.5 0 0 1-7.8-7.8l8.6-8.6a3.7 3.7 0 0 1 5.2 5.2l-8.6 8.6a1.8 1.8 0 0 1-2.6-2.6l7.9-7.9");
    svg.append(path);
    return svg;
}

export async function mount(root, ctx) {
    let chat = null;
    let nextCursor = null;      // older messages of the active branch; null at the root
    let loadingOlder = false;
    let left = false;
    const items = new Map();    // message id -> {message, siblings, element}
    const followers = new Map(); // answer id -> follower

    // --- the page's parts ---------------------------------------------------------------------------------
    const title = h("h1", {class: "chat-title"}, t("chat.untitled"));
    const modelSelect = h("select", {"aria-label": t("chat.model"), onchange: () => {
        localStorage.setItem(MODEL_KEY, modelSelect.value);
        showProviderWarning();
    }});
    const providerWarning = h("p", {class: "warning", role: "status", hidden: true});
    const settings = settingsPanel();
    const older = h("p", {class: "muted older", hidden: true}, t("chat.older"));
    const topSentinel = h("div", {class: "sentinel"});
    const list = h("div", {class: "messages-inner"});
    const emptyNote = h("p", {class: "muted empty-chat"}, t("chat.empty"));
    const log = h("div", {class: "messages", role: "log", "aria-label": t("chat.messages")}, topSentinel, older, emptyNote, list);
    const input = h("textarea", {rows: "1", "aria-label": t("chat.message"), placeholder: t("chat.placeholder"),
        maxlength: "200000"});
    const sendButton = h("button", {type: "submit", class: "primary"}, t("chat.send"));
    const stopButton = h("button", {type: "button", class: "danger", hidden: true, onclick: stopAll}, t("chat.stop"));
    const composerError = h("p", {class: "error", role: "alert"});
    // Files: the paperclip is drawn at once; the knowledge module (chips, uploads, citations) loads on first use.
    let files = null;           // the attachments, once the module is loaded
    let sendWhenReady = false;  // a send asked for while files were still being read
    const attachSlot = h("div", {class: "attachment-slot"});
    const attachButton = h("button", {type: "button", class: "icon attach", "aria-label": t("chat.attach"),
        title: t("chat.attach"), onclick: async () => (await attachments()).picker.click()}, paperclip());
    const composer = h("form", {class: "composer", onsubmit: (e) => { e.preventDefault(); sendTyped(); }},
        composerError, attachSlot, h("div", {class: "composer-row"}, attachButton, input, sendButton, stopButton));
    composer.addEventListener("dragover", (e) => {
        if (e.dataTransfer?.types?.includes("Files")) {
            e.preventDefault();
            composer.classList.add("dropping");
        }
    });
    composer.addEventListener("dragleave", () => composer.classList.remove("dropping"));
    composer.addEventListener("drop", async (e) => {
        if (e.dataTransfer?.files?.length) {
            e.preventDefault();
            composer.classList.remove("dropping");
            const dropped = [...e.dataTransfer.files];
            (await attachments()).add(dropped);
        }
    });

    const menuToggle = h("button", {type: "button", class: "icon menu-toggle", "aria-label": t("sidebar.toggle"),
        onclick: () => root.closest(".shell")?.classList.add("sidebar-open")}, "☰");
    root.append(
        h("header", {class: "chat-header"}, menuToggle, title, modelSelect, settings.toggle),
        providerWarning, settings.panel, log, composer);

    input.addEventListener("keydown", (e) => {
        if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            sendTyped();
        }
    });
    input.addEventListener("input", grow);
    const onKey = (e) => {
        if (e.key === "Escape" && followers.size > 0 && !document.querySelector("dialog[open]")) {
            e.preventDefault();
            stopAll();
        }
    };
    document.addEventListener("keydown", onKey);
    const onChat = (e) => {
        if (chat && e.detail.id === chat.id) {
            chat = e.detail;
            showTitle();
        }
    };
    document.addEventListener("nosso:chat", onChat);
    const olderObserver = new IntersectionObserver((entries) => entries.some(e => e.isIntersecting) && loadOlder(),
        {root: log, rootMargin: "400px 0px 0px 0px"});

    // --- loading --------------------------------------------------------------------------------------------
    const modelsLoaded = loadModels();
    if (ctx.params.chatId) {
        try {
            chat = await get("/api/v1/chats/" + ctx.params.chatId);
        } catch (e) {
            replace(list, h("p", {class: "error", role: "alert"}, e.message));
            emptyNote.hidden = true;
            composer.hidden = true;
            return leave;
        }
        showTitle();
        settings.fill();
        await modelsLoaded;
        // The chat goes on with the model it last used, if it is still offered (the list may have come first).
        if (chat.model && [...modelSelect.options].some(o => o.value === chat.model)) {
            modelSelect.value = chat.model;
            showProviderWarning();
        }
        await loadLatest();
    } else {
        document.title = t("chat.untitled") + " · Nosso";
        await modelsLoaded;
    }
    input.focus();
    return leave;

    function leave() {
        left = true;
        files?.close();
        followers.forEach(f => f.close());
        followers.clear();
        olderObserver.disconnect();
        document.removeEventListener("keydown", onKey);
        document.removeEventListener("nosso:chat", onChat);
    }

    async function attachments() {
        if (!files) {
            const knowledge = await import("../knowledge.js");
            files = files || knowledge.attachments({ensureChat: async () => { await ensureChat(); return chat; },
                changed: filesChanged});
            attachSlot.append(files.picker, files.chips);
        }
        return files;
    }

    function filesChanged() {
        const waiting = files?.pending();
        sendButton.textContent = waiting ? t("chat.sendWaits") : t("chat.send");
        sendButton.classList.toggle("waiting", Boolean(waiting));
        if (!waiting && sendWhenReady) {
            sendWhenReady = false;
            sendTyped();
        }
    }

    function showTitle() {
        title.textContent = !chat.title || chat.title === DEFAULT_TITLE ? t("chat.untitled") : chat.title;
        document.title = title.textContent + " · Nosso";
    }

    async function loadModels() {
        try {
            const catalog = await get("/api/v1/models");
            const health = new Map(catalog.connections.map(c => [c.id, c]));
            const groups = new Map();
            for (const model of catalog.models) {
                const key = model.connectionId;
                if (!groups.has(key)) {
                    const connection = health.get(key);
                    const name = model.connectionName || connection?.name || "";
                    const label = connection && !connection.healthy ? t("chat.unavailable", {name}) : name;
                    groups.set(key, h("optgroup", {label}));
                }
                groups.get(key).append(h("option", {value: model.id, dataset: {connection: key}}, model.name || model.id));
            }
            replace(modelSelect, [...groups.values()]);
            modelSelect.health = health;
            const wanted = localStorage.getItem(MODEL_KEY);
            if (wanted && catalog.models.some(m => m.id === wanted)) {
                modelSelect.value = wanted;
            }
            if (catalog.models.length === 0) {
                composerError.textContent = t("chat.noModels");
            }
            showProviderWarning();
        } catch (e) {
            composerError.textContent = e.message;
        }
    }

    // Every provider that is failing right now, the chosen model's first: its models may be listed from
    // before it failed, or be missing altogether.
    function showProviderWarning() {
        const chosen = modelSelect.selectedOptions[0]?.dataset.connection;
        const down = [...(modelSelect.health?.values() || [])].filter(c => !c.healthy)
            .sort((a, b) => (b.id === chosen) - (a.id === chosen));
        providerWarning.hidden = down.length === 0;
        providerWarning.textContent = down.map(c => t("chat.providerDown", {name: c.name, error: c.error || ""})).join(" ");
    }

    /** The newest window of the active branch; answers still being written are followed. */
    async function loadLatest() {
        followers.forEach(f => f.close());
        followers.clear();
        items.clear();
        olderObserver.disconnect();
        const page = await get(`/api/v1/chats/${chat.id}/messages` + query({limit: WINDOW}));
        if (left) {
            return;
        }
        nextCursor = page.nextCursor;
        replace(list, page.items.map(render));
        emptyNote.hidden = page.items.length > 0;
        scrollToEnd();
        page.items.filter(unfinished).forEach(m => attach(items.get(m.id)));
        refreshComposer();
        // Observed only now: at the top of an empty log the sentinel is in view and would load at once.
        requestAnimationFrame(() => !left && olderObserver.observe(topSentinel));
    }

    async function loadOlder() {
        if (loadingOlder || !nextCursor || left) {
            return;
        }
        loadingOlder = true;
        older.hidden = false;
        try {
            const page = await get(`/api/v1/chats/${chat.id}/messages` + query({limit: WINDOW, cursor: nextCursor}));
            const before = log.scrollHeight;
            list.prepend(...page.items.map(render));
            log.scrollTop += log.scrollHeight - before; // the message being read stays where it was
            nextCursor = page.nextCursor;
        } catch (e) {
            composerError.textContent = e.message;
        } finally {
            loadingOlder = false;
            older.hidden = true;
        }
    }

    // --- one message ------------------------------------------------------------------------------------------
    function render(data) {
        const {siblings = [data.id], ...message} = data;
        const element = h("article", {class: "message " + message.role, dataset: {id: message.id}});
        const item = {message, siblings, element};
        items.set(message.id, item);
        draw(item);
        return element;
    }

    function draw(item) {
        const {message, element} = item;
        element.className = "message " + message.role + " " + message.status;
        element.setAttribute("aria-label", message.role === "user" ? t("chat.you") : t("chat.assistant"));
        element.setAttribute("aria-busy", String(unfinished(message)));
        const body = h("div", {class: "body"});
        fillBody(body, message);
        replace(element, body, meta(item));
        if (message.role === "assistant" && !unfinished(message) && message.sources?.length) {
            import("../knowledge.js").then(k => body.isConnected && k.cite(body, message.sources));
        }
    }

    function fillBody(body, message) {
        if (message.role === "assistant") {
            replace(body, renderMarkdown(message.content, {finished: !unfinished(message)}));
        } else {
            body.textContent = message.content; // a person's own words, shown as typed
        }
    }

    function meta(item) {
        const {message, siblings} = item;
        const parts = h("div", {class: "meta"});
        if (siblings.length > 1) {
            const at = siblings.indexOf(message.id);
            parts.append(h("span", {class: "branches", role: "group"},
                h("button", {type: "button", class: "icon", "aria-label": t("chat.previous"), disabled: at <= 0,
                    onclick: () => switchTo(siblings[at - 1])}, "‹"),
                h("span", {"aria-label": t("chat.version", {n: at + 1, total: siblings.length})}, `${at + 1}/${siblings.length}`),
                h("button", {type: "button", class: "icon", "aria-label": t("chat.next"), disabled: at >= siblings.length - 1,
                    onclick: () => switchTo(siblings[at + 1])}, "›")));
        }
        if (message.role === "assistant") {
            if (message.status !== "complete") {
                const reason = message.status === "error" || message.status === "interrupted" ? message.error : null;
                parts.append(h("span", {class: "status " + message.status, role: "status"},
                    t("chat.status." + message.status) + (reason ? ": " + reason : "")));
            }
            if (!unfinished(message)) {
                if (message.status === "error" || message.status === "interrupted") {
                    parts.append(action(t("chat.retry"), () => regenerate(message)));
                }
                parts.append(action(t("chat.copy"), (button) => copy(message.content, button)));
                parts.append(action(t("chat.regenerate"), () => regenerate(message)));
            }
            const usage = describeUsage(message);
            if (usage || message.model) {
                parts.append(h("span", {class: "usage", title: usage, tabindex: usage ? "0" : null}, message.model || ""));
            }
        } else if (message.role === "user") {
            parts.append(action(t("chat.copy"), (button) => copy(message.content, button)));
            parts.append(action(t("chat.edit"), () => edit(item)));
        }
        return parts;
    }

    function action(label, run) {
        const button = h("button", {type: "button", class: "icon"}, label);
        button.addEventListener("click", async () => {
            try {
                await run(button);
            } catch (e) {
                composerError.textContent = e.message;
            }
        });
        return button;
    }

    async function copy(text, button) {
        await navigator.clipboard.writeText(text);
        button.textContent = t("chat.copied");
        setTimeout(() => button.textContent = t("chat.copy"), 1500);
    }

    function describeUsage(message) {
        const u = message.usage;
        if (!u) {
            return "";
        }
        return [
            u.promptTokens != null && t("chat.usage.prompt", {n: u.promptTokens}),
            u.completionTokens != null && t("chat.usage.completion", {n: u.completionTokens}),
            u.timeToFirstTokenMs != null && t("chat.usage.firstToken", {ms: u.timeToFirstTokenMs}),
            u.durationMs != null && t("chat.usage.duration", {s: (u.durationMs / 1000).toFixed(1)}),
            u.tokensPerSecond != null && t("chat.usage.speed", {n: u.tokensPerSecond.toFixed(1)}),
        ].filter(Boolean).join(" · ");
    }

    // --- answers being written ------------------------------------------------------------------------------
    function attach(item) {
        const id = item.message.id;
        if (followers.has(id)) {
            return;
        }
        let frame = 0;
        const follower = follow(id, item.message.content.length, {
            onDelta: (text) => {
                item.message.content += text;
                const wasPending = item.message.status === "pending";
                item.message.status = "streaming";
                // One render per frame however many tokens arrive; the whole message (its status line too)
                // only when it stops waiting, the text alone otherwise.
                if (!frame) {
                    frame = requestAnimationFrame(() => {
                        frame = 0;
                        const stick = nearEnd();
                        if (wasPending || !item.element.classList.contains("streaming")) {
                            draw(item);
                        } else {
                            fillBody(item.element.querySelector(".body"), item.message);
                        }
                        if (stick) {
                            scrollToEnd();
                        }
                    });
                }
            },
            onEnd: (message, reason) => {
                cancelAnimationFrame(frame);
                followers.delete(id);
                if (message) {
                    if (message.content !== item.message.content) {
                        console.error("The streamed text differs from the stored answer", id);
                    }
                    item.message = {...message, error: message.error || reason};
                    if (unfinished(message)) {
                        // Left by a server that stopped: nothing more will come; it is marked at its next start.
                        item.message.status = "interrupted";
                    }
                } else {
                    item.message = {...item.message, status: "error", error: reason};
                }
                const stick = nearEnd();
                draw(item);
                if (stick) {
                    scrollToEnd();
                }
                refreshComposer();
                refreshChat();
            },
        });
        followers.set(id, follower);
        refreshComposer();
    }

    function refreshComposer() {
        const streaming = followers.size > 0;
        stopButton.hidden = !streaming;
        sendButton.hidden = streaming;
    }

    async function stopAll() {
        await Promise.all([...followers.keys()].map(id => post(`/api/v1/messages/${id}/cancel`).catch(() => {})));
    }

    // The server names a new chat after its first answer, a moment after that answer ends; the sidebar and
    // the header learn the name from here, asking again a few times while it is still the default one.
    async function refreshChat(tries = 3) {
        if (!chat || left) {
            return;
        }
        try {
            const fresh = await get("/api/v1/chats/" + chat.id);
            document.dispatchEvent(new CustomEvent("nosso:chat", {detail: fresh}));
            if (fresh.title === DEFAULT_TITLE && fresh.messageCount <= 2 && tries > 1) {
                setTimeout(() => refreshChat(tries - 1), 2000);
            }
        } catch {
            // the chat may have been deleted meanwhile; nothing to show
        }
    }

    // --- sending, regenerating, editing, switching branches ---------------------------------------------------
    async function sendTyped() {
        const text = input.value;
        if (!text.trim() || followers.size > 0) {
            return;
        }
        if (files?.pending()) {
            sendWhenReady = true; // answers must not miss a file still being read: sent once it is ready
            return;
        }
        composerError.textContent = "";
        sendButton.disabled = true;
        try {
            await modelsLoaded; // the composer is usable at once; the model it sends with may still be on its way
            await ensureChat();
            const started = await post(`/api/v1/chats/${chat.id}/messages`, {content: text, model: modelSelect.value || undefined});
            input.value = "";
            grow();
            files?.clearSettled();
            emptyNote.hidden = true;
            const question = started.userMessage || started;
            list.append(render({...question, siblings: [question.id]}));
            if (started.assistantMessage) {
                const answer = started.assistantMessage;
                list.append(render({...answer, siblings: [answer.id]}));
                attach(items.get(answer.id));
            }
            scrollToEnd();
        } catch (e) {
            composerError.textContent = e.message;
        } finally {
            sendButton.disabled = false;
            input.focus();
        }
    }

    async function ensureChat() {
        if (!chat) {
            chat = await post("/api/v1/chats", {});
            showTitle();
            ctx.navigate("/c/" + chat.id, {quiet: true});
            document.dispatchEvent(new CustomEvent("nosso:chat", {detail: chat}));
        }
    }

    async function regenerate(message) {
        await post(`/api/v1/messages/${message.id}/regenerate`, {model: modelSelect.value || undefined});
        await loadLatest();
    }

    async function switchTo(messageId) {
        await put(`/api/v1/chats/${chat.id}/active-leaf`, {messageId});
        await loadLatest();
    }

    /** Editing a question sends the new text as a sibling: the old branch stays one click away. */
    function edit(item) {
        const {message, element} = item;
        const box = h("textarea", {"aria-label": t("chat.edit"), rows: "3", value: message.content});
        const form = h("form", {class: "edit", onsubmit: async (e) => {
            e.preventDefault();
            if (!box.value.trim()) {
                return;
            }
            try {
                await post(`/api/v1/chats/${chat.id}/messages`,
                    {content: box.value, parentId: message.parentId, model: modelSelect.value || undefined});
                await loadLatest();
            } catch (error) {
                composerError.textContent = error.message;
            }
        }},
            box,
            h("div", {class: "row"},
                h("button", {type: "submit", class: "primary"}, t("chat.saveAndSend")),
                h("button", {type: "button", onclick: () => draw(item)}, t("dialog.cancel"))));
        box.addEventListener("keydown", (e) => {
            if (e.key === "Escape") {
                e.stopPropagation();
                draw(item);
            }
        });
        replace(element, form);
        box.focus();
    }

    // --- per-chat settings ------------------------------------------------------------------------------------
    function settingsPanel() {
        const systemPrompt = h("textarea", {rows: "4", maxlength: "20000"});
        const temperature = h("input", {type: "number", min: "0", max: "2", step: "0.1", inputmode: "decimal"});
        const maxTokens = h("input", {type: "number", min: "1", step: "1", inputmode: "numeric"});
        const note = h("p", {class: "muted", role: "status"});
        const sourcesSlot = h("div", {class: "sources-slot"});
        let sources = null; // collections, memory and files: the knowledge module, loaded when the panel opens
        const panel = h("form", {class: "chat-settings", hidden: true, "aria-label": t("chat.settings"),
            onsubmit: async (e) => {
                e.preventDefault();
                note.textContent = "";
                try {
                    await ensureChat();
                    chat = await patch("/api/v1/chats/" + chat.id, {
                        systemPrompt: systemPrompt.value.trim() || null,
                        temperature: temperature.value === "" ? null : Number(temperature.value),
                        maxTokens: maxTokens.value === "" ? null : Number(maxTokens.value),
                        ...(sources ? sources.values() : {}),
                    });
                    note.textContent = t("chat.saved");
                } catch (error) {
                    note.textContent = error instanceof ApiError ? error.message : String(error);
                }
            }},
            field(t("chat.systemPrompt"), systemPrompt),
            h("div", {class: "row"}, field(t("chat.temperature"), temperature), field(t("chat.maxTokens"), maxTokens)),
            sourcesSlot,
            h("div", {class: "row"}, h("button", {type: "submit", class: "primary"}, t("dialog.save")), note));
        const toggle = h("button", {type: "button", class: "icon", "aria-expanded": "false", "aria-label": t("chat.settings"),
            title: t("chat.settings"), onclick: () => {
                panel.hidden = !panel.hidden;
                toggle.setAttribute("aria-expanded", String(!panel.hidden));
                if (!panel.hidden) {
                    systemPrompt.focus();
                    showSources().catch(error => note.textContent = error.message);
                }
            }}, "⚙");
        async function showSources() {
            if (!sources) {
                const knowledge = await import("../knowledge.js");
                sources = sources || knowledge.sourcesSection();
                replace(sourcesSlot, sources.section);
            }
            await sources.fill(chat);
        }

        return {panel, toggle, fill: () => {
            systemPrompt.value = chat.systemPrompt || "";
            temperature.value = chat.temperature ?? "";
            maxTokens.value = chat.maxTokens ?? "";
        }};
    }

    // --- scrolling ----------------------------------------------------------------------------------------------
    function nearEnd() {
        return log.scrollHeight - log.scrollTop - log.clientHeight < 80;
    }

    function scrollToEnd() {
        log.scrollTop = log.scrollHeight;
    }

    function grow() {
        input.style.height = "auto";
        input.style.height = Math.min(input.scrollHeight, 240) + "px";
    }
}
