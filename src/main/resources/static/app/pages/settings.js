// The user's settings: memory and the default system prompt (GET/PATCH /api/v1/preferences), theme and
// language (kept in this browser), and API keys (/api/v1/api-keys: a new key's secret is shown once).
import {del, get, patch, post} from "../api.js";
import {busy, errorLine, field, languageAndTheme} from "../controls.js";
import {confirmDialog} from "../dialogs.js";
import {h, replace} from "../dom.js";
import {language, t} from "../i18n.js";
import "./settings-strings.js";

export function mount(root, ctx) {
    document.title = t("settings.title") + " · Nosso";
    const preferences = preferencesSection();
    const keys = keysSection();
    root.append(h("main", {class: "page settings"},
        h("h1", {}, t("settings.title")),
        preferences,
        h("section", {class: "card wide", "aria-labelledby": "appearance-title"},
            h("h2", {id: "appearance-title"}, t("settings.appearance")), languageAndTheme()),
        keys));
}

function preferencesSection() {
    const error = errorLine();
    const status = h("p", {class: "status", role: "status"});
    const memory = h("input", {type: "checkbox", name: "memory"});
    const prompt = h("textarea", {name: "systemPrompt", rows: 4});
    const form = h("form", {
        class: "card wide", "aria-labelledby": "general-title", onsubmit: (event) => {
            event.preventDefault();
            status.textContent = "";
            busy(form, error, async () => {
                await patch("/api/v1/preferences", {memory: memory.checked, systemPrompt: prompt.value});
                status.textContent = t("settings.saved");
            });
        },
    },
        h("h2", {id: "general-title"}, t("settings.general")),
        h("label", {class: "check"}, memory, h("span", {}, t("settings.memory"))),
        h("p", {class: "hint"}, t("settings.memoryHelp")),
        field(t("settings.systemPrompt"), prompt),
        h("div", {class: "row"}, h("button", {type: "submit", class: "primary"}, t("settings.save")), status),
        error);
    get("/api/v1/preferences").then(p => {
        memory.checked = !!p.memory;
        prompt.value = p.systemPrompt || "";
    }).catch(e => error.textContent = e.message);
    return form;
}

function keysSection() {
    const error = errorLine();
    const list = h("ul", {class: "keys", "aria-label": t("settings.keys")});
    const created = h("div", {class: "new-key", role: "status"});
    const name = h("input", {name: "keyName", required: true, maxlength: 100});
    const form = h("form", {
        class: "row", onsubmit: (event) => {
            event.preventDefault();
            busy(section, error, async () => {
                const key = await post("/api/v1/api-keys", {name: name.value});
                name.value = "";
                showOnce(created, key.key);
                await refresh();
            });
        },
    }, field(t("settings.keyName"), name), h("button", {type: "submit", class: "primary"}, t("settings.createKey")));
    const section = h("section", {class: "card wide", "aria-labelledby": "keys-title"},
        h("h2", {id: "keys-title"}, t("settings.keys")),
        h("p", {class: "hint"}, t("settings.keysHelp")),
        form, created, list, error);

    async function refresh() {
        const keys = await get("/api/v1/api-keys");
        replace(list, keys.length === 0 ? h("li", {class: "hint"}, t("settings.noKeys")) : keys.map(key =>
            h("li", {},
                h("span", {class: "key-name"}, key.name),
                h("code", {}, key.prefix + "…"),
                h("span", {class: "hint"}, t("settings.keyCreated", {date: when(key.createdAt)}), " · ",
                    key.lastUsedAt ? t("settings.keyUsed", {date: when(key.lastUsedAt)}) : t("settings.keyNeverUsed")),
                h("button", {
                    type: "button", "aria-label": t("settings.revoke") + " " + key.name, onclick: async () => {
                        if (await confirmDialog(t("settings.revokeTitle"), t("settings.revokeText", {name: key.name}),
                            t("settings.revoke"))) {
                            busy(section, error, async () => {
                                await del("/api/v1/api-keys/" + key.id);
                                replace(created);
                                await refresh();
                            });
                        }
                    },
                }, t("settings.revoke")))));
    }

    refresh().catch(e => error.textContent = e.message);
    return section;
}

/** The new key's secret, once, with a copy button; leaving the page forgets it. */
function showOnce(where, secret) {
    const copy = h("button", {
        type: "button", onclick: async () => {
            await navigator.clipboard.writeText(secret);
            copy.textContent = t("settings.copied");
        },
    }, t("settings.copy"));
    replace(where, h("p", {}, t("settings.newKey")), h("div", {class: "row"},
        h("code", {class: "secret", "aria-label": t("settings.newKey")}, secret), copy));
}

function when(instant) {
    return new Date(instant).toLocaleString(language());
}
