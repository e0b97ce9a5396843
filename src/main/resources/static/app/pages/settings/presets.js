// Settings' presets: the user's own (create, edit, delete) and those an administrator published (shown, and for
// an administrator changeable). A preset is a model with a system prompt, sampling, collections and the memory
// setting that a new chat starts from, and that the OpenAI-compatible API takes as the model "preset:<name>".
// Administrators see one more box, "published for everyone".
import {del, get, post, put} from "../../api.js";
import {busy, errorLine, field} from "../../controls.js";
import {confirmDialog} from "../../dialogs.js";
import {h, replace} from "../../dom.js";
import {t} from "../../i18n.js";

/** The section and load(); `me` is the signed-in user (an administrator may publish). */
export function presetsSection(me) {
    const admin = me.role === "admin";
    let editing = null;          // the preset being edited, null for a new one
    let collections = [];
    const listError = errorLine();
    const list = h("ul", {class: "items", "aria-label": t("presets.list")});

    const name = h("input", {required: true, maxlength: "80"});
    const model = h("select", {required: true});
    const prompt = h("textarea", {rows: "3", maxlength: "20000"});
    const temperature = h("input", {type: "number", min: "0", max: "2", step: "0.1", inputmode: "decimal"});
    const maxTokens = h("input", {type: "number", min: "1", step: "1", inputmode: "numeric"});
    const chips = h("div", {class: "row preset-collections", role: "group", "aria-label": t("presets.collections")});
    const memory = h("input", {type: "checkbox"});
    const published = h("input", {type: "checkbox", onchange: showCollections});
    const heading = h("h3", {}, t("presets.new"));
    const submit = h("button", {type: "submit", class: "primary"}, t("presets.create"));
    const cancel = h("button", {type: "button", hidden: true, onclick: () => edit(null)}, t("presets.cancel"));
    const formError = errorLine();
    const status = h("p", {class: "muted", role: "status"});
    const form = h("form", {class: "fields preset-form", "aria-labelledby": "presets-form-title"},
        heading,
        h("div", {class: "row"}, field(t("presets.name"), name), field(t("presets.model"), model)),
        field(t("presets.systemPrompt"), prompt),
        h("div", {class: "row"}, field(t("presets.temperature"), temperature), field(t("presets.maxTokens"), maxTokens)),
        h("fieldset", {class: "chips"}, h("legend", {}, t("presets.collections")), chips),
        h("label", {class: "check"}, memory, h("span", {}, t("presets.memory"))),
        admin ? h("label", {class: "check"}, published, h("span", {}, t("presets.published"))) : null,
        admin ? h("p", {class: "muted small"}, t("presets.publishHint")) : null,
        formError,
        h("div", {class: "row"}, submit, cancel, status));
    heading.id = "presets-form-title";
    form.addEventListener("submit", (e) => {
        e.preventDefault();
        status.textContent = "";
        busy(form, formError, async () => {
            const body = {
                name: name.value.trim(), model: model.value, systemPrompt: prompt.value.trim() || null,
                temperature: temperature.value === "" ? null : Number(temperature.value),
                maxTokens: maxTokens.value === "" ? null : Number(maxTokens.value),
                collectionIds: published.checked ? [] : [...chips.querySelectorAll("input:checked")].map(c => c.value),
                memory: memory.checked, ...(admin ? {published: published.checked} : {}),
            };
            if (editing) {
                await put("/api/v1/presets/" + editing.id, body);
            } else {
                await post("/api/v1/presets", body);
            }
            edit(null);
            status.textContent = t("presets.saved");
            await loadList();
        });
    });

    const section = h("section", {class: "panel", "aria-labelledby": "settings-presets"},
        h("h2", {id: "settings-presets"}, t("presets.title")),
        h("p", {class: "muted"}, t("presets.help")),
        listError, list, form);

    function showCollections() {
        const chosen = new Set(editing?.collectionIds || []);
        replace(chips, published.checked ? h("span", {class: "muted small"}, t("presets.noCollectionsPublished"))
            : collections.length === 0 ? h("span", {class: "muted small"}, t("presets.noCollections"))
                : collections.map(c => h("label", {class: "chip check"},
                    h("input", {type: "checkbox", value: c.id, checked: chosen.has(c.id)}), h("span", {}, c.name))));
    }

    /** Fills the form with a preset to change, or empties it for a new one. */
    function edit(preset) {
        editing = preset;
        heading.textContent = preset ? t("presets.editing", {name: preset.name}) : t("presets.new");
        submit.textContent = preset ? t("presets.save") : t("presets.create");
        cancel.hidden = !preset;
        name.value = preset?.name || "";
        if (preset && ![...model.options].some(o => o.value === preset.model)) {
            model.append(h("option", {value: preset.model}, preset.model));
        }
        if (preset) {
            model.value = preset.model;
        }
        prompt.value = preset?.systemPrompt || "";
        temperature.value = preset?.temperature ?? "";
        maxTokens.value = preset?.maxTokens ?? "";
        memory.checked = Boolean(preset?.memory);
        published.checked = Boolean(preset?.published);
        formError.textContent = "";
        showCollections();
        if (preset) {
            name.focus();
        }
    }

    function item(preset) {
        const changeable = preset.mine || (admin && preset.published);
        return h("li", {class: "item"},
            h("div", {class: "grow"},
                h("strong", {}, preset.name), " ",
                preset.published ? h("span", {class: "badge"}, t("presets.publishedBadge")) : null,
                h("div", {class: "muted small"}, preset.model, " · ", h("code", {}, preset.modelId))),
            changeable ? h("button", {type: "button", "aria-label": t("presets.editNamed", {name: preset.name}),
                onclick: () => edit(preset)}, t("presets.edit")) : null,
            changeable ? h("button", {type: "button", class: "danger", "aria-label": t("presets.deleteNamed", {name: preset.name}),
                onclick: async () => {
                    if (!await confirmDialog(t("presets.deleteTitle"), t("presets.deleteMessage", {name: preset.name}),
                        t("presets.delete"))) {
                        return;
                    }
                    busy(section, listError, async () => {
                        await del("/api/v1/presets/" + preset.id);
                        if (editing?.id === preset.id) {
                            edit(null);
                        }
                        await loadList();
                    });
                }}, t("presets.delete")) : null);
    }

    async function loadList() {
        const presets = await get("/api/v1/presets");
        replace(list, presets.length ? presets.map(item) : h("li", {class: "muted"}, t("presets.none")));
    }

    async function load() {
        const [catalog, owned] = await Promise.all([
            get("/api/v1/models").catch(() => ({models: []})),
            get("/api/v1/collections").catch(() => [])]);
        collections = owned;
        // Whatever the user typed or chose meanwhile stays: only the choices arrive.
        const chosen = model.value;
        replace(model, catalog.models.map(m => h("option", {value: m.id}, m.name || m.id)));
        if (chosen && [...model.options].some(o => o.value === chosen)) {
            model.value = chosen;
        }
        showCollections();
        await loadList();
    }

    edit(null);
    return {section, load: () => load().catch(e => listError.textContent = e.message)};
}
