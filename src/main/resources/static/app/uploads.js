// A file's way into the server: the upload with its progress, then the ingestion job that reads it (followed
// over the job's SSE events), then the file as the server has it once the job ends. The knowledge page and the
// chat's attachments show these steps in their own way; the steps themselves are written only here.
import {followJob, get, uploadFile} from "./api.js";

// A browser keeps about six connections to a server: at most FOLLOWING job streams are open at once, so that
// the page's own requests are never stuck behind them; the other files wait their turn.
const FOLLOWING = 3;

const settled = (file) => file.status === "ready" || file.status === "failed" || !file.jobId;

/**
 * The uploads of one page. The callbacks `on` of a file, each optional but `read` and `failed`:
 *   uploading(percent)          while its bytes go up;
 *   stored(file)                once the server has it, still to be read or not;
 *   reading({done, total, state}) as its job goes on;
 *   read(file)                  once reading has ended (at once if it needed none), the file as stored now;
 *   failed(error)               the upload or the last look at the file failed.
 * Nothing is called after the file's stop(), or after close() (the user left the page).
 */
export function uploads() {
    const streams = new Set();  // how to stop each open job stream
    const waiting = [];         // files waiting for a free stream, as functions that open it
    let closed = false;

    /** Uploads a file (with extra form fields) and follows its reading. `sent` settles when the upload has. */
    function send(file, fields, on) {
        const one = following();
        const sent = uploadFile(file, fields, (loaded, total) => one.live() && on.uploading?.(Math.round(loaded * 100 / total)))
            .then((stored) => {
                if (!one.live()) {
                    return;
                }
                on.stored?.(stored);
                if (settled(stored)) {
                    on.read(stored);
                } else {
                    watch(stored, on, one);
                }
            }, (error) => one.live() && on.failed(error));
        return {sent, stop: one.stop};
    }

    /** Follows the reading of a file stored already (one listed on load); returns how to stop. */
    function follow(file, on) {
        const one = following();
        if (!settled(file)) {
            watch(file, on, one);
        }
        return one.stop;
    }

    function following() {
        const one = {stopped: false, stream: null};
        one.live = () => !closed && !one.stopped;
        one.stop = () => {
            one.stopped = true;
            if (one.stream) {
                one.stream();
                streams.delete(one.stream);
                next();
            }
        };
        return one;
    }

    function watch(file, on, one) {
        if (streams.size >= FOLLOWING) {
            waiting.push(() => one.live() && watch(file, on, one));
            return;
        }
        const stream = followJob(file.jobId, {
            progress: (p) => one.live() && on.reading?.(p),
            end: async () => {
                streams.delete(stream);
                one.stream = null;
                next();
                if (!one.live()) {
                    return;
                }
                try {
                    const now = await get("/api/v1/files/" + file.id);
                    one.live() && on.read(now);
                } catch (error) {
                    one.live() && on.failed(error);
                }
            },
        });
        one.stream = stream;
        streams.add(stream);
    }

    function next() {
        while (!closed && waiting.length && streams.size < FOLLOWING) {
            waiting.shift()();
        }
    }

    function close() {
        closed = true;
        waiting.length = 0;
        streams.forEach(stop => stop());
        streams.clear();
    }

    return {send, follow, close};
}
