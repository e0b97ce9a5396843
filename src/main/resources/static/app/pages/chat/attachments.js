// The composer's attachments, loaded with the first file: a chip per file showing its upload, then its reading
// (uploads.js), then ready or why it failed. Sending waits while a file is still on its way.
import {del} from "../../api.js";
import {h} from "../../dom.js";
import {t} from "../../i18n.js";
import {uploads} from "../../uploads.js";

/**
 * `ensureChat()` gives the chat the files belong to (creating it); `changed()` is called when whether sending
 * must wait changes. Returns the hidden file picker, the chips, add(files), pending(), clearSettled(), close().
 */
export function attachments({ensureChat, changed}) {
    const chips = h("ul", {class: "attachments", "aria-label": t("chat.attachments")});
    const picker = h("input", {type: "file", multiple: true, hidden: true, tabindex: "-1",
        onchange: () => { add([...picker.files]); picker.value = ""; }});
    const incoming = uploads();
    const busy = new Set();     // chips of files still uploading or being read

    // One after another: the first file may create the chat, which the next ones then join.
    async function add(files) {
        for (const file of files) {
            await attach(file);
        }
    }

    async function attach(file) {
        const bar = h("progress", {max: "100", value: "0"});
        const state = h("span", {class: "state", role: "status"}, t("chat.file.uploading", {pct: 0}));
        const entry = {stop: () => {}};
        const remove = h("button", {type: "button", class: "icon", "aria-label": t("chat.file.remove", {name: file.name}),
            onclick: async () => {
                entry.stop();
                chip.remove();
                settle();
                if (entry.fileId && entry.chatId) {
                    await del(`/api/v1/chats/${entry.chatId}/files/${entry.fileId}`).catch(() => {});
                }
            }}, "×");
        const chip = h("li", {class: "chip", "aria-label": file.name}, h("span", {class: "name"}, file.name), bar, state, remove);
        chips.append(chip);
        busy.add(chip);
        changed();

        function settle() {
            busy.delete(chip);
            changed();
        }

        function end(text, outcome) {
            chip.classList.add(outcome);
            bar.remove();
            state.textContent = text;
            settle();
        }

        const fail = (reason) => end(t("chat.file.failed", {reason}), "failed");
        try {
            const chat = await ensureChat();
            entry.chatId = chat.id;
        } catch (e) {
            fail(e.message);
            return;
        }
        const sending = incoming.send(file, {chatId: entry.chatId}, {
            uploading: (pct) => {
                bar.value = pct;
                state.textContent = t("chat.file.uploading", {pct});
            },
            stored: (stored) => {
                entry.fileId = stored.id;
                bar.removeAttribute("value"); // reading: indeterminate until the job says how far
                state.textContent = t("chat.file.waiting");
            },
            reading: (p) => {
                if (p.total > 0) {
                    bar.max = p.total;
                    bar.value = p.done;
                    state.textContent = t("chat.file.reading", {done: p.done, total: p.total});
                }
            },
            read: (now) => now.status === "ready" ? end(t("chat.file.ready"), "ready") : fail(now.error || now.status),
            failed: (e) => fail(e.message),
        });
        entry.stop = sending.stop;
        await sending.sent;
    }

    return {
        picker, chips, add,
        /** Whether a file is still being uploaded or read: sending waits for it. */
        pending: () => busy.size > 0,
        /** Clears the chips of files that are ready or failed: they stay attached to the chat. */
        clearSettled: () => [...chips.children].forEach(c => !c.querySelector("progress") && c.remove()),
        close: incoming.close,
    };
}
