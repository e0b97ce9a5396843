// Token budgets on the Usage page: the default for every user, and users' own (PUT/DELETE
// /api/v1/admin/budgets/...). 0 tokens is unlimited; a period is a UTC day or month.
import {del, get, put} from "../../api.js";
import {attempt, busy, errorLine, field} from "../../controls.js";
import {h, replace} from "../../dom.js";
import {t} from "../../i18n.js";
import {formatNumber} from "./charts.js";

const PERIODS = ["day", "month"];

function periodSelect(label) {
    return h("select", {"aria-label": label}, PERIODS.map(p => h("option", {value: p}, t("budgets.per." + p))));
}

const tokensInput = (label) => h("input", {type: "number", min: "0", step: "1", required: true, "aria-label": label});

/** Returns {section, load()}. */
export function budgetsSection() {
    const defaultTokens = tokensInput(t("budgets.defaultTokens"));
    const defaultPeriod = periodSelect(t("budgets.defaultPeriod"));
    const defaultError = errorLine();
    const defaultStatus = h("span", {class: "muted", role: "status"});
    const defaultForm = h("form", {class: "fields"},
        h("h3", {}, t("budgets.default")),
        h("div", {class: "row"}, field(t("budgets.defaultTokens"), defaultTokens),
            field(t("budgets.defaultPeriod"), defaultPeriod)),
        defaultError,
        h("div", {class: "row"}, h("button", {type: "submit", class: "primary"}, t("budgets.save")), defaultStatus));
    defaultForm.addEventListener("submit", (e) => {
        e.preventDefault();
        defaultStatus.textContent = "";
        busy(defaultForm, defaultError, async () => {
            await put("/api/v1/admin/budgets/default", {tokens: Number(defaultTokens.value), period: defaultPeriod.value});
            defaultStatus.textContent = t("budgets.saved");
        });
    });

    const listError = errorLine();
    const list = h("ul", {class: "items", "aria-label": t("budgets.users")});
    const user = h("select", {required: true});
    const userTokens = tokensInput(t("budgets.tokens"));
    const userPeriod = periodSelect(t("budgets.period"));
    const addError = errorLine();
    const addForm = h("form", {class: "fields"},
        h("div", {class: "row"}, field(t("budgets.user"), user), field(t("budgets.tokens"), userTokens),
            field(t("budgets.period"), userPeriod)),
        addError,
        h("div", {class: "row"}, h("button", {type: "submit", class: "primary"}, t("budgets.setUser"))));
    addForm.addEventListener("submit", (e) => {
        e.preventDefault();
        busy(addForm, addError, async () => {
            await put("/api/v1/admin/budgets/users/" + user.value, {tokens: Number(userTokens.value), period: userPeriod.value});
            userTokens.value = "";
            await loadList();
        });
    });

    const describe = (b) => b.tokens === 0 ? t("budgets.unlimited")
        : t("budgets.amount." + b.period, {tokens: formatNumber(b.tokens)});

    async function loadList() {
        const budgets = await get("/api/v1/admin/budgets");
        defaultTokens.value = budgets.defaults.tokens;
        defaultPeriod.value = budgets.defaults.period;
        replace(list, budgets.users.length ? budgets.users.map(b => h("li", {class: "item"},
            h("div", {class: "grow"}, h("strong", {}, b.name || b.email), " ", h("span", {class: "muted"}, b.email),
                h("div", {class: "small"}, describe(b))),
            h("button", {type: "button", "aria-label": t("budgets.removeFor", {name: b.email}),
                onclick: () => attempt(listError, async () => {
                    await del("/api/v1/admin/budgets/users/" + b.userId);
                    await loadList();
                })}, t("budgets.remove"))))
            : h("li", {class: "muted"}, t("budgets.none")));
    }

    async function loadUsers() {
        const page = await get("/api/v1/admin/users?limit=200");
        replace(user, page.items.filter(u => u.role !== "pending")
            .map(u => h("option", {value: u.id}, u.name && u.name !== u.email ? `${u.name} (${u.email})` : u.email)));
    }

    const section = h("section", {class: "panel", "aria-labelledby": "usage-budgets"},
        h("h2", {id: "usage-budgets"}, t("budgets.title")),
        h("p", {class: "muted small"}, t("budgets.hint")),
        defaultForm,
        h("h3", {}, t("budgets.users")), listError, list, addForm);
    return {section, load: () => attempt(listError, () => Promise.all([loadList(), loadUsers()]))};
}
