// The model picker: the catalog's models grouped by connection, a connection that is failing marked as such
// (with a warning above the log), and the user's last choice remembered in this browser.
import {get} from "../../api.js";
import {h, replace} from "../../dom.js";
import {t} from "../../i18n.js";

const MODEL_KEY = "nosso.model";

/**
 * Starts loading the catalog at once, or takes it from `given` (a promise of the catalog, or of null when the
 * page got none); `report(text)` shows why there is nothing to choose. Returns the select, the warning,
 * `loaded` (a promise), value() (undefined for the server's default) and prefer(modelId).
 */
export function modelPicker({report, given = null, quietWhenEmpty = false}) {
    let health = new Map();     // connection id -> connection, with its health
    let catalog = {models: [], connections: []};
    const select = h("select", {"aria-label": t("chat.model"), onchange: () => {
        localStorage.setItem(MODEL_KEY, select.value);
        showWarning();
    }});
    const warning = h("p", {class: "warning", role: "status", hidden: true});

    async function load() {
        try {
            catalog = (given && await given) || await get("/api/v1/models");
            health = new Map(catalog.connections.map(c => [c.id, c]));
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
            replace(select, [...groups.values()]);
            const wanted = localStorage.getItem(MODEL_KEY);
            if (wanted && catalog.models.some(m => m.id === wanted)) {
                select.value = wanted;
            }
            // No model at all: the picker would be an empty box. A new chat says what to do instead (starters.js).
            select.hidden = catalog.models.length === 0;
            if (catalog.models.length === 0 && !quietWhenEmpty) {
                report(t("chat.noModels"));
            }
            showWarning();
        } catch (e) {
            report(e.message);
        }
    }

    // Every provider that is failing right now, the chosen model's first: its models may be listed from
    // before it failed, or be missing altogether.
    function showWarning() {
        const chosen = select.selectedOptions[0]?.dataset.connection;
        // The default Ollama address is only a guess: nothing listening there is "not found", not a fault.
        const down = [...health.values()].filter(c => !c.healthy && c.status !== "not-found").sort((a, b) => (b.id === chosen) - (a.id === chosen));
        warning.hidden = down.length === 0;
        // Only administrators are told why (connections[].error); everyone else that it is not answering.
        warning.textContent = down.map(c => c.error ? t("chat.providerDown", {name: c.name, error: c.error})
            : t("chat.providerUnavailable", {name: c.name})).join(" ");
    }

    /** Chooses a model if it is offered (a chat goes on with the model it last used). */
    function prefer(modelId) {
        if (modelId && [...select.options].some(o => o.value === modelId)) {
            select.value = modelId;
            showWarning();
        }
    }

    return {select, warning, loaded: load(), value: () => select.value || undefined, prefer,
        count: () => catalog.models.length, catalog: () => catalog};
}
