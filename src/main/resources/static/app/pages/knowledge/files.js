// The knowledge page's files: upload by picker or drag and drop (uploads.js shows the upload's progress and
// then the reading job's), each file's status and the reason it failed, delete.
import {del, get, query} from "../../api.js";
import {errorLine} from "../../controls.js";
import {confirmDialog} from "../../dialogs.js";
import {h, replace} from "../../dom.js";
import {t} from "../../i18n.js";
import {uploads} from "../../uploads.js";

const size = (bytes) => bytes < 1024 ? bytes + " B" : bytes < 1048576 ? (bytes / 1024).toFixed(1) + " KB"
    : (bytes / 1048576).toFixed(1) + " MB";

/**
 * `changed()` is called when the list of files changed (a collection may offer them), `deleted()` after a
 * file is deleted (collections lose it). Returns the section, the files shown, load() and close().
 */
export function filesSection({changed, deleted}) {
    const files = new Map();      // id -> file shown
    const reading = new Map();    // id -> how to stop following its reading
    const incoming = uploads();
    let cursor = null;

    const error = errorLine();
    const list = h("ul", {class: "items", "aria-label": t("knowledge.filesList")});
    const uploadLines = h("div", {class: "items"});
    const more = h("button", {type: "button", hidden: true, onclick: () => load(false)}, t("knowledge.more"));
    const picker = h("input", {type: "file", multiple: true, class: "visually-hidden", id: "knowledge-picker",
        onchange: () => { uploadAll([...picker.files]); picker.value = ""; }});
    const dropzone = h("div", {class: "dropzone", role: "group", "aria-label": t("knowledge.dropzone")},
        h("span", {}, t("knowledge.drop"), " "),
        picker, h("label", {for: "knowledge-picker", class: "button-like", tabindex: "-1"}, t("knowledge.choose")));
    dropzone.addEventListener("dragover", (e) => { e.preventDefault(); dropzone.classList.add("over"); });
    dropzone.addEventListener("dragleave", () => dropzone.classList.remove("over"));
    dropzone.addEventListener("drop", (e) => {
        e.preventDefault();
        dropzone.classList.remove("over");
        uploadAll([...(e.dataTransfer?.files || [])]);
    });
    const section = h("section", {class: "panel", "aria-labelledby": "knowledge-files"},
        h("h2", {id: "knowledge-files"}, t("knowledge.files")),
        dropzone, uploadLines, error, list, more);

    function uploadAll(chosen) {
        for (const file of chosen) {
            upload(file);
        }
    }

    function upload(file) {
        const bar = h("progress", {max: "100", value: "0", "aria-label": t("knowledge.uploading", {name: file.name})});
        const line = h("div", {class: "item"}, h("div", {class: "grow"},
            h("div", {}, t("knowledge.uploading", {name: file.name})), bar));
        uploadLines.append(line);
        let id = null;
        const sending = incoming.send(file, {}, {
            uploading: (percent) => bar.value = percent,
            stored: (stored) => {
                id = stored.id;
                line.remove();
                show(stored, true);
                reading.set(id, sending.stop);
            },
            reading: (progress) => progressed(id, progress),
            read: showRead,
            failed: (e) => {
                if (!line.isConnected) {
                    error.textContent = e.message; // stored, then the last look at it failed
                    return;
                }
                replace(line, h("p", {class: "error", role: "alert"}, t("knowledge.uploadFailed", {name: file.name, error: e.message})),
                    h("button", {type: "button", "aria-label": t("dialog.cancel"), onclick: () => line.remove()}, "✕"));
            },
        });
    }

    function follow(file) {
        reading.set(file.id, incoming.follow(file, {reading: (progress) => progressed(file.id, progress), read: showRead,
            failed: (e) => error.textContent = e.message}));
    }

    function progressed(id, progress) {
        if (files.has(id)) {
            show({...files.get(id), status: progress.state === "queued" ? "pending" : "processing"}, false, progress);
        }
    }

    /** A file whose reading ended, unless it was deleted meanwhile. */
    function showRead(file) {
        if (files.has(file.id)) {
            show(file);
        }
    }

    function item(file, progress) {
        const status = h("span", {class: "badge " + file.status}, t("knowledge.status." + file.status));
        return h("li", {class: "item", dataset: {id: file.id}},
            h("div", {class: "grow"},
                h("strong", {}, file.name), " ", status,
                h("div", {class: "muted small"}, size(file.size), file.mediaType ? " · " + file.mediaType : ""),
                progress && progress.total > 0 ? h("progress", {max: String(progress.total), value: String(progress.done),
                    "aria-label": t("knowledge.indexing", {name: file.name})}) : null,
                file.status === "failed" && file.error ? h("p", {class: "error"}, file.error) : null),
            h("button", {type: "button", class: "danger", "aria-label": t("knowledge.actionsFor", {action: t("knowledge.delete"), name: file.name}),
                onclick: () => remove(file)}, t("knowledge.delete")));
    }

    async function remove(file) {
        if (!await confirmDialog(t("knowledge.deleteFile"), t("knowledge.deleteFileMessage", {name: file.name}), t("knowledge.delete"))) {
            return;
        }
        error.textContent = "";
        try {
            await del("/api/v1/files/" + file.id);
            reading.get(file.id)?.();
            reading.delete(file.id);
            files.delete(file.id);
            list.querySelector(`[data-id="${file.id}"]`)?.remove();
            showEmpty();
            await deleted();
        } catch (e) {
            error.textContent = e.message;
        }
    }

    /** Shows a file, replacing its line if it is there; a new upload goes first. */
    function show(file, first = false, progress = null) {
        files.set(file.id, file);
        const line = item(file, progress);
        const old = list.querySelector(`[data-id="${file.id}"]`);
        if (old) {
            old.replaceWith(line);
        } else if (first) {
            list.prepend(line);
        } else {
            list.append(line);
        }
        showEmpty();
        changed();
    }

    function showEmpty() {
        list.querySelector(".empty")?.remove();
        if (!list.children.length) {
            list.append(h("li", {class: "muted empty"}, t("knowledge.noFiles")));
        }
    }

    async function load(restart) {
        error.textContent = "";
        try {
            if (restart) {
                cursor = null;
                files.clear();
                replace(list);
            }
            const page = await get("/api/v1/files" + query({cursor}));
            for (const file of page.items) {
                show(file);
                follow(file);
            }
            cursor = page.nextCursor;
            more.hidden = !cursor;
            showEmpty();
        } catch (e) {
            error.textContent = e.message;
        }
    }

    return {section, files: () => [...files.values()], load: () => load(true), close: incoming.close};
}
