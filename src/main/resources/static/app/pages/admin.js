// Administration: accounts (approve, change role, suspend or reactivate), the sign-up policy, the per-user
// limits, and the connections to model providers (add, test, enable or disable, delete). Usage and token budgets
// have a page of their own (admin/usage.js), linked from here.
import {del, get, patch, post, query} from "../api.js";
import {attempt, busy, errorLine, field} from "../controls.js";
import {confirmDialog} from "../dialogs.js";
import {h, replace} from "../dom.js";
import {t} from "../i18n.js";
import {sharingSection} from "./admin/sharing.js";
import {pageHeader} from "./page-header.js";

const ROLES = ["admin", "user", "pending"];
const MIB = 1024 * 1024;

export async function mount(root, ctx) {
    // ---- users
    const usersError = errorLine();
    const userList = h("ul", {class: "items", "aria-label": t("admin.usersList")});
    const more = h("button", {type: "button", hidden: true, onclick: () => loadUsers(false)}, t("admin.more"));
    const show = h("select", {onchange: () => loadUsers(true)},
        h("option", {value: ""}, t("admin.showAll")), h("option", {value: "pending"}, t("admin.showPending")));
    let cursor = null;

    function act(action) {
        return attempt(usersError, action);
    }

    function userItem(user) {
        const li = h("li", {class: "item", dataset: {id: user.id}});
        const fill = (u) => {
            const change = (body) => act(async () => {
                const changed = await patch("/api/v1/admin/users/" + u.id, body);
                fill(changed);
                if (changed.id === ctx.me.id) {
                    await ctx.refreshMe();
                }
            });
            const role = h("select", {"aria-label": t("admin.role", {email: u.email}),
                onchange: (e) => change({role: e.target.value})},
                ROLES.map(r => h("option", {value: r, selected: r === u.role}, t("admin.role." + r))));
            replace(li,
                h("div", {class: "grow"}, h("strong", {}, u.name || u.email), " ",
                    h("span", {class: "muted"}, u.email), " ",
                    h("span", {class: "badge " + u.status}, t("admin.status." + u.status))),
                role,
                u.role === "pending" ? h("button", {type: "button", class: "primary",
                    "aria-label": t("admin.actionsFor", {action: t("admin.approve"), name: u.email}),
                    onclick: () => change({role: "user"})}, t("admin.approve")) : null,
                u.id === ctx.me.id ? null : u.status === "active"
                    ? h("button", {type: "button", class: "danger",
                        "aria-label": t("admin.actionsFor", {action: t("admin.suspend"), name: u.email}),
                        onclick: async () => {
                            if (await confirmDialog(t("admin.suspendTitle"), t("admin.suspendMessage", {email: u.email}),
                                t("admin.suspend"))) {
                                change({status: "suspended"});
                            }
                        }}, t("admin.suspend"))
                    : h("button", {type: "button",
                        "aria-label": t("admin.actionsFor", {action: t("admin.reactivate"), name: u.email}),
                        onclick: () => change({status: "active"})}, t("admin.reactivate")));
        };
        fill(user);
        return li;
    }

    async function loadUsers(restart) {
        await act(async () => {
            if (restart) {
                cursor = null;
            }
            const page = await get("/api/v1/admin/users" + query({role: show.value || null, cursor}));
            if (restart) {
                replace(userList);
            }
            userList.append(...page.items.map(userItem));
            if (!userList.children.length) {
                userList.append(h("li", {class: "muted"}, t("admin.noUsers")));
            }
            cursor = page.nextCursor;
            more.hidden = !cursor;
        });
    }

    // ---- sign-up policy
    const signupEnabled = h("input", {type: "checkbox"});
    const signupRole = h("select", {}, ["pending", "user"].map(r => h("option", {value: r}, t("admin.signupRole." + r))));
    const policyError = errorLine();
    const policyStatus = h("span", {class: "muted", role: "status"});
    const policyForm = h("form", {class: "panel", "aria-labelledby": "admin-signup"},
        h("h2", {id: "admin-signup"}, t("admin.signup")),
        h("label", {class: "check"}, signupEnabled, h("span", {}, t("admin.signupEnabled"))),
        field(t("admin.signupRole"), signupRole), policyError, policyStatus);
    const savePolicy = (body) => {
        policyStatus.textContent = "";
        busy(policyForm, policyError, async () => {
            const policy = await patch("/api/v1/admin/settings", body);
            signupEnabled.checked = policy.signupEnabled;
            signupRole.value = policy.signupDefaultRole;
            policyStatus.textContent = t("admin.saved");
        });
    };
    signupEnabled.addEventListener("change", () => savePolicy({signupEnabled: signupEnabled.checked}));
    signupRole.addEventListener("change", () => savePolicy({signupDefaultRole: signupRole.value}));
    policyForm.addEventListener("submit", (e) => e.preventDefault());

    // ---- per-user limits (0: unlimited); upload bytes are shown in MiB
    const limitInput = () => h("input", {type: "number", min: "0", step: "1", required: true});
    const runningAnswers = limitInput();
    const messagesPerMinute = limitInput();
    const uploadMiB = limitInput();
    const limitsError = errorLine();
    const limitsStatus = h("span", {class: "muted", role: "status"});
    const limitsForm = h("form", {class: "panel fields", "aria-labelledby": "admin-limits"},
        h("h2", {id: "admin-limits"}, t("admin.limits")),
        h("p", {class: "muted small"}, t("admin.limits.hint")),
        h("div", {class: "row"}, field(t("admin.limits.runningAnswers"), runningAnswers),
            field(t("admin.limits.messagesPerMinute"), messagesPerMinute),
            field(t("admin.limits.uploadMiB"), uploadMiB)),
        limitsError,
        h("div", {class: "row"}, h("button", {type: "submit", class: "primary"}, t("admin.limits.save")), limitsStatus));
    const showLimits = (settings) => {
        runningAnswers.value = settings.runningAnswersPerUser;
        messagesPerMinute.value = settings.messagesPerMinutePerUser;
        uploadMiB.value = Math.round(settings.uploadBytesPerDayPerUser / MIB);
    };
    limitsForm.addEventListener("submit", (e) => {
        e.preventDefault();
        limitsStatus.textContent = "";
        busy(limitsForm, limitsError, async () => {
            showLimits(await patch("/api/v1/admin/settings", {
                runningAnswersPerUser: Number(runningAnswers.value),
                messagesPerMinutePerUser: Number(messagesPerMinute.value),
                uploadBytesPerDayPerUser: Number(uploadMiB.value) * MIB}));
            limitsStatus.textContent = t("admin.saved");
        });
    });

    // ---- connections
    const connError = errorLine();
    const connList = h("ul", {class: "items", "aria-label": t("admin.connectionsList")});
    const kind = h("select", {}, ["openai", "ollama"].map(k => h("option", {value: k}, t("admin.kind." + k))));
    const name = h("input", {required: true, maxlength: "100"});
    const baseUrl = h("input", {type: "url", required: true, maxlength: "2000", placeholder: "https://…"});
    const apiKey = h("input", {type: "password", maxlength: "4000", autocomplete: "off"});
    const addError = errorLine();
    // Ollama's usual address is offered as it is chosen; an OpenAI-compatible server's varies too much to guess.
    kind.addEventListener("change", () => {
        if (kind.value === "ollama" && !baseUrl.value) {
            baseUrl.value = "http://127.0.0.1:11434";
        }
        name.value ||= kind.value;
    });
    const tried = h("p", {class: "muted", role: "status"});
    const tryButton = h("button", {type: "button", onclick: () => tryConnection(tried, tryButton,
        () => post("/api/v1/admin/connections/test", {kind: kind.value, baseUrl: baseUrl.value.trim(), apiKey: apiKey.value || null}))},
        t("admin.test"));
    const addForm = h("form", {class: "fields"},
        h("div", {class: "row"}, field(t("admin.kind"), kind), field(t("admin.name"), name)),
        h("div", {class: "row"}, field(t("admin.baseUrl"), baseUrl), field(t("admin.apiKey"), apiKey)),
        addError, tried,
        h("div", {class: "row"}, tryButton, h("button", {type: "submit", class: "primary"}, t("admin.addConnection"))));
    addForm.addEventListener("submit", (e) => {
        e.preventDefault();
        busy(addForm, addError, async () => {
            await post("/api/v1/admin/connections", {kind: kind.value, name: name.value.trim(),
                baseUrl: baseUrl.value.trim(), apiKey: apiKey.value || null});
            name.value = baseUrl.value = apiKey.value = "";
            await loadConnections();
        });
    });

    // The test button's answer: the models found (the first few), or why the provider could not be listed.
    async function tryConnection(result, button, run) {
        button.disabled = true;
        result.className = "muted";
        result.textContent = t("admin.testing");
        try {
            const r = await run();
            result.className = r.ok ? "ok" : "error";
            result.textContent = !r.ok ? t("admin.testFailed", {error: r.error})
                : t(r.models === 1 ? "admin.testOkOne" : "admin.testOk", {models: r.models})
                    + (r.found?.length ? " " + r.found.join(", ") + (r.models > r.found.length ? " …" : "") : "");
        } catch (error) {
            result.className = "error";
            result.textContent = t("admin.testFailed", {error: error.message});
        } finally {
            button.disabled = false;
        }
    }

    // An environment's connection is replaced by entering another address or key: it becomes the admins' own.
    async function replaceConnection(c) {
        const {formDialog} = await import("../dialogs.js");
        const url = h("input", {type: "url", required: true, maxlength: "2000", value: c.baseUrl});
        const key = h("input", {type: "password", maxlength: "4000", autocomplete: "off"});
        const answer = await formDialog(t("admin.replaceTitle", {name: c.name}),
            h("div", {class: "fields"}, h("p", {class: "muted"}, t("admin.replaceHint")),
                field(t("admin.baseUrl"), url), field(t("admin.apiKey"), key)),
            () => ({baseUrl: url.value.trim(), ...(key.value ? {apiKey: key.value} : {})}), url);
        if (answer) {
            connAct(() => patch("/api/v1/admin/connections/" + c.id, answer));
        }
    }

    function connectionItem(c) {
        const result = h("span", {class: "muted", role: "status"});
        const label = (action) => t("admin.actionsFor", {action, name: c.name});
        const health = !c.enabled ? t("admin.disabled")
            : c.health ? (c.health.healthy ? t(c.health.models === 1 ? "admin.healthyOne" : "admin.healthy", {models: c.health.models})
                : t("admin.unhealthy", {error: c.health.error || ""})) : "";
        return h("li", {class: "item"},
            h("div", {class: "grow"},
                h("strong", {}, c.name), " ", h("span", {class: "badge"}, t("admin.kind." + c.kind)),
                h("div", {class: "muted small"}, c.baseUrl, c.hasApiKey ? " · " + t("admin.withKey") : "",
                    c.source === "env" ? " · " + t("admin.fromEnvironment") : "",
                    c.replacesEnvironment ? " · " + t("admin.replacesEnvironment") : "", health ? " · " + health : ""),
                result),
            h("button", {type: "button", "aria-label": label(t("admin.test")), onclick: (e) => tryConnection(result, e.target,
                () => post("/api/v1/admin/connections/" + c.id + "/test"))}, t("admin.test")),
            c.source === "env" ? h("button", {type: "button", "aria-label": label(t("admin.replace")),
                onclick: () => replaceConnection(c)}, t("admin.replace")) : null,
            h("button", {type: "button", "aria-label": label(c.enabled ? t("admin.disable") : t("admin.enable")),
                onclick: () => connAct(() => patch("/api/v1/admin/connections/" + c.id, {enabled: !c.enabled}))},
                c.enabled ? t("admin.disable") : t("admin.enable")),
            c.source === "env" ? null : h("button", {type: "button", class: "danger",
                "aria-label": label(t("admin.delete")), onclick: async () => {
                    if (await confirmDialog(t("admin.deleteTitle"), t("admin.deleteMessage", {name: c.name}), t("admin.delete"))) {
                        connAct(() => del("/api/v1/admin/connections/" + c.id));
                    }
                }}, t("admin.delete")));
    }

    function connAct(action) {
        return attempt(connError, async () => {
            await action();
            await loadConnections();
        });
    }

    async function loadConnections() {
        const list = await get("/api/v1/admin/connections");
        replace(connList, list.length ? list.map(connectionItem) : h("li", {class: "muted"}, t("admin.noConnections")));
    }

    const sharing = sharingSection();
    replace(root, h("div", {class: "page"},
        pageHeader(root, t("admin.title")),
        h("nav", {class: "row", "aria-label": t("admin.sections")}, h("a", {href: "/admin/usage"}, t("admin.usage"))),
        h("section", {class: "panel", "aria-labelledby": "admin-users"},
            h("h2", {id: "admin-users"}, t("admin.users")),
            h("div", {class: "row"}, field(t("admin.show"), show)),
            usersError, userList, more),
        policyForm,
        limitsForm,
        sharing.section,
        h("section", {class: "panel", id: "connections", "aria-labelledby": "admin-connections"},
            h("h2", {id: "admin-connections"}, t("admin.connections")),
            connError, connList,
            h("h3", {}, t("admin.addConnection")), addForm)));

    await Promise.all([
        loadUsers(true),
        sharing.load(),
        get("/api/v1/admin/settings").then(policy => {
            signupEnabled.checked = policy.signupEnabled;
            signupRole.value = policy.signupDefaultRole;
            showLimits(policy);
        }).catch(e => { policyError.textContent = e.message; }),
        connAct(async () => {}),
    ]);
    if (location.hash === "#connections") { // from the chat's "Connect a model"
        root.querySelector("#connections")?.scrollIntoView();
        kind.focus();
    }
}
