// The composer's attachments, loaded with the first file: a chip per file showing its upload, then its reading
// (uploads.js), then ready (an image with its thumbnail) or why it failed. Files are uploaded to the user's
// files, not to a chat: the chat is made only when the question is sent, so a refused file leaves nothing
// behind. The question then names the files that are ready; sending waits while a file is still on its way.
import {h} from "../../dom.js";
import {t} from "../../i18n.js";
import {uploads} from "../../uploads.js";

export const isImage = (type) => type === "image/png" || type === "image/jpeg";

/**
 * `changed()` is called when whether sending must wait changes. Returns the hidden file picker, the chips,
 * add(files), pending(), ready() (the ready files, as {id, name, mediaType}), clear() and close().
 */
export function attachments({changed}) {
    const chips = h("ul", {class: "attachments", "aria-label": t("chat.attachments")});
    const picker = h("input", {type: "file", multiple: true, hidden: true, tabindex: "-1",
        accept: "image/png,image/jpeg,image/gif,image/bmp,.pdf,.docx,.md,.markdown,.txt,.html,.htm,.csv,.json",
        onchange: () => { add([...picker.files]); picker.value = ""; }});
    const incoming = uploads();
    const busy = new Set();     // chips of files still uploading or being read
    const done = new Map();     // chip -> the file as stored, once it is ready

    async function add(files) {
        await Promise.all(files.map(attach));
    }

    async function attach(file) {
        const bar = h("progress", {max: "100", value: "0"});
        const state = h("span", {class: "state", role: "status"}, t("chat.file.uploading", {pct: 0}));
        const entry = {stop: () => {}};
        const remove = h("button", {type: "button", class: "icon", "aria-label": t("chat.file.remove", {name: file.name}),
            onclick: () => {
                entry.stop();
                chip.remove();
                done.delete(chip);
                settle();
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
        const sending = incoming.send(file, {}, {
            uploading: (pct) => {
                bar.value = pct;
                state.textContent = t("chat.file.uploading", {pct});
            },
            stored: (stored) => {
                bar.removeAttribute("value"); // reading: indeterminate until the job says how far
                state.textContent = t("chat.file.waiting");
                if (isImage(stored.mediaType)) {
                    chip.prepend(h("img", {class: "thumb", alt: "", src: `/api/v1/files/${stored.id}/content`}));
                }
            },
            reading: (p) => {
                if (p.total > 0) {
                    bar.max = p.total;
                    bar.value = p.done;
                    state.textContent = t("chat.file.reading", {done: p.done, total: p.total});
                }
            },
            read: (now) => {
                if (now.status === "ready") {
                    done.set(chip, now);
                    end(t("chat.file.ready"), "ready");
                } else {
                    fail(now.error || now.status);
                }
            },
            failed: (e) => fail(e.message),
        });
        entry.stop = sending.stop;
        await sending.sent;
    }

    return {
        picker, chips, add,
        /** Whether a file is still being uploaded or read: sending waits for it. */
        pending: () => busy.size > 0,
        /** The files ready to go with the question, in the order they were added. */
        ready: () => [...chips.children].filter(c => done.has(c)).map(c => done.get(c)),
        /** Clears every chip once the question went (a failed file is not kept either). */
        clear: () => {
            done.clear();
            chips.replaceChildren();
        },
        close: incoming.close,
    };
}
