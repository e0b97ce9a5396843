// The composer: the message box (Enter sends, Shift+Enter breaks the line), Send, or Stop while answers are being
// written (Escape too), and files by the paperclip, by dropping them or by pasting an image, in attachments.js,
// loaded on first use. A question asked while a file is still being read is sent once the file is ready.
import {h} from "../../dom.js";
import {t} from "../../i18n.js";

/**
 * `send(text, files)` sends a question with the files ready to go with it (throwing what failed), `stop()`
 * stops the answers, `running()` says whether any is being written. Returns the form, report(text),
 * streaming(on), focus(), ask(text) (fills the box and sends) and close().
 */
export function composerForm({send, stop, running}) {
    let files = null;           // the attachments, once their module is loaded
    let sendWhenReady = false;  // a send asked for while files were still being read
    const input = h("textarea", {rows: "1", "aria-label": t("chat.message"), placeholder: t("chat.placeholder"),
        maxlength: "200000"});
    const sendButton = h("button", {type: "submit", class: "primary"}, t("chat.send"));
    const stopButton = h("button", {type: "button", class: "danger", hidden: true, onclick: stop}, t("chat.stop"));
    const error = h("p", {class: "error", role: "alert"});
    const attachSlot = h("div", {class: "attachment-slot"});
    const attachButton = h("button", {type: "button", class: "icon attach", "aria-label": t("chat.attach"),
        title: t("chat.attach"), onclick: async () => (await attachments()).picker.click()}, paperclip());
    const form = h("form", {class: "composer", onsubmit: (e) => { e.preventDefault(); sendTyped(); }},
        error, attachSlot, h("div", {class: "composer-row"}, attachButton, input, sendButton, stopButton));

    form.addEventListener("dragover", (e) => {
        if (e.dataTransfer?.types?.includes("Files")) {
            e.preventDefault();
            form.classList.add("dropping");
        }
    });
    form.addEventListener("dragleave", () => form.classList.remove("dropping"));
    form.addEventListener("drop", async (e) => {
        if (e.dataTransfer?.files?.length) {
            e.preventDefault();
            form.classList.remove("dropping");
            const dropped = [...e.dataTransfer.files];
            (await attachments()).add(dropped);
        }
    });
    input.addEventListener("keydown", (e) => {
        if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            sendTyped();
        }
    });
    input.addEventListener("input", grow);
    // A screenshot pasted into the box is attached as an image; pasted text stays text.
    input.addEventListener("paste", async (e) => {
        const pasted = [...(e.clipboardData?.files || [])].filter(f => f.type.startsWith("image/"));
        if (pasted.length) {
            e.preventDefault();
            (await attachments()).add(pasted.map((f, i) => f.name && f.name !== "image.png" ? f
                : new File([f], t("chat.pastedImage", {n: i + 1}) + ".png", {type: f.type})));
        }
    });
    const onKey = (e) => {
        if (e.key === "Escape" && running() && !document.querySelector("dialog[open]")) {
            e.preventDefault();
            stop();
        }
    };
    document.addEventListener("keydown", onKey);

    async function sendTyped() {
        const text = input.value;
        if (!text.trim() || running()) {
            return;
        }
        if (files?.pending()) {
            sendWhenReady = true; // answers must not miss a file still being read: sent once it is ready
            return;
        }
        error.textContent = "";
        sendButton.disabled = true;
        try {
            await send(text, files ? files.ready() : []);
            input.value = "";
            grow();
            files?.clear();
        } catch (e) {
            error.textContent = e.message;
        } finally {
            sendButton.disabled = false;
            input.focus();
        }
    }

    async function attachments() {
        if (!files) {
            const module = await import("./attachments.js");
            files = files || module.attachments({changed: filesChanged});
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

    function grow() {
        input.style.height = "auto";
        input.style.height = Math.min(input.scrollHeight, 240) + "px";
    }

    return {
        form,
        report: (text) => error.textContent = text,
        /** While answers are being written, Stop takes the place of Send. */
        streaming: (on) => {
            stopButton.hidden = !on;
            sendButton.hidden = on;
        },
        focus: () => input.focus(),
        /** Fills the box with a suggested question and sends it. */
        ask: (text) => {
            input.value = text;
            grow();
            sendTyped();
        },
        close: () => {
            files?.close();
            document.removeEventListener("keydown", onKey);
        },
    };
}

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
