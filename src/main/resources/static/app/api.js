// The one way the UI talks to the server: JSON in and out, the CSRF token on every write, and RFC 9457
// problem details turned into an ApiError whose message a person can read.
import {t} from "./i18n.js";

/** A refused or failed request. `type` is the problem's slug ("chat-not-found"), stable across languages. */
export class ApiError extends Error {
    constructor(status, problem) {
        super(problem.detail || problem.title || t("error.status", {status}));
        this.status = status;
        this.type = (problem.type || "").replace(/^urn:nosso:problem:/, "");
        this.problem = problem;
    }
}

let onSignedOut = () => {};

/** Called when the session is gone (401), so the app can show the sign-in page. */
export function whenSignedOut(handler) {
    onSignedOut = handler;
}

export function csrfToken() {
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
        throw new ApiError(0, {detail: t("error.network")});
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
