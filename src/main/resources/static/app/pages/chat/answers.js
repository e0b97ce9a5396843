// Answers still being written, each followed from the characters it already shows (stream.js), so a reload or
// a dropped connection neither loses nor repeats text; Stop cancels them on the server, keeping their text.
import {post} from "../../api.js";
import {follow} from "../../stream.js";
import {unfinished} from "./message.js";

/**
 * `written(view, {textOnly})` shows new text, at most once per frame however many tokens arrive (the whole
 * message when it stops waiting, its text alone otherwise); `ended(view)` when an answer is over, its view's
 * message then as stored; `changed()` when answers start or end.
 */
export function liveAnswers({written, ended, changed}) {
    const followers = new Map(); // answer id -> its follower

    function attach(view) {
        const id = view.message.id;
        if (followers.has(id)) {
            return;
        }
        let frame = 0;
        const follower = follow(id, view.message.content.length, {
            onDelta: (text) => {
                view.message.content += text;
                const wasPending = view.message.status === "pending";
                view.message.status = "streaming";
                if (!frame) {
                    frame = requestAnimationFrame(() => {
                        frame = 0;
                        written(view, {textOnly: !wasPending});
                    });
                }
            },
            onEnd: (message, reason) => {
                cancelAnimationFrame(frame);
                followers.delete(id);
                if (message) {
                    if (message.content !== view.message.content) {
                        console.error("The streamed text differs from the stored answer", id);
                    }
                    view.message = {...message, error: message.error || reason};
                    if (unfinished(message)) {
                        // Left by a server that stopped: nothing more will come; it is marked at its next start.
                        view.message.status = "interrupted";
                    }
                } else {
                    view.message = {...view.message, status: "error", error: reason};
                }
                ended(view);
                changed();
            },
        });
        followers.set(id, follower);
        changed();
    }

    return {
        follow: attach,
        any: () => followers.size > 0,
        /** Asks the server to stop every answer followed here; each then ends as followed. */
        stopAll: () => Promise.all([...followers.keys()].map(id => post(`/api/v1/messages/${id}/cancel`).catch(() => {}))),
        closeAll: () => {
            followers.forEach(f => f.close());
            followers.clear();
        },
    };
}
