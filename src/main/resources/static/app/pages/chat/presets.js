// The preset a new chat starts from, chosen in the chat's header before its first message: the chat is then
// made with a copy of the preset's settings (model, system prompt, sampling, collections, memory).
import {get} from "../../api.js";
import {h} from "../../dom.js";
import {t} from "../../i18n.js";

/** Returns the select (hidden while there is no preset), load() and chosen() (the preset, or null). */
export function presetPicker({picked}) {
    let presets = [];
    const select = h("select", {"aria-label": t("chat.preset"), hidden: true, onchange: () => picked(chosen())});

    async function load() {
        presets = await get("/api/v1/presets");
        select.replaceChildren(h("option", {value: ""}, t("chat.noPreset")),
            ...presets.map(p => h("option", {value: p.id}, p.name)));
        select.hidden = presets.length === 0;
    }

    function chosen() {
        return presets.find(p => p.id === select.value) || null;
    }

    return {select, load, chosen};
}
