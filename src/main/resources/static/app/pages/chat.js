// One conversation. The page holds the chat and wires its parts, each a module of pages/chat/: the model
// picker (models.js), the chat's settings (settings.js), the log of messages (messages.js, each drawn by
// message.js), their versions (branches.js), the answers being written (answers.js) and the composer
// (composer.js). An answer still being written, found on load, after a send, a regenerate or an edit, is
// followed from the characters already shown, so a reload or a dropped connection neither loses nor repeats text.
import {get, post} from "../api.js";
import {h} from "../dom.js";
import {t} from "../i18n.js";
import {liveAnswers} from "./chat/answers.js";
import {branchActions} from "./chat/branches.js";
import {composerForm} from "./chat/composer.js";
import {messageList} from "./chat/messages.js";
import {modelPicker} from "./chat/models.js";
import {presetPicker} from "./chat/presets.js";
import {chatSettings} from "./chat/settings.js";
import {starters} from "./chat/starters.js";

const DEFAULT_TITLE = "New chat"; // the server's name for a chat nobody named yet

export async function mount(root, ctx) {
    let chat = null;
    let left = false;

    const answers = liveAnswers({
        written: (view, how) => list.update(view, how),
        ended: (view) => {
            list.update(view);
            refreshChat();
        },
        changed: () => composer.streaming(answers.any()),
    });
    const composer = composerForm({send, stop: answers.stopAll, running: answers.any});
    const screen = ctx.screen || Promise.resolve(null); // GET /api/v1/pages/chat, asked by the app
    const models = modelPicker({report: composer.report, given: screen.then(data => data?.models),
        quietWhenEmpty: !ctx.params.chatId});
    const settings = chatSettings({current: () => chat, ensureChat, saved: (saved) => chat = saved});
    const list = messageList({
        ...branchActions({chat: () => chat, model: models.value, reload: () => showLatest(), report: composer.report}),
        report: composer.report,
    });

    const presets = presetPicker({picked: (preset) => preset && models.prefer(preset.model)});
    const title = h("h1", {class: "chat-title"}, t("chat.untitled"));
    const share = h("button", {type: "button", class: "icon", hidden: true, "aria-label": t("share.title"),
        title: t("share.title"), onclick: () => import("./chat/share.js").then(m => m.openShareDialog(chat))
            .catch(e => composer.report(e.message))}, "⇪");
    const menuToggle = h("button", {type: "button", class: "icon menu-toggle", "aria-label": t("sidebar.toggle"),
        onclick: () => root.closest(".shell")?.classList.add("sidebar-open")}, "☰");
    // A new chat offers a few questions to start from, and says what to do when there is no model yet.
    const start = ctx.params.chatId ? null : starters({ask: composer.ask, me: ctx.me, navigate: ctx.navigate});
    root.append(
        h("header", {class: "chat-header"}, menuToggle, title, presets.select, models.select, share, settings.toggle),
        models.warning, settings.panel, list.log, composer.form);
    if (start) {
        list.log.append(start.element);
    }
    const onChat = (e) => {
        if (chat && e.detail.id === chat.id) {
            chat = e.detail;
            showTitle();
        }
    };
    document.addEventListener("nosso:chat", onChat);

    if (ctx.params.chatId) {
        const opened = await screen;
        try {
            chat = opened?.chat || await get("/api/v1/chats/" + ctx.params.chatId);
        } catch (e) {
            list.showError(e.message);
            composer.form.hidden = true;
            return leave;
        }
        showTitle();
        settings.fill(chat);
        await models.loaded;
        models.prefer(chat.model); // the chat goes on with the model it last used, if it is still offered
        await showLatest(opened?.chat ? opened.messages : null);
    } else {
        document.title = t("chat.untitled") + " · Nosso";
        presets.load().catch(e => composer.report(e.message)); // a new chat may start from a preset
        await models.loaded;
        start.noModels(models.count() === 0, models.catalog());
    }
    composer.focus();
    return leave;

    function leave() {
        left = true;
        composer.close();
        answers.closeAll();
        list.close();
        document.removeEventListener("nosso:chat", onChat);
    }

    function showTitle() {
        share.hidden = false; // a chat exists from here on
        title.textContent = !chat.title || chat.title === DEFAULT_TITLE ? t("chat.untitled") : chat.title;
        document.title = title.textContent + " · Nosso";
    }

    /** The newest window of the active branch (`given`, if the page has it); answers still being written are followed. */
    async function showLatest(given = null) {
        answers.closeAll();
        const writing = await list.showLatest(chat.id, given);
        writing.forEach(answers.follow);
        composer.streaming(answers.any());
    }

    async function send(text, files = []) {
        await models.loaded; // the composer is usable at once; the model it sends with may still be on its way
        await ensureChat();
        const body = {content: text, model: models.value()};
        if (files.length) {
            body.attachments = files.map(f => f.id);
        }
        const started = await post(`/api/v1/chats/${chat.id}/messages`, body);
        start?.element.remove();
        const answer = list.appendTurn(started);
        if (answer) {
            answers.follow(answer);
        }
    }

    async function ensureChat() {
        if (!chat) {
            const preset = presets.chosen();
            chat = await post("/api/v1/chats", preset ? {presetId: preset.id} : {});
            presets.select.hidden = true;
            if (preset) {
                settings.fill(chat); // the preset's settings; otherwise the panel may hold what is being saved
            }
            showTitle();
            ctx.navigate("/c/" + chat.id, {quiet: true});
            document.dispatchEvent(new CustomEvent("nosso:chat", {detail: chat}));
        }
        return chat;
    }

    // The server names a new chat after its first answer, a moment after that answer ends; the sidebar and
    // the header learn the name from here, asking again a few times while it is still the default one.
    async function refreshChat(tries = 3) {
        if (!chat || left) {
            return;
        }
        try {
            const fresh = await get("/api/v1/chats/" + chat.id);
            document.dispatchEvent(new CustomEvent("nosso:chat", {detail: fresh}));
            if (fresh.title === DEFAULT_TITLE && fresh.messageCount <= 2 && tries > 1) {
                setTimeout(() => refreshChat(tries - 1), 2000);
            }
        } catch {
            // the chat may have been deleted meanwhile; nothing to show
        }
    }
}
