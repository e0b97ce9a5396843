// A shared chat, /s/{token}: a read-only page of the copy its owner shared (the shown branch with its cited
// passages), for anyone or for signed-in users as the administrator chose. Answers go through the same sanitising
// markdown renderer as the chat page. A signed-in viewer may continue it as a chat of their own.
import {get, post} from "../api.js";
import {languageAndTheme} from "../controls.js";
import {h, replace} from "../dom.js";
import {language, t} from "../i18n.js";
import {renderMarkdown} from "../markdown.js";

export async function mount(root, ctx) {
    const token = ctx.params.token;
    const here = location.pathname;
    const main = h("main", {class: "shared-page"}, h("p", {class: "muted"}, t("share.loading")));
    root.append(main);
    document.title = t("share.pageTitle") + " · Nosso";
    let data;
    try {
        data = await get("/api/v1/shared/" + encodeURIComponent(token));
    } catch (e) {
        const signIn = h("a", {href: "/signin?next=" + encodeURIComponent(here)}, t("share.signIn"));
        replace(main, h("div", {class: "card"},
            h("h1", {}, e.status === 401 ? t("share.signInTitle") : e.status === 404 ? t("share.notFoundTitle") : t("share.pageTitle")),
            h("p", {role: "alert"}, e.status === 401 ? t("share.signInToView") : e.status === 404 ? t("share.notFound") : e.message),
            e.status === 401 ? h("p", {}, signIn) : h("p", {}, h("a", {href: "/"}, t("app.name")))));
        return;
    }
    // The server's name for a chat nobody named is English; shown in the page's language, as the chat page does.
    const title = !data.title || data.title === "New chat" ? t("chat.untitled") : data.title;
    document.title = title + " · Nosso";
    const error = h("p", {class: "error", role: "alert"});
    const next = data.canContinue
        ? h("button", {type: "button", class: "primary", onclick: async (e) => {
            e.currentTarget.disabled = true;
            error.textContent = "";
            try {
                const chat = await post(`/api/v1/shared/${encodeURIComponent(token)}/copy`);
                ctx.navigate("/c/" + chat.id);
            } catch (failure) {
                error.textContent = failure.message;
                e.currentTarget.disabled = false;
            }
        }}, t("share.continue"))
        : h("a", {href: "/signin?next=" + encodeURIComponent(here)}, t("share.signInToContinue"));
    const log = h("div", {class: "messages-inner", role: "log", "aria-label": t("chat.messages")});
    replace(main,
        h("header", {class: "shared-header"},
            h("div", {class: "grow"}, h("h1", {}, title),
                h("p", {class: "muted"}, t("share.sharedAt", {date: new Date(data.sharedAt).toLocaleString(language())}))),
            next),
        error, log,
        h("footer", {class: "shared-footer"}, h("p", {class: "muted"}, t("share.readOnly")), languageAndTheme()));
    for (const message of data.messages) {
        log.append(await sharedMessage(message));
    }
}

async function sharedMessage(message) {
    const body = h("div", {class: "body"});
    const article = h("article", {class: "message " + message.role + " " + message.status,
        "aria-label": message.role === "user" ? t("chat.you") : t("chat.assistant")}, body);
    if (message.role === "assistant") {
        body.append(renderMarkdown(message.content));
        const meta = h("div", {class: "meta"});
        if (message.status !== "complete") {
            meta.append(h("span", {class: "status " + message.status}, t("chat.status." + message.status)));
        }
        if (message.model) {
            meta.append(h("span", {class: "usage"}, message.model));
        }
        article.append(meta);
        if (message.sources?.length) {
            (await import("./chat/citations.js")).cite(body, message.sources);
        }
    } else {
        body.textContent = message.content; // a person's own words, shown as typed
    }
    return article;
}
