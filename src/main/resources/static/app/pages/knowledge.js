// Knowledge: the user's files (upload by picker or drag and drop, with the upload's progress and then the
// ingestion job's progress from its SSE events; status and the reason a file failed; delete) and collections
// (create, rename or describe, delete, add and remove files).
import {del, followJob, get, patch, post, query, uploadFile} from "../api.js";
import {busy, errorLine, field} from "../controls.js";
import {confirmDialog, formDialog} from "../dialogs.js";
import {h, replace} from "../dom.js";
import {t} from "../i18n.js";
import {pageHeader} from "./page-header.js";

const size = (bytes) => bytes < 1024 ? bytes + " B" : bytes < 1048576 ? (bytes / 1024).toFixed(1) + " KB"
    : (bytes / 1048576).toFixed(1) + " MB";

export async function mount(root) {
    const streams = new Set();   // how to stop each followed job stream, called when the user leaves
    const files = new Map();     // id -> file shown
    let cursor = null;

    // ---- files
    const filesError = errorLine();
    const fileList = h("ul", {class: "items", "aria-label": t("knowledge.filesList")});
    const uploads = h("div", {class: "items"});
    const more = h("button", {type: "button", hidden: true, onclick: () => loadFiles(false)}, t("knowledge.more"));
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

    function uploadAll(list) {
        for (const file of list) {
            uploadOne(file);
        }
    }

    async function uploadOne(file) {
        const bar = h("progress", {max: "100", value: "0", "aria-label": t("knowledge.uploading", {name: file.name})});
        const line = h("div", {class: "item"}, h("div", {class: "grow"},
            h("div", {}, t("knowledge.uploading", {name: file.name})), bar));
        uploads.append(line);
        try {
            const stored = await uploadFile(file, {}, (loaded, total) => { bar.value = Math.round(loaded * 100 / total); });
            line.remove();
            show(stored, true);
            follow(stored);
        } catch (e) {
            replace(line, h("p", {class: "error", role: "alert"}, t("knowledge.uploadFailed", {name: file.name, error: e.message})),
                h("button", {type: "button", "aria-label": t("dialog.cancel"), onclick: () => line.remove()}, "✕"));
        }
    }

    // A browser keeps about six connections to a server: at most FOLLOWING job streams are open at once, so
    // that the page's own requests are never stuck behind them; the other files wait their turn.
    const FOLLOWING = 3;
    const waiting = [];
    let left = false;

    /** Follows a file's ingestion job until it ends, then shows the file as the server now has it. */
    function follow(file) {
        if (!file.jobId || file.status === "ready" || file.status === "failed") {
            return;
        }
        if (streams.size >= FOLLOWING) {
            waiting.push(file);
            return;
        }
        const stop = followJob(file.jobId, {
            progress: (p) => {
                if (files.has(file.id)) {
                    show({...files.get(file.id) || file, status: p.state === "queued" ? "pending" : "processing"}, false, p);
                }
            },
            end: async () => {
                streams.delete(stop);
                if (left) {
                    return;
                }
                if (waiting.length) {
                    follow(waiting.shift());
                }
                if (!files.has(file.id)) {
                    return; // deleted meanwhile
                }
                try {
                    const now = await get("/api/v1/files/" + file.id);
                    if (files.has(file.id)) {
                        show(now);
                    }
                } catch (e) {
                    filesError.textContent = e.message;
                }
            },
        });
        streams.add(stop);
    }

    function fileItem(file, progress) {
        const status = h("span", {class: "badge " + file.status}, t("knowledge.status." + file.status));
        return h("li", {class: "item", dataset: {id: file.id}},
            h("div", {class: "grow"},
                h("strong", {}, file.name), " ", status,
                h("div", {class: "muted small"}, size(file.size), file.mediaType ? " · " + file.mediaType : ""),
                progress && progress.total > 0 ? h("progress", {max: String(progress.total), value: String(progress.done),
                    "aria-label": t("knowledge.indexing", {name: file.name})}) : null,
                file.status === "failed" && file.error ? h("p", {class: "error"}, file.error) : null),
            h("button", {type: "button", class: "danger", "aria-label": t("knowledge.actionsFor", {action: t("knowledge.delete"), name: file.name}),
                onclick: async () => {
                    if (!await confirmDialog(t("knowledge.deleteFile"), t("knowledge.deleteFileMessage", {name: file.name}),
                        t("knowledge.delete"))) {
                        return;
                    }
                    filesError.textContent = "";
                    try {
                        await del("/api/v1/files/" + file.id);
                        files.delete(file.id);
                        fileList.querySelector(`[data-id="${file.id}"]`)?.remove();
                        showEmpty();
                        await loadCollections();
                    } catch (e) {
                        filesError.textContent = e.message;
                    }
                }}, t("knowledge.delete")));
    }

    /** Shows a file, replacing its line if it is there; a new upload goes first. */
    function show(file, first = false, progress = null) {
        files.set(file.id, file);
        const item = fileItem(file, progress);
        const old = fileList.querySelector(`[data-id="${file.id}"]`);
        if (old) {
            old.replaceWith(item);
        } else if (first) {
            fileList.prepend(item);
        } else {
            fileList.append(item);
        }
        showEmpty();
        refreshPickers();
    }

    function showEmpty() {
        fileList.querySelector(".empty")?.remove();
        if (!fileList.children.length) {
            fileList.append(h("li", {class: "muted empty"}, t("knowledge.noFiles")));
        }
    }

    async function loadFiles(restart) {
        filesError.textContent = "";
        try {
            if (restart) {
                cursor = null;
                files.clear();
                replace(fileList);
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
            filesError.textContent = e.message;
        }
    }

    // ---- collections
    const collError = errorLine();
    const collList = h("ul", {class: "items", "aria-label": t("knowledge.collectionsList")});
    const collName = h("input", {required: true, maxlength: "200"});
    const collDescription = h("input", {maxlength: "2000"});
    const collForm = h("form", {class: "row"},
        field(t("knowledge.name"), collName), field(t("knowledge.description"), collDescription),
        h("button", {type: "submit", class: "primary"}, t("knowledge.create")));
    collForm.addEventListener("submit", (e) => {
        e.preventDefault();
        busy(collForm, collError, async () => {
            await post("/api/v1/collections", {name: collName.value.trim(), description: collDescription.value.trim() || null});
            collName.value = collDescription.value = "";
            await loadCollections();
        });
    });
    const pickers = [];   // each collection's "add a file" select, refilled when the files change

    function refreshPickers() {
        for (const {select, collection} of pickers) {
            const inside = new Set((collection.files || []).map(f => f.id));
            const chosen = select.value;
            replace(select, h("option", {value: ""}, "—"),
                [...files.values()].filter(f => !inside.has(f.id))
                    .map(f => h("option", {value: f.id, selected: f.id === chosen}, f.name)));
        }
    }

    async function collAct(action) {
        collError.textContent = "";
        try {
            await action();
            await loadCollections();
        } catch (e) {
            collError.textContent = e.message;
        }
    }

    function collectionItem(c) {
        const label = (action) => t("knowledge.actionsFor", {action, name: c.name});
        const select = h("select", {"aria-label": t("knowledge.addFile", {name: c.name})});
        pickers.push({select, collection: c});
        const inside = (c.files || []);
        return h("li", {class: "item collection"},
            h("div", {class: "grow"},
                h("strong", {}, c.name), " ", h("span", {class: "muted small"}, t(c.fileCount === 1 ? "knowledge.fileCountOne" : "knowledge.fileCount", {count: c.fileCount})),
                c.description ? h("div", {class: "muted"}, c.description) : null,
                h("ul", {class: "items", "aria-label": t("knowledge.inCollection", {name: c.name})},
                    inside.length ? inside.map(f => h("li", {class: "row"},
                        h("span", {class: "grow"}, f.name, " "),
                        h("span", {class: "badge " + f.status}, t("knowledge.status." + f.status)),
                        h("button", {type: "button", "aria-label": t("knowledge.actionsFor", {action: t("knowledge.remove"), name: f.name}),
                            onclick: () => collAct(() => del(`/api/v1/collections/${c.id}/files/${f.id}`))}, t("knowledge.remove"))))
                        : h("li", {class: "muted"}, t("knowledge.noFilesInCollection"))),
                h("div", {class: "row"}, select,
                    h("button", {type: "button", "aria-label": label(t("knowledge.add")), onclick: () => select.value
                        && collAct(() => post(`/api/v1/collections/${c.id}/files`, {fileIds: [select.value]}))}, t("knowledge.add")))),
            h("button", {type: "button", "aria-label": label(t("knowledge.edit")), onclick: async () => {
                const name = h("input", {value: c.name, required: true, maxlength: "200"});
                const description = h("textarea", {rows: "3", maxlength: "2000"});
                description.value = c.description || "";
                const answer = await formDialog(t("knowledge.editTitle"),
                    h("div", {class: "fields"}, field(t("knowledge.name"), name), field(t("knowledge.description"), description)),
                    () => ({name: name.value.trim(), description: description.value.trim()}), name);
                if (answer) {
                    collAct(() => patch("/api/v1/collections/" + c.id, answer));
                }
            }}, t("knowledge.edit")),
            h("button", {type: "button", class: "danger", "aria-label": label(t("knowledge.delete")), onclick: async () => {
                if (await confirmDialog(t("knowledge.deleteCollection"), t("knowledge.deleteCollectionMessage", {name: c.name}),
                    t("knowledge.delete"))) {
                    collAct(() => del("/api/v1/collections/" + c.id));
                }
            }}, t("knowledge.delete")));
    }

    async function loadCollections() {
        const list = await get("/api/v1/collections");
        // The list may leave out each collection's files; ask for them one by one.
        const full = await Promise.all(list.map(c => c.files ? c : get("/api/v1/collections/" + c.id)));
        pickers.length = 0;
        replace(collList, full.length ? full.map(collectionItem) : h("li", {class: "muted"}, t("knowledge.noCollections")));
        refreshPickers();
    }

    replace(root, h("div", {class: "page"},
        pageHeader(root, t("knowledge.title")),
        h("section", {class: "panel", "aria-labelledby": "knowledge-files"},
            h("h2", {id: "knowledge-files"}, t("knowledge.files")),
            dropzone, uploads, filesError, fileList, more),
        h("section", {class: "panel", "aria-labelledby": "knowledge-collections"},
            h("h2", {id: "knowledge-collections"}, t("knowledge.collections")),
            h("h3", {}, t("knowledge.newCollection")), collForm, collError, collList)));

    await loadFiles(true);
    await collAct(async () => {});

    return () => {
        left = true;
        waiting.length = 0;
        streams.forEach(stop => stop());
        streams.clear();
    };
}
