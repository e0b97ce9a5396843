// Admin → Usage: charts of answers, tokens and latency per day, per model and per user over a chosen period
// (GET /api/v1/admin/usage), the same figures as CSV, and the token budgets (budgets.js). The charts' library
// loads with this page only (charts.js).
import {get, query} from "../../api.js";
import {errorLine, field} from "../../controls.js";
import {h, replace} from "../../dom.js";
import {t} from "../../i18n.js";
import {pageHeader} from "../page-header.js";
import {budgetsSection} from "./budgets.js";
import {chart, charting, formatNumber} from "./charts.js";

const PERIODS = ["7", "30", "90", "custom"];
const TOP_USERS = 15;
const DAY = 86_400_000;

const isoDay = (date) => date.toISOString().slice(0, 10);

export async function mount(root, ctx) {
    charting().catch(() => {}); // fetched while the figures are asked for
    const period = h("select", {},
        PERIODS.map(p => h("option", {value: p, selected: p === "30"}, t("usage.period." + p))));
    const today = isoDay(new Date());
    const from = h("input", {type: "date", value: isoDay(new Date(Date.now() - 29 * DAY)), max: today});
    const to = h("input", {type: "date", value: today, max: today});
    const apply = h("button", {type: "submit", class: "primary"}, t("usage.apply"));
    const custom = h("div", {class: "row usage-custom", hidden: true},
        field(t("usage.from"), from), field(t("usage.to"), to), apply);
    const csv = h("a", {class: "button-like", download: "", href: "#"}, t("usage.csv"));
    const error = errorLine();
    const totals = h("dl", {class: "usage-totals", "aria-label": t("usage.totals")});
    const charts = h("div", {class: "usage-charts"});
    const form = h("form", {class: "panel"},
        h("h2", {}, t("usage.totals")),
        h("div", {class: "row"}, field(t("usage.period"), period), csv), custom, error, totals);
    let drawn = [];

    function range() {
        if (period.value === "custom") {
            return {from: from.value, to: to.value};
        }
        return {from: isoDay(new Date(Date.now() - (Number(period.value) - 1) * DAY)), to: today};
    }

    const figure = (id, caption) => {
        const box = h("div", {class: "usage-chart", role: "img", "aria-label": caption});
        return {box, element: h("figure", {id}, h("figcaption", {}, caption), box)};
    };

    async function load() {
        error.textContent = "";
        const wanted = range();
        csv.href = "/api/v1/admin/usage.csv" + query(wanted);
        let report;
        try {
            report = await get("/api/v1/admin/usage" + query(wanted));
        } catch (e) {
            error.textContent = e.message;
            return;
        }
        const total = report.total;
        replace(totals, ...[
            ["usage.answers", formatNumber(total.answers)],
            ["usage.tokens", formatNumber(total.promptTokens + total.completionTokens)],
            ["usage.promptTokens", formatNumber(total.promptTokens)],
            ["usage.completionTokens", formatNumber(total.completionTokens)],
            ["usage.firstToken", total.meanTimeToFirstTokenMs === null ? "–"
                : t("usage.ms", {value: formatNumber(total.meanTimeToFirstTokenMs)})],
            ["usage.speed", total.meanTokensPerSecond === null ? "–"
                : t("usage.perSecond", {value: formatNumber(total.meanTokensPerSecond, 1)})],
        ].map(([key, value]) => h("div", {}, h("dt", {}, t(key)), h("dd", {}, value))));
        await draw(report);
    }

    async function draw(report) {
        drawn.forEach(c => c.destroy());
        drawn = [];
        const days = report.days.map(d => Date.parse(d.day) / 1000);
        const models = report.models;
        const users = report.users.slice(0, TOP_USERS);
        const tokensPerDay = figure("usage-tokens-per-day", t("usage.chart.tokensPerDay"));
        const answersPerDay = figure("usage-answers-per-day", t("usage.chart.answersPerDay"));
        const perModel = figure("usage-per-model", t("usage.chart.perModel"));
        const perUser = figure("usage-per-user", t(report.users.length > TOP_USERS ? "usage.chart.perUserTop"
            : "usage.chart.perUser", {count: TOP_USERS}));
        const latency = figure("usage-latency", t("usage.chart.latency"));
        replace(charts, tokensPerDay.element, answersPerDay.element, perModel.element, perUser.element, latency.element);
        const name = (u) => u.name || u.email;
        const tokens = (f) => f.promptTokens + f.completionTokens;
        try {
            drawn = await Promise.all([
                chart(tokensPerDay.box, {x: days, series: [
                    {label: t("usage.promptTokens"), values: report.days.map(d => d.figures.promptTokens)},
                    {label: t("usage.completionTokens"), values: report.days.map(d => d.figures.completionTokens)}]}),
                chart(answersPerDay.box, {x: days, bars: true, series: [
                    {label: t("usage.answers"), values: report.days.map(d => d.figures.answers)}]}),
                chart(perModel.box, {x: models.map((_, i) => i), labels: models.map(m => m.model), series: [
                    {label: t("usage.tokens"), values: models.map(m => tokens(m.figures))},
                    {label: t("usage.answers"), values: models.map(m => m.figures.answers), scale: "right"}]}),
                chart(perUser.box, {x: users.map((_, i) => i), labels: users.map(name), series: [
                    {label: t("usage.tokens"), values: users.map(u => tokens(u.figures))},
                    {label: t("usage.answers"), values: users.map(u => u.figures.answers), scale: "right"}]}),
                chart(latency.box, {x: models.map((_, i) => i), labels: models.map(m => m.model), series: [
                    {label: t("usage.firstTokenMs"), values: models.map(m => m.figures.meanTimeToFirstTokenMs), digits: 0},
                    {label: t("usage.speed"), values: models.map(m => m.figures.meanTokensPerSecond), scale: "right", digits: 1}]}),
            ]);
        } catch {
            error.textContent = t("usage.noCharts");
        }
    }

    period.addEventListener("change", () => {
        custom.hidden = period.value !== "custom";
        if (period.value !== "custom") {
            load();
        }
    });
    form.addEventListener("submit", (e) => {
        e.preventDefault();
        if (from.value && to.value) {
            load();
        }
    });

    const budgets = budgetsSection();
    replace(root, h("div", {class: "page usage"},
        pageHeader(root, t("usage.title")),
        h("p", {}, h("a", {href: "/admin"}, t("usage.back"))),
        form,
        h("section", {class: "panel", "aria-labelledby": "usage-charts"},
            h("h2", {id: "usage-charts"}, t("usage.charts")), charts),
        budgets.section));

    let resizing = null;
    const onResize = () => {
        clearTimeout(resizing);
        resizing = setTimeout(() => drawn.forEach(c => c.resize()), 150);
    };
    window.addEventListener("resize", onResize);
    await Promise.all([load(), budgets.load()]);
    return () => {
        window.removeEventListener("resize", onResize);
        drawn.forEach(c => c.destroy());
    };
}
