// Charts for the Usage page, drawn by uPlot (a WebJar: a classic script that defines window.uPlot, about 50 KB,
// with its stylesheet). It is fetched the first time a chart is drawn, so no other page pays for it.
import {h} from "../../dom.js";
import {language} from "../../i18n.js";

let loading = null;

/** uPlot, loaded once with its stylesheet and this page's own. */
export function charting() {
    loading ||= new Promise((resolve, reject) => {
        const styles = ["/webjars/uplot/dist/uPlot.min.css", "/app/pages/admin/usage.css"]
            .filter(href => !document.querySelector(`link[href="${href}"]`))
            .map(href => h("link", {rel: "stylesheet", href}));
        const script = h("script", {src: "/webjars/uplot/dist/uPlot.iife.min.js"});
        script.addEventListener("load", () => resolve(window.uPlot));
        script.addEventListener("error", () => {
            loading = null;
            reject(new Error("uPlot"));
        });
        document.head.append(...styles, script);
    });
    return loading;
}

/** Colours that follow the theme: the text's for axes, the accent and a second hue for the series. */
function palette(element) {
    const style = getComputedStyle(element);
    const fg = style.getPropertyValue("--fg-soft").trim() || "#5b635f";
    const accent = style.getPropertyValue("--accent").trim() || "#2f6f5e";
    return {fg, grid: style.getPropertyValue("--border").trim() || "#d5dad7", series: [accent, "#c77d2e"]};
}

export const formatNumber = (value, digits = 0) => value === null || value === undefined ? "–"
    : new Intl.NumberFormat(language(), {maximumFractionDigits: digits}).format(value);

function compact(value) {
    return new Intl.NumberFormat(language(), {notation: "compact", maximumFractionDigits: 1}).format(value);
}

function width(container) {
    return Math.max(260, Math.floor(container.getBoundingClientRect().width || container.clientWidth || 600));
}

/**
 * A chart in `container`: `x` are the points (UTC days as seconds, or the indexes of `labels` for categories),
 * `series` = [{label, values, scale ("left" or "right"), digits}]. Bars for categories and for counts; the
 * second series of a category chart stands beside the first. Returns {destroy(), resize()}.
 */
export async function chart(container, {x, labels = null, series, bars = false, height = 220}) {
    const uPlot = await charting();
    const colours = palette(container);
    const categories = labels !== null;
    const pairs = series.length > 1 && (categories || bars);
    const axis = (scale, side) => ({
        scale, side, stroke: colours.fg, grid: {stroke: colours.grid, width: 1}, ticks: {stroke: colours.grid},
        size: 56, values: (u, ticks) => ticks.map(compact),
    });
    // Category names that would overlap on a narrow chart are left out, every `step`-th one stays.
    const step = categories ? Math.max(1, Math.ceil(labels.length * 80 / width(container))) : 1;
    const dayFormat = new Intl.DateTimeFormat(language(), {day: "numeric", month: "short", timeZone: "UTC"});
    const options = {
        width: width(container),
        height,
        legend: {show: true},
        cursor: {drag: {x: false, y: false}},
        scales: {x: categories ? {time: false, range: (u, min, max) => [min - 0.5, max + 0.5]} : {time: true},
            left: {range: (u, min, max) => [0, Math.max(1, max * 1.1)]},
            right: {range: (u, min, max) => [0, Math.max(1, max * 1.1)]}},
        axes: [
            {stroke: colours.fg, grid: {show: false}, ticks: {stroke: colours.grid},
                ...(categories
                    ? {splits: () => labels.map((_, i) => i), values: (u, ticks) => ticks.map(i => i % step ? "" : shorten(labels[i] ?? ""))}
                    : {values: (u, ticks) => ticks.map(s => dayFormat.format(new Date(s * 1000)))})},
            axis("left", 3),
            ...(series.some(s => s.scale === "right") ? [{...axis("right", 1), grid: {show: false}}] : []),
        ],
        series: [
            categories ? {label: "", value: (u, i) => i === null ? "" : labels[i] ?? ""}
                : {label: "", value: (u, s) => s === null ? "" : dayFormat.format(new Date(s * 1000))},
            ...series.map((s, i) => ({
                label: s.label,
                scale: s.scale || "left",
                stroke: colours.series[i % colours.series.length],
                fill: colours.series[i % colours.series.length] + (bars || categories ? "cc" : "33"),
                width: bars || categories ? 0 : 2,
                points: {show: !(bars || categories) && x.length <= 31},
                value: (u, v) => formatNumber(v, s.digits || 0),
                paths: bars || categories ? uPlot.paths.bars({size: [pairs ? 0.4 : 0.7, 48],
                    align: pairs ? (i === 0 ? -1 : 1) : 0}) : undefined,
            })),
        ],
    };
    const plot = new uPlot(options, [x, ...series.map(s => s.values)], container);
    const resize = () => plot.setSize({width: width(container), height});
    return {destroy: () => plot.destroy(), resize};
}

function shorten(text) {
    return text.length > 14 ? text.slice(0, 13) + "…" : text;
}
