// Settings for the signed-in user: memory and the default system prompt (the server's preferences), the
// presets (settings/presets.js), the language and theme (kept in this browser, as the shell does), importing and
// exporting chats (settings/transfer.js), API keys (the secret is shown once), and what is left of the token
// budget (settings/budget.js).
import {del, get, patch, post} from "../api.js";
import {busy, errorLine, field, languageAndTheme} from "../controls.js";
import {confirmDialog} from "../dialogs.js";
import {h, replace} from "../dom.js";
import {language, t} from "../i18n.js";
import {pageHeader} from "./page-header.js";
import {presetsSection} from "./settings/presets.js";
import {budgetSection} from "./settings/budget.js";
import {transferSection} from "./settings/transfer.js";

const when = (instant) => instant ? new Date(instant).toLocaleString(language()) : "";

export async function mount(root, ctx) {
    const memory = h("input", {type: "checkbox"});
    const prompt = h("textarea", {rows: "4", maxlength: "20000"});
    const prefsError = errorLine();
    const prefsStatus = h("p", {class: "muted", role: "status"});
    const prefsForm = h("form", {class: "panel", "aria-labelledby": "settings-chats"},
        h("h2", {id: "settings-chats"}, t("settings.chats")),
        h("label", {class: "check"}, memory, h("span", {}, t("settings.memory"))),
        field(t("settings.systemPrompt"), prompt),
        prefsError,
        h("div", {class: "row"}, h("button", {type: "submit", class: "primary"}, t("settings.save")), prefsStatus));
    prefsForm.addEventListener("submit", (e) => {
        e.preventDefault();
        prefsStatus.textContent = "";
        busy(prefsForm, prefsError, async () => {
            await patch("/api/v1/preferences", {memory: memory.checked, systemPrompt: prompt.value});
            prefsStatus.textContent = t("settings.saved");
        });
    });
    // Memory is a switch: it is saved as soon as it changes.
    memory.addEventListener("change", async () => {
        prefsStatus.textContent = "";
        // Turning memory off also forgets what was remembered: ask first.
        if (!memory.checked && !await confirmDialog(t("settings.memoryOffTitle"), t("settings.memoryOffMessage"),
            t("settings.memoryOff"))) {
            memory.checked = true;
            return;
        }
        busy(prefsForm, prefsError, async () => {
            await patch("/api/v1/preferences", {memory: memory.checked});
            prefsStatus.textContent = t("settings.saved");
        });
    });

    const keyName = h("input", {required: true, maxlength: "100"});
    const keysError = errorLine();
    const keyList = h("ul", {class: "items", "aria-label": t("settings.keysList")});
    const reveal = h("div", {class: "reveal", hidden: true});
    const keyForm = h("form", {class: "row"}, field(t("settings.keyName"), keyName),
        h("button", {type: "submit", class: "primary"}, t("settings.createKey")));
    keyForm.addEventListener("submit", (e) => {
        e.preventDefault();
        busy(keyForm, keysError, async () => {
            const created = await post("/api/v1/api-keys", {name: keyName.value.trim()});
            keyName.value = "";
            showSecret(created.key);
            await loadKeys();
        });
    });

    function showSecret(secret) {
        const value = h("input", {readonly: true, value: secret, class: "secret", "aria-label": t("settings.newKey")});
        const copied = h("span", {class: "muted", role: "status"});
        replace(reveal,
            h("p", {class: "warning", role: "alert"}, t("settings.newKeyWarning")),
            field(t("settings.newKey"), value),
            h("div", {class: "row"},
                h("button", {type: "button", onclick: async () => {
                    value.select();
                    try {
                        await navigator.clipboard.writeText(secret);
                    } catch {
                        document.execCommand?.("copy");
                    }
                    copied.textContent = t("settings.copied");
                }}, t("settings.copy")),
                h("button", {type: "button", onclick: () => { replace(reveal); reveal.hidden = true; }}, t("settings.done")),
                copied));
        reveal.hidden = false;
        value.focus();
        value.select();
    }

    async function loadKeys() {
        const keys = await get("/api/v1/api-keys");
        if (!keys.length) {
            replace(keyList, h("li", {class: "muted"}, t("settings.noKeys")));
            return;
        }
        replace(keyList, keys.map(key => h("li", {class: "item"},
            h("div", {class: "grow"},
                h("strong", {}, key.name), " ", h("code", {}, key.prefix + "…"),
                h("div", {class: "muted small"}, t("settings.keyCreated", {date: when(key.createdAt)}), " · ",
                    key.lastUsedAt ? t("settings.keyUsed", {date: when(key.lastUsedAt)}) : t("settings.keyNeverUsed"))),
            h("button", {type: "button", class: "danger", "aria-label": t("settings.revoke") + " " + key.name,
                onclick: async () => {
                    if (!await confirmDialog(t("settings.revokeTitle"), t("settings.revokeMessage", {name: key.name}),
                        t("settings.revoke"))) {
                        return;
                    }
                    keysError.textContent = "";
                    try {
                        await del("/api/v1/api-keys/" + key.id);
                        await loadKeys();
                    } catch (e) {
                        keysError.textContent = e.message;
                    }
                }}, t("settings.revoke")))));
    }

    const transfer = transferSection();
    const presets = presetsSection(ctx.me);
    const budget = budgetSection();
    replace(root, h("div", {class: "page"},
        pageHeader(root, t("settings.title")),
        prefsForm,
        budget.section,
        h("section", {class: "panel", "aria-labelledby": "settings-appearance"},
            h("h2", {id: "settings-appearance"}, t("settings.appearance")), languageAndTheme()),
        h("section", {class: "panel", "aria-labelledby": "settings-keys"},
            h("h2", {id: "settings-keys"}, t("settings.keys")),
            h("p", {class: "muted"}, t("settings.keysHelp")),
            keyForm, reveal, keysError, keyList),
        presets.section,
        transfer.section));

    const budgetShown = budget.load();
    try {
        const prefs = await get("/api/v1/preferences");
        memory.checked = prefs.memory !== false;
        prompt.value = prefs.systemPrompt || "";
    } catch (e) {
        prefsError.textContent = e.message;
    }
    try {
        await loadKeys();
    } catch (e) {
        keysError.textContent = e.message;
    }
    await presets.load();
    await transfer.load();
    await budgetShown;
    return transfer.close;
}
