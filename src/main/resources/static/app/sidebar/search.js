// The chat list's search box: words (asked a quarter of a second after the last key) or, with "By meaning",
// the semantic search of the same text.
import {h} from "../dom.js";
import {t} from "../i18n.js";

/** `changed()` when the search changed. Returns the box, the "By meaning" option, text(), semantic(), clear(). */
export function chatSearch({changed}) {
    let timer = 0;
    const box = h("input", {type: "search", "aria-label": t("sidebar.search"), placeholder: t("sidebar.search"),
        oninput: () => { clearTimeout(timer); timer = setTimeout(changed, 250); }});
    const byMeaning = h("input", {type: "checkbox", onchange: () => box.value.trim() && changed()});
    return {
        box,
        option: h("label", {class: "byMeaning"}, byMeaning, t("sidebar.byMeaning")),
        text: () => box.value.trim(),
        semantic: () => byMeaning.checked,
        clear: () => box.value = "",
        close: () => clearTimeout(timer),
    };
}
