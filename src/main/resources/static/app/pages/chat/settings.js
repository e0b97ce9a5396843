// The chat's own settings, behind the ⚙ button: system prompt, temperature, longest answer, and its sources
// (sources.js, loaded when the panel first opens).
import {ApiError, patch} from "../../api.js";
import {field} from "../../controls.js";
import {h, replace} from "../../dom.js";
import {t} from "../../i18n.js";

/**
 * `current()` gives the chat (null before it is made), `ensureChat()` makes it if need be, `saved(chat)` hears
 * the chat as saved. Returns the panel, its toggle and fill(chat).
 */
export function chatSettings({current, ensureChat, saved}) {
    const systemPrompt = h("textarea", {rows: "4", maxlength: "20000"});
    const temperature = h("input", {type: "number", min: "0", max: "2", step: "0.1", inputmode: "decimal"});
    const maxTokens = h("input", {type: "number", min: "1", step: "1", inputmode: "numeric"});
    const note = h("p", {class: "muted", role: "status"});
    const sourcesSlot = h("div", {class: "sources-slot"});
    let sources = null;
    const panel = h("form", {class: "chat-settings", hidden: true, "aria-label": t("chat.settings"), onsubmit: save},
        field(t("chat.systemPrompt"), systemPrompt),
        h("div", {class: "row"}, field(t("chat.temperature"), temperature), field(t("chat.maxTokens"), maxTokens)),
        sourcesSlot,
        h("div", {class: "row"}, h("button", {type: "submit", class: "primary"}, t("dialog.save")), note));
    const toggle = h("button", {type: "button", class: "icon", "aria-expanded": "false", "aria-label": t("chat.settings"),
        title: t("chat.settings"), onclick: () => {
            panel.hidden = !panel.hidden;
            toggle.setAttribute("aria-expanded", String(!panel.hidden));
            if (!panel.hidden) {
                systemPrompt.focus();
                showSources().catch(error => note.textContent = error.message);
            }
        }}, "⚙");

    async function save(e) {
        e.preventDefault();
        note.textContent = "";
        try {
            const chat = await ensureChat();
            saved(await patch("/api/v1/chats/" + chat.id, {
                systemPrompt: systemPrompt.value.trim() || null,
                temperature: temperature.value === "" ? null : Number(temperature.value),
                maxTokens: maxTokens.value === "" ? null : Number(maxTokens.value),
                ...(sources ? sources.values() : {}),
            }));
            note.textContent = t("chat.saved");
        } catch (error) {
            note.textContent = error instanceof ApiError ? error.message : String(error);
        }
    }

    async function showSources() {
        if (!sources) {
            const module = await import("./sources.js");
            sources = sources || module.sourcesSection();
            replace(sourcesSlot, sources.section);
        }
        await sources.fill(current());
    }

    function fill(chat) {
        systemPrompt.value = chat.systemPrompt || "";
        temperature.value = chat.temperature ?? "";
        maxTokens.value = chat.maxTokens ?? "";
    }

    return {panel, toggle, fill};
}
