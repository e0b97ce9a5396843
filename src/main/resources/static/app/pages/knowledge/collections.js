// The knowledge page's collections: create, rename or describe, delete, add files to and remove them from.
import {del, get, patch, post} from "../../api.js";
import {attempt, busy, errorLine, field} from "../../controls.js";
import {confirmDialog, formDialog} from "../../dialogs.js";
import {h, replace} from "../../dom.js";
import {t} from "../../i18n.js";

/**
 * `files()` gives the user's files shown on the page, which each collection offers to add. Returns the section,
 * load(), which shows what failed in the section, and refreshPickers(), called when the files change.
 */
export function collectionsSection({files}) {
    const error = errorLine();
    const list = h("ul", {class: "items", "aria-label": t("knowledge.collectionsList")});
    const newName = h("input", {required: true, maxlength: "200"});
    const newDescription = h("input", {maxlength: "2000"});
    const form = h("form", {class: "row"},
        field(t("knowledge.name"), newName), field(t("knowledge.description"), newDescription),
        h("button", {type: "submit", class: "primary"}, t("knowledge.create")));
    form.addEventListener("submit", (e) => {
        e.preventDefault();
        busy(form, error, async () => {
            await post("/api/v1/collections", {name: newName.value.trim(), description: newDescription.value.trim() || null});
            newName.value = newDescription.value = "";
            await reload();
        });
    });
    const pickers = [];   // each collection's "add a file" select, refilled when the files change

    function refreshPickers() {
        for (const {select, collection} of pickers) {
            const inside = new Set((collection.files || []).map(f => f.id));
            const chosen = select.value;
            replace(select, h("option", {value: ""}, "—"),
                files().filter(f => !inside.has(f.id))
                    .map(f => h("option", {value: f.id, selected: f.id === chosen}, f.name)));
        }
    }

    /** Runs a change, then shows the collections as they are now. */
    function act(action) {
        return attempt(error, async () => {
            await action();
            await reload();
        });
    }

    function item(c) {
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
                            onclick: () => act(() => del(`/api/v1/collections/${c.id}/files/${f.id}`))}, t("knowledge.remove"))))
                        : h("li", {class: "muted"}, t("knowledge.noFilesInCollection"))),
                h("div", {class: "row"}, select,
                    h("button", {type: "button", "aria-label": label(t("knowledge.add")), onclick: () => select.value
                        && act(() => post(`/api/v1/collections/${c.id}/files`, {fileIds: [select.value]}))}, t("knowledge.add")))),
            h("button", {type: "button", "aria-label": label(t("knowledge.edit")), onclick: async () => {
                const name = h("input", {value: c.name, required: true, maxlength: "200"});
                const description = h("textarea", {rows: "3", maxlength: "2000"});
                description.value = c.description || "";
                const answer = await formDialog(t("knowledge.editTitle"),
                    h("div", {class: "fields"}, field(t("knowledge.name"), name), field(t("knowledge.description"), description)),
                    () => ({name: name.value.trim(), description: description.value.trim()}), name);
                if (answer) {
                    act(() => patch("/api/v1/collections/" + c.id, answer));
                }
            }}, t("knowledge.edit")),
            h("button", {type: "button", class: "danger", "aria-label": label(t("knowledge.delete")), onclick: async () => {
                if (await confirmDialog(t("knowledge.deleteCollection"), t("knowledge.deleteCollectionMessage", {name: c.name}),
                    t("knowledge.delete"))) {
                    act(() => del("/api/v1/collections/" + c.id));
                }
            }}, t("knowledge.delete")));
    }

    async function reload() {
        const collections = await get("/api/v1/collections");
        // The list may leave out each collection's files; ask for them one by one.
        const full = await Promise.all(collections.map(c => c.files ? c : get("/api/v1/collections/" + c.id)));
        pickers.length = 0;
        replace(list, full.length ? full.map(item) : h("li", {class: "muted"}, t("knowledge.noCollections")));
        refreshPickers();
    }

    const section = h("section", {class: "panel", "aria-labelledby": "knowledge-collections"},
        h("h2", {id: "knowledge-collections"}, t("knowledge.collections")),
        h("h3", {}, t("knowledge.newCollection")), form, error, list);

    return {section, load: () => act(async () => {}), refreshPickers};
}
