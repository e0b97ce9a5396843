// The one way the UI talks to the server: JSON in and out, the CSRF token on every write, and RFC 9457
// problem details turned into an ApiError whose message a person can read.
import {language, t} from "./i18n.js";

/** A refused or failed request. `type` is the problem's slug ("chat-not-found"), stable across languages. */
export class ApiError extends Error {
    constructor(status, problem) {
        const type = (problem.type || "").replace(/^urn:nosso:problem:/, "");
        super(translated(type, problem) || problem.detail || problem.title || t("api.status", {status}));
        this.status = status;
        this.type = type;
        this.problem = problem;
    }
}

/**
 * A problem told in the user's language when the strings have its type ("problem.<type>", or with its period,
 * "problem.<type>.<period>"), filled with the problem's own fields; otherwise null, and the server's detail shows.
 */
function translated(type, problem) {
    const key = "problem." + type + (problem.period ? "." + problem.period : "");
    const number = new Intl.NumberFormat(language());
    const text = t(key, {...problem,
        budgetTokens: number.format(problem.budgetTokens ?? 0), spentTokens: number.format(problem.spentTokens ?? 0),
        resetsAt: problem.resetsAt ? new Date(problem.resetsAt).toLocaleString(language()) : ""});
    return type && text !== key ? text : null;
}

let onSignedOut = () => {};

/** Called when the session is gone (401), so the app can show the sign-in page. */
export function whenSignedOut(handler) {
    onSignedOut = handler;
}

function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]*)/);
    return match ? decodeURIComponent(match[1]) : null;
}

export async function request(method, path, body, {signal} = {}) {
    const headers = {"Accept": "application/json, application/problem+json"};
    if (body !== undefined) {
        headers["Content-Type"] = "application/json";
    }
    if (method !== "GET" && method !== "HEAD") {
        const token = csrfToken();
        if (token) {
            headers["X-XSRF-TOKEN"] = token;
        }
    }
    let response;
    try {
        response = await fetch(path, {
            method, headers, signal, credentials: "same-origin",
            body: body === undefined ? undefined : JSON.stringify(body),
        });
    } catch (e) {
        if (e.name === "AbortError") {
            throw e;
        }
        throw new ApiError(0, {detail: t("api.network")});
    }
    if (response.status === 204) {
        return null;
    }
    const text = await response.text();
    let data = null;
    try {
        data = text ? JSON.parse(text) : null;
    } catch {
        data = {detail: text.slice(0, 300)};
    }
    if (!response.ok) {
        const error = new ApiError(response.status, data || {});
        // A 401 on the login call itself is a wrong password, not a lost session.
        if (response.status === 401 && !path.startsWith("/api/v1/auth/")) {
            onSignedOut(error);
        }
        throw error;
    }
    return data;
}

export const get = (path, options) => request("GET", path, undefined, options);
export const post = (path, body = {}) => request("POST", path, body);
export const patch = (path, body) => request("PATCH", path, body);
export const put = (path, body) => request("PUT", path, body);
export const del = (path) => request("DELETE", path);

/**
 * Uploads a file to `path` (/api/v1/files unless given, with any extra form fields) by XMLHttpRequest, whose
 * upload events give the progress that fetch does not: `onProgress(loaded, total)`. Resolves with the answer's
 * body (the stored file); rejects with an ApiError as request() does.
 */
export function uploadFile(file, fields, onProgress, path = "/api/v1/files") {
    return new Promise((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        xhr.open("POST", path);
        xhr.setRequestHeader("Accept", "application/json, application/problem+json");
        const token = csrfToken();
        if (token) {
            xhr.setRequestHeader("X-XSRF-TOKEN", token);
        }
        xhr.upload.addEventListener("progress", (e) => e.lengthComputable && onProgress(e.loaded, e.total));
        xhr.addEventListener("load", () => {
            let data = {};
            try {
                data = xhr.responseText ? JSON.parse(xhr.responseText) : {};
            } catch {
                data = {detail: xhr.responseText.slice(0, 300)};
            }
            if (xhr.status >= 200 && xhr.status < 300) {
                resolve(data);
            } else {
                reject(new ApiError(xhr.status, data));
            }
        });
        xhr.addEventListener("error", () => reject(new ApiError(0, {detail: t("api.network")})));
        const form = new FormData();
        form.append("file", file);
        for (const [name, value] of Object.entries(fields)) {
            form.append(name, value);
        }
        xhr.send(form);
    });
}

/**
 * Follows a job's progress stream (/api/v1/jobs/{id}/events): `progress({done, total, state})` at each
 * change, then `end()` once, when the job is done or failed or the stream closed for good. Returns a
 * function that stops following without calling `end`.
 */
export function followJob(jobId, {progress, end}) {
    const source = new EventSource(`/api/v1/jobs/${jobId}/events`);
    let over = false;
    const finish = () => {
        if (!over) {
            over = true;
            source.close();
            end();
        }
    };
    source.addEventListener("progress", (e) => progress(JSON.parse(e.data)));
    source.addEventListener("done", finish);
    source.addEventListener("failed", finish);
    source.addEventListener("error", () => source.readyState === EventSource.CLOSED && finish());
    return () => {
        over = true;
        source.close();
    };
}

/** A query string from the given values, leaving out null and undefined ones. */
export function query(params) {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
        if (value !== null && value !== undefined && value !== "") {
            search.set(key, value);
        }
    }
    const text = search.toString();
    return text ? "?" + text : "";
}
