// A tiny element builder. Text always goes in as text (never parsed as HTML), so names and titles typed by
// users cannot inject markup; the only HTML the app inserts comes from markdown.js, after DOMPurify.

/**
 * h("button", {class: "x", onclick: fn, "aria-label": "Close"}, "text", child)
 * Attributes starting with "on" become listeners; true/false toggle boolean attributes.
 */
export function h(tag, attributes = {}, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
        if (value === null || value === undefined || value === false) {
            continue;
        }
        if (name.startsWith("on") && typeof value === "function") {
            element.addEventListener(name.slice(2), value);
        } else if (name === "class") {
            element.className = value;
        } else if (name === "dataset") {
            Object.assign(element.dataset, value);
        } else if (value === true) {
            element.setAttribute(name, "");
        } else if (name === "value" || name === "checked") {
            element[name] = value;
        } else {
            element.setAttribute(name, value);
        }
    }
    append(element, children);
    return element;
}

function append(element, children) {
    for (const child of children.flat()) {
        if (child === null || child === undefined || child === false) {
            continue;
        }
        element.append(child instanceof Node ? child : String(child));
    }
}

/** Empties an element and fills it with the given children. */
export function replace(element, ...children) {
    element.replaceChildren();
    append(element, children);
    return element;
}

/** Downloads what a GET of `url` answers (an attachment), as a link the user clicked would. */
export function download(url) {
    const link = h("a", {href: url, download: "", hidden: true});
    document.body.append(link);
    link.click();
    link.remove();
}
