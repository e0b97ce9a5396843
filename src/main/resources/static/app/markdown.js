// Model output (and anything else a user or a model wrote) becomes HTML only through here: marked turns the
// markdown into HTML, DOMPurify removes every script, event handler and javascript: URL, and only then does
// it reach the page. The CSP is the second wall. Code blocks get a copy button; highlight.js (127 KB) loads
// the first time a finished answer has a code block, so a chat without code never fetches it.
import {Marked} from "/webjars/marked/lib/marked.esm.js";
import DOMPurify from "/webjars/dompurify/dist/purify.es.mjs";
import {h} from "./dom.js";
import {t} from "./i18n.js";
import {effectiveTheme} from "./theme.js";

const marked = new Marked({gfm: true, breaks: true});

// Links leave the app in a new tab, without the app's address or a handle on its window.
DOMPurify.addHook("afterSanitizeAttributes", (node) => {
    if (node.tagName === "A" && node.hasAttribute("href")) {
        node.setAttribute("target", "_blank");
        node.setAttribute("rel", "noopener noreferrer nofollow");
    }
});

const PURIFY = {
    RETURN_DOM_FRAGMENT: true,
    FORBID_TAGS: ["style", "form", "input", "button", "textarea", "select", "iframe", "object", "embed", "svg", "math"],
    FORBID_ATTR: ["style", "srcset"],
};

/** The sanitised fragment for a markdown text; `finished` adds highlighting (not redone on every token). */
export function renderMarkdown(text, {finished = true} = {}) {
    const fragment = DOMPurify.sanitize(marked.parse(text || ""), PURIFY);
    for (const code of fragment.querySelectorAll("pre > code")) {
        decorate(code, finished);
    }
    return fragment;
}

function decorate(code, finished) {
    const pre = code.parentElement;
    const language = [...code.classList].find(c => c.startsWith("language-"))?.slice(9) || "";
    const copy = h("button", {type: "button", class: "icon copy"}, t("code.copy"));
    copy.addEventListener("click", async () => {
        try {
            await navigator.clipboard.writeText(code.textContent);
            copy.textContent = t("code.copied");
        } catch {
            copy.textContent = t("code.copyFailed");
        }
        setTimeout(() => copy.textContent = t("code.copy"), 1500);
    });
    const wrapper = h("div", {class: "code"}, h("div", {class: "code-bar"}, h("span", {}, language), copy));
    pre.replaceWith(wrapper);
    wrapper.append(pre);
    if (finished) {
        highlighter().then(hljs => hljs?.highlightElement(code));
    }
}

let loading = null;

/** highlight.js is a classic script (window.hljs); loaded once, with the style that suits the theme. */
function highlighter() {
    if (!loading) {
        loading = new Promise((resolve) => {
            const style = h("link", {rel: "stylesheet", id: "hljs-style", href: styleFor(effectiveTheme())});
            document.addEventListener("nosso:theme", (e) => style.href = styleFor(e.detail));
            const script = h("script", {src: "/webjars/highlightjs/highlight.min.js"});
            script.addEventListener("load", () => {
                window.hljs.configure({ignoreUnescapedHTML: true});
                resolve(window.hljs);
            });
            script.addEventListener("error", () => resolve(null)); // plain code is still readable
            document.head.append(style, script);
        });
    }
    return loading;
}

function styleFor(theme) {
    return theme === "dark" ? "/webjars/highlightjs/styles/github-dark.min.css" : "/webjars/highlightjs/styles/github.min.css";
}
