// Settings' import and export: an export file chosen is uploaded (with its progress), its import job followed
// to the end, and its report shown (what was imported, what was left out and why); the imports made before are
// listed with theirs. Exporting all chats is a download.
import {followJob, get, uploadFile} from "../../api.js";
import {errorLine} from "../../controls.js";
import {download, h, replace} from "../../dom.js";
import {t} from "../../i18n.js";

/** The section, and close() to stop following imports when the page goes. */
export function transferSection() {
    const stops = new Set();
    const error = errorLine();
    const list = h("ul", {class: "items", "aria-label": t("transfer.importsList")});
    const picker = h("input", {type: "file", accept: ".json,.zip,application/json,application/zip", multiple: true,
        class: "visually-hidden", id: "import-picker",
        onchange: () => { [...picker.files].forEach(start); picker.value = ""; }});
    const section = h("section", {class: "panel", "aria-labelledby": "settings-transfer"},
        h("h2", {id: "settings-transfer"}, t("transfer.title")),
        h("p", {class: "muted"}, t("transfer.importHelp")),
        h("div", {class: "row"},
            picker, h("label", {for: "import-picker", class: "button-like", tabindex: "-1"}, t("transfer.import")),
            h("button", {type: "button", onclick: () => download("/api/v1/exports?format=json")}, t("transfer.exportJson")),
            h("button", {type: "button", onclick: () => download("/api/v1/exports?format=markdown")},
                t("transfer.exportMarkdown"))),
        error, list);

    function start(file) {
        const bar = h("progress", {max: "100", value: "0", "aria-label": t("transfer.uploading", {name: file.name})});
        const line = h("li", {class: "item"}, h("div", {class: "grow"},
            h("div", {}, t("transfer.uploading", {name: file.name})), bar));
        list.prepend(line);
        uploadFile(file, {}, (loaded, total) => bar.value = Math.round(loaded * 100 / total), "/api/v1/imports")
            .then((started) => follow(started, line),
                (e) => replace(line, h("p", {class: "error", role: "alert"},
                    t("transfer.uploadFailed", {name: file.name, error: e.message}))));
    }

    /** Shows an import, following its job until it ends when it has not. */
    function follow(imported, line) {
        replace(line, ...item(imported));
        if (imported.status === "done" || imported.status === "failed") {
            return;
        }
        const stop = followJob(imported.jobId, {
            progress: (p) => replace(line, ...item(imported, p)),
            end: async () => {
                stops.delete(stop);
                try {
                    replace(line, ...item(await get("/api/v1/imports/" + imported.id)));
                    document.dispatchEvent(new Event("nosso:chats"));
                } catch (e) {
                    error.textContent = e.message;
                }
            },
        });
        stops.add(stop);
    }

    function item(imported, progress) {
        const status = h("span", {class: "badge " + imported.status}, t("transfer.status." + imported.status));
        return [h("div", {class: "grow"},
            h("strong", {}, imported.name), " ", status,
            progress && progress.total > 0 ? h("progress", {max: String(progress.total), value: String(progress.done),
                "aria-label": t("transfer.reading", {name: imported.name})}) : null,
            imported.report ? h("p", {class: "small", role: "status"}, summary(imported.report)) : null,
            imported.status === "failed" && imported.error ? h("p", {class: "error"}, imported.error) : null)];
    }

    function summary(report) {
        const parts = [t("transfer.summary", {chats: report.chatsCreated, updated: report.chatsUpdated,
            messages: report.messagesImported, already: report.messagesAlreadyThere})];
        const skipped = Object.entries(report.skipped || {});
        if (skipped.length) {
            parts.push(t("transfer.skipped", {list: skipped.map(([why, n]) => `${t("transfer.why." + why)}: ${n}`).join(", ")}));
        }
        if (report.charactersReplaced) {
            parts.push(t("transfer.replaced", {count: report.charactersReplaced}));
        }
        return parts.concat(report.warnings || []).join(" ");
    }

    async function load() {
        try {
            for (const imported of await get("/api/v1/imports")) {
                const line = h("li", {class: "item"});
                list.append(line);
                follow(imported, line);
            }
        } catch (e) {
            error.textContent = e.message;
        }
    }

    function close() {
        stops.forEach(stop => stop());
        stops.clear();
    }

    return {section, load, close};
}
