// One message as an <article>: its text (an answer as sanitised markdown, a question as typed), its versions,
// its state, its actions (copy, edit, regenerate, retry) and the model with its usage on hover.
import {h, replace} from "../../dom.js";
import {t} from "../../i18n.js";
import {renderMarkdown} from "../../markdown.js";
import {versionSwitcher} from "./branches.js";

export const unfinished = (m) => m.status === "pending" || m.status === "streaming";

/**
 * A message's view. `data` is the API's message with its `siblings` (ids of its versions, in order);
 * `actions` = {regenerate(message), edit(view), switchTo(messageId), report(error)}. The view's `message` may
 * be replaced (an answer being written); then draw() shows all of it again, or showText() only its text.
 */
export function messageView(data, actions) {
    const {siblings = [data.id], ...message} = data;
    const view = {message, siblings, element: h("article", {class: "message " + message.role, dataset: {id: message.id}}),
        draw, showText};
    draw();
    return view;

    function draw() {
        const {message, element} = view;
        element.className = "message " + message.role + " " + message.status;
        element.setAttribute("aria-label", message.role === "user" ? t("chat.you") : t("chat.assistant"));
        element.setAttribute("aria-busy", String(unfinished(message)));
        const body = h("div", {class: "body"});
        fillBody(body, message);
        replace(element, body, meta());
        if (message.role === "assistant" && !unfinished(message) && message.sources?.length) {
            import("./citations.js").then(c => body.isConnected && c.cite(body, message.sources));
        }
    }

    function showText() {
        fillBody(view.element.querySelector(".body"), view.message);
    }

    function meta() {
        const {message, siblings} = view;
        const parts = h("div", {class: "meta"});
        if (siblings.length > 1) {
            parts.append(versionSwitcher(siblings, message.id, actions.switchTo));
        }
        if (message.role === "assistant") {
            if (message.status !== "complete") {
                const reason = message.status === "error" || message.status === "interrupted" ? message.error : null;
                parts.append(h("span", {class: "status " + message.status, role: "status"},
                    t("chat.status." + message.status) + (reason ? ": " + reason : "")));
            }
            if (!unfinished(message)) {
                if (message.status === "error" || message.status === "interrupted") {
                    parts.append(action(t("chat.retry"), () => actions.regenerate(message)));
                }
                parts.append(action(t("chat.copy"), (button) => copy(message.content, button)));
                parts.append(action(t("chat.regenerate"), () => actions.regenerate(message)));
            }
            const usage = describeUsage(message);
            if (usage || message.model) {
                parts.append(h("span", {class: "usage", title: usage, tabindex: usage ? "0" : null}, message.model || ""));
            }
        } else if (message.role === "user") {
            parts.append(action(t("chat.copy"), (button) => copy(message.content, button)));
            parts.append(action(t("chat.edit"), () => actions.edit(view)));
        }
        return parts;
    }

    function action(label, run) {
        const button = h("button", {type: "button", class: "icon"}, label);
        button.addEventListener("click", async () => {
            try {
                await run(button);
            } catch (e) {
                actions.report(e.message);
            }
        });
        return button;
    }
}

function fillBody(body, message) {
    if (message.role === "assistant") {
        replace(body, renderMarkdown(message.content, {finished: !unfinished(message)}));
    } else {
        body.textContent = message.content; // a person's own words, shown as typed
        if (message.attachments?.length) {
            body.append(attachedFiles(message.attachments));
        }
    }
}

// The files sent with a question: an image as a thumbnail that opens it whole, any other file by its name.
function attachedFiles(files) {
    return h("ul", {class: "sent-files", "aria-label": t("chat.attachments")}, ...files.map(file => {
        if (file.mediaType === "image/png" || file.mediaType === "image/jpeg") {
            const src = `/api/v1/files/${file.id}/content`;
            return h("li", {}, h("button", {type: "button", class: "thumb-button", "aria-label": t("chat.image.open", {name: file.name}),
                onclick: () => showImage(src, file.name)}, h("img", {class: "thumb", src, alt: file.name, loading: "lazy"})));
        }
        return h("li", {class: "chip"}, h("span", {class: "name"}, file.name));
    }));
}

function showImage(src, name) {
    const dialog = h("dialog", {class: "image-view", "aria-label": name},
        h("form", {method: "dialog"},
            h("img", {src, alt: name}),
            h("div", {class: "buttons"}, h("button", {type: "submit", class: "primary"}, t("dialog.close")))));
    dialog.addEventListener("close", () => dialog.remove());
    document.body.append(dialog);
    dialog.showModal();
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
