// The conversation's log: the newest window of the active branch first, older windows loaded as the reader
// scrolls up (the message being read stays where it was), new messages at the end. A chat of any length opens
// at once on its latest messages.
import {get, query} from "../../api.js";
import {h, replace} from "../../dom.js";
import {t} from "../../i18n.js";
import {messageView, unfinished} from "./message.js";

const WINDOW = 50;

/**
 * `actions` go to every message (see message.js); `actions.report(text)` also shows a failed load of older
 * messages. Returns the log element, showLatest(chatId), appendTurn(started), update(view), scrollToEnd(),
 * showError(text) and close().
 */
export function messageList(actions) {
    let chatId = null;
    let nextCursor = null;      // older messages of the active branch; null at the root
    let loadingOlder = false;
    let closed = false;
    const older = h("p", {class: "muted older", hidden: true}, t("chat.older"));
    const topSentinel = h("div", {class: "sentinel"});
    const list = h("div", {class: "messages-inner"});
    const emptyNote = h("p", {class: "muted empty-chat"}, t("chat.empty"));
    const log = h("div", {class: "messages", role: "log", "aria-label": t("chat.messages")}, topSentinel, older, emptyNote, list);
    const olderObserver = new IntersectionObserver((entries) => entries.some(e => e.isIntersecting) && loadOlder(),
        {root: log, rootMargin: "400px 0px 0px 0px"});
    const view = (data) => messageView(data, actions);

    /**
     * Shows the newest window of the chat's active branch (`given`, if the page already has it); returns the
     * views of answers still being written.
     */
    async function showLatest(id, given = null) {
        chatId = id;
        olderObserver.disconnect();
        const page = given || await get(`/api/v1/chats/${chatId}/messages` + query({limit: WINDOW}));
        if (closed) {
            return [];
        }
        nextCursor = page.nextCursor;
        const views = page.items.map(view);
        replace(list, views.map(v => v.element));
        emptyNote.hidden = views.length > 0;
        scrollToEnd();
        // Observed only now: at the top of an empty log the sentinel is in view and would load at once.
        requestAnimationFrame(() => !closed && olderObserver.observe(topSentinel));
        return views.filter(v => unfinished(v.message));
    }

    async function loadOlder() {
        if (loadingOlder || !nextCursor || closed) {
            return;
        }
        loadingOlder = true;
        older.hidden = false;
        try {
            const page = await get(`/api/v1/chats/${chatId}/messages` + query({limit: WINDOW, cursor: nextCursor}));
            const before = log.scrollHeight;
            list.prepend(...page.items.map(data => view(data).element));
            log.scrollTop += log.scrollHeight - before; // the message being read stays where it was
            nextCursor = page.nextCursor;
        } catch (e) {
            actions.report(e.message);
        } finally {
            loadingOlder = false;
            older.hidden = true;
        }
    }

    /** Adds a question and its answer, as POST .../messages returned them; returns the answer's view, if any. */
    function appendTurn(started) {
        emptyNote.hidden = true;
        const question = started.userMessage || started;
        list.append(view({...question, siblings: [question.id]}).element);
        const data = started.assistantMessage;
        const answer = data ? view({...data, siblings: [data.id]}) : null;
        if (answer) {
            list.append(answer.element);
        }
        scrollToEnd();
        return answer;
    }

    /** Shows a message again (its text alone while it streams, if asked), staying at the end if the reader was. */
    function update(shown, {textOnly = false} = {}) {
        const stick = nearEnd();
        if (textOnly && shown.element.classList.contains("streaming")) {
            shown.showText();
        } else {
            shown.draw();
        }
        if (stick) {
            scrollToEnd();
        }
    }

    function nearEnd() {
        return log.scrollHeight - log.scrollTop - log.clientHeight < 80;
    }

    function scrollToEnd() {
        log.scrollTop = log.scrollHeight;
    }

    function showError(text) {
        replace(list, h("p", {class: "error", role: "alert"}, text));
        emptyNote.hidden = true;
    }

    function close() {
        closed = true;
        olderObserver.disconnect();
    }

    return {log, showLatest, appendTurn, update, scrollToEnd, showError, close};
}
