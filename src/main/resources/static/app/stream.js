// Follows an answer's Server-Sent Events from a character offset. Each delta's id is the offset at its end,
// so the text it carries starts at id - text.length: text we already have is cut off (a reconnect may
// resend it), and a gap is never papered over: the stream is reopened from what we have. The browser's
// EventSource reconnects by itself after a dropped connection, sending the last id as Last-Event-ID, which
// is exactly the length shown. `done` and the server's `error` end the answer; then we close, or the
// EventSource would reconnect to a finished stream forever.
import {get} from "./api.js";

const RETRY_MS = 2000;

/**
 * @param offset    characters of the answer already shown
 * @param onDelta   (text, length) for new text only, in order
 * @param onEnd     (message, reason) with the stored message once the answer has ended
 * @returns {{close(): void}}
 */
export function follow(messageId, offset, {onDelta, onEnd}) {
    let have = offset;
    let source = null;
    let closed = false;
    let timer = 0;

    function open() {
        source = new EventSource(`/api/v1/messages/${messageId}/stream?from=${have}`);
        source.addEventListener("delta", (event) => {
            let text = JSON.parse(event.data).text;
            const end = Number(event.lastEventId);
            const start = end - text.length;
            if (start > have) {
                reopen();
                return;
            }
            text = text.slice(have - start);
            if (text) {
                have = end;
                onDelta(text, have);
            }
        });
        source.addEventListener("done", (event) => finish(JSON.parse(event.data), null));
        // Named "error" events come from the server (the answer failed); bare ones are the connection's.
        source.addEventListener("error", (event) => {
            if (event.data) {
                const data = JSON.parse(event.data);
                finish(data.message, data.reason);
            } else if (source.readyState === EventSource.CLOSED) {
                // The server refused (a 4xx, or it was down): the browser gives up, we do not.
                source = null;
                timer = setTimeout(check, RETRY_MS);
            }
        });
    }

    function reopen() {
        source?.close();
        open();
    }

    // After a refused stream: if the answer ended meanwhile, show its end; otherwise try again.
    async function check() {
        if (closed) {
            return;
        }
        try {
            const message = await get(`/api/v1/messages/${messageId}`);
            if (message.status === "pending" || message.status === "streaming") {
                open();
            } else {
                if (message.content.length > have) {
                    onDelta(message.content.slice(have), message.content.length);
                    have = message.content.length;
                }
                finish(message, message.error);
            }
        } catch (e) {
            if (e.status === 404) {
                finish(null, e.message);
            } else {
                timer = setTimeout(check, RETRY_MS);
            }
        }
    }

    function finish(message, reason) {
        if (closed) {
            return;
        }
        close();
        onEnd(message, reason);
    }

    function close() {
        closed = true;
        clearTimeout(timer);
        source?.close();
    }

    open();
    return {close, length: () => have};
}
