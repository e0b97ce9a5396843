// The app's entry point: finds out who is signed in, then routes. Every screen is a page module.
//
// How a page plugs in (settings, admin, knowledge come this way):
//   1. Write static/app/pages/<name>.js exporting  mount(root, ctx)  which fills `root` and may return a
//      function that cleans up (stops timers, closes streams) when the user leaves the page.
//      ctx = {me, params, navigate(path, {replace, quiet}), refreshMe(), signOut(), rerender(), screen}.
//      `screen`, on the chat page only, is a promise of GET /api/v1/pages/chat (null if it failed): what the
//      chat page and the sidebar show as they open, in one call; each falls back to its own calls without it.
//      Build elements with h() from dom.js and texts with t() from i18n.js (the page's strings go in
//      strings/en.js and strings/pt-BR.js under the page's own key prefix); call the API through api.js,
//      which adds the CSRF token and turns problems into errors. A page with several parts keeps them in a
//      folder of its own (pages/chat/), each a module with a small interface.
//   2. Add a line to ROUTES below: a pattern, the page's name, who may open it ("public", "user",
//      "admin"), and layout "app" (beside the chat list) or "bare" (a screen of its own, like sign-in).
//      With `menu: {href, label}` (label: a string key) the chat list links to it, for those who may open it.
//   3. Make sure the server answers the path with index.html (dev.nosso.web.PageController).
import {get, post, query, whenSignedOut} from "./api.js";
import {h, replace} from "./dom.js";
import {t} from "./i18n.js";
import {apply as applyTheme} from "./theme.js";

const ROUTES = [
    {pattern: /^\/$/, page: "chat", access: "user", layout: "app"},
    {pattern: /^\/c\/(?<chatId>[0-9a-fA-F-]{36})$/, page: "chat", access: "user", layout: "app"},
    {pattern: /^\/signin$/, page: "signin", access: "public", layout: "bare"},
    {pattern: /^\/signup$/, page: "signup", access: "public", layout: "bare"},
    {pattern: /^\/setup(?:\.html)?$/, page: "setup", access: "public", layout: "bare"},
    {pattern: /^\/s\/(?<token>[A-Za-z0-9_-]{1,100})$/, page: "shared", access: "public", layout: "bare"},
    {pattern: /^\/admin\/usage\/?$/, page: "admin/usage", access: "admin", layout: "app"},
    {pattern: /^\/admin\/?$/, page: "admin", access: "admin", layout: "app", menu: {href: "/admin", label: "sidebar.pages.admin"}},
    {pattern: /^\/knowledge\/?$/, page: "knowledge", access: "user", layout: "app", menu: {href: "/knowledge", label: "sidebar.pages.knowledge"}},
    {pattern: /^\/settings\/?$/, page: "settings", access: "user", layout: "app", menu: {href: "/settings", label: "sidebar.pages.settings"}},
];

const root = document.getElementById("app");
let me = null;
let shell = null;        // {main, sidebar} while the "app" layout is shown
let leavePage = null;    // the current page's clean-up
let rendering = 0;       // so that a slow page import cannot overwrite a newer one

function match(pathname) {
    for (const route of ROUTES) {
        const found = route.pattern.exec(pathname);
        if (found) {
            return {...route, params: {...(found.groups || {})}};
        }
    }
    return null;
}

/** Goes to a path. `quiet` only changes the address (the page already shows it, e.g. a chat just created). */
export function navigate(path, {replace: replacing = false, quiet = false} = {}) {
    if (replacing) {
        history.replaceState(null, "", path);
    } else if (path !== location.pathname + location.search) {
        history.pushState(null, "", path);
    }
    if (quiet) {
        document.dispatchEvent(new CustomEvent("nosso:route", {detail: location.pathname}));
    } else {
        render();
    }
}

async function refreshMe() {
    try {
        me = await get("/api/v1/auth/me");
    } catch (e) {
        if (e.status !== 401) {
            throw e;
        }
        me = null;
    }
    return me;
}

async function signOut() {
    try {
        await post("/api/v1/auth/logout");
    } finally {
        me = null;
        navigate("/signin", {replace: true});
    }
}

const mayOpen = (route) => route.access === "public" || (me && (route.access === "user" || me.role === "admin"));

/** The links the chat list shows to other pages: routes with a menu entry that the user may open. */
const menu = () => ROUTES.filter(route => route.menu && mayOpen(route)).map(route => route.menu);

const context = (params, screen = null) => ({me, params, navigate, refreshMe, signOut, menu: menu(),
    rerender: () => render(true), screen});

/** The chat screen's data in one call: the chat and its messages, the models, and the sidebar if it is being built. */
function chatScreen(route, withSidebar) {
    if (route.page !== "chat" || (!withSidebar && !route.params.chatId)) {
        return null;
    }
    return get("/api/v1/pages/chat" + query({chatId: route.params.chatId, sidebar: withSidebar ? null : false}))
        .catch(() => null);
}

async function render(rebuild = false) {
    const ticket = ++rendering;
    let route = match(location.pathname);
    if (route && route.access !== "public" && !me) {
        navigate("/signin?next=" + encodeURIComponent(location.pathname), {replace: true});
        return;
    }
    if (route && (route.page === "signin" || route.page === "signup") && me) {
        navigate("/", {replace: true}); // already signed in
        return;
    }
    if (route && route.access !== "public" && me.role === "pending") {
        route = {page: "pending", access: "public", layout: "bare", params: {}};
    }
    if (route && !mayOpen(route)) {
        route = null;
    }
    if (leavePage) {
        leavePage();
        leavePage = null;
    }
    if (!route) {
        showNotFound();
        return;
    }
    const newShell = route.layout === "app" && (!shell || rebuild);
    const screen = route.layout === "app" ? chatScreen(route, newShell) : null; // asked while the modules load
    const module = await import(`./pages/${route.page}.js`);
    if (ticket !== rendering) {
        return;
    }
    let target;
    if (route.layout === "app") {
        if (newShell) {
            await buildShell(screen);
        }
        target = shell.main;
        document.dispatchEvent(new CustomEvent("nosso:route", {detail: location.pathname}));
    } else {
        dropShell();
        target = root;
    }
    replace(target);
    const leave = (await module.mount(target, context(route.params, screen))) || null;
    if (ticket !== rendering) {
        leave?.(); // the user moved on while this page was loading: it must not stay attached
        return;
    }
    leavePage = leave;
}

async function buildShell(screen) {
    dropShell();
    const sidebar = h("aside", {id: "sidebar", class: "sidebar", "aria-label": t("sidebar.label")});
    const main = h("main", {id: "main", class: "main", tabindex: "-1"});
    replace(root, h("a", {class: "skip", href: "#main"}, t("app.skip")), h("div", {class: "shell"}, sidebar, main));
    const module = await import("./sidebar.js");
    shell = {main, sidebar, leave: module.mount(sidebar, context({}, screen?.then(data => data?.sidebar) || null))};
}

function dropShell() {
    if (shell) {
        shell.leave?.();
        shell = null;
    }
}

function showNotFound() {
    dropShell();
    replace(root, h("main", {class: "centered"}, h("h1", {}, t("app.notFound")),
        h("p", {}, h("a", {href: "/"}, t("app.name")))));
}

// Same-origin links open inside the app instead of reloading it.
document.addEventListener("click", (event) => {
    const link = event.target.closest?.("a[href]");
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey
        || event.shiftKey || event.altKey || link.target || link.hasAttribute("download")) {
        return;
    }
    const url = new URL(link.href, location.href);
    if (url.origin === location.origin && match(url.pathname)) {
        event.preventDefault();
        navigate(url.pathname + url.search);
    }
});

window.addEventListener("popstate", () => render());

whenSignedOut(() => {
    if (me) {
        me = null;
        navigate("/signin", {replace: true});
    }
});

document.addEventListener("nosso:rerender", () => render(true));

applyTheme();
matchMedia("(prefers-color-scheme: dark)").addEventListener("change", applyTheme);

refreshMe().then(() => render()).catch((error) => {
    replace(root, h("main", {class: "centered"}, h("p", {role: "alert"}, error.message)));
});
