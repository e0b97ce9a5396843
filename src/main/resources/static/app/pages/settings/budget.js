// The user's token budget in Settings: what is left in the current day or month and when it starts again
// (GET /api/v1/budget), or that there is none.
import {get} from "../../api.js";
import {h, replace} from "../../dom.js";
import {language, t} from "../../i18n.js";

/** Returns {section, load()}. */
export function budgetSection() {
    const body = h("div", {class: "budget", role: "status"});
    const section = h("section", {class: "panel", "aria-labelledby": "settings-budget"},
        h("h2", {id: "settings-budget"}, t("settings.budget")), body);

    async function load() {
        try {
            const budget = await get("/api/v1/budget");
            const number = new Intl.NumberFormat(language());
            if (budget.tokens === 0) {
                replace(body, h("p", {}, t("settings.budget.unlimited")));
                return;
            }
            const resets = new Date(budget.resetsAt).toLocaleString(language(), {dateStyle: "medium", timeStyle: "short"});
            replace(body,
                h("p", {}, t("settings.budget.left." + budget.period, {remaining: number.format(budget.remaining),
                    tokens: number.format(budget.tokens)})),
                h("progress", {max: String(budget.tokens), value: String(Math.min(budget.spent, budget.tokens)),
                    "aria-label": t("settings.budget.used")}),
                h("p", {class: "muted small"}, t("settings.budget.spent", {spent: number.format(budget.spent)}), " · ",
                    t("settings.budget.resets", {date: resets})));
        } catch (e) {
            replace(body, h("p", {class: "error"}, e.message));
        }
    }

    return {section, load};
}
