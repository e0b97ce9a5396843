package dev.nosso.platform.jobs;

import dev.nosso.platform.NotFound;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * A job's progress, read once or followed as Server-Sent Events. The stream reads the job's row a few times
 * a second, so it follows a job run by any node; it ends with {@code done} or {@code failed}.
 *
 * <p>The caller comes as the request's {@link Principal}, whose name {@code identity} makes the user id:
 * {@code platform} sits below {@code identity}, so it reads no {@code Caller}.
 */
@RestController
@RequestMapping("/api/v1/jobs")
@Tag(name = "Jobs")
class JobController {

    static final Duration POLL = Duration.ofMillis(250);
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private final Jobs jobs;
    private final JsonMapper json;

    JobController(Jobs jobs, JsonMapper json) {
        this.jobs = jobs;
        this.json = json;
    }

    record JobView(UUID id, String kind, JobState state, int done, int total, String error, Instant createdAt,
                   Instant updatedAt) {

        static JobView of(Job job) {
            return new JobView(job.id(), job.kind(), job.state(), job.done(), job.total(), job.error(),
                    job.createdAt(), job.updatedAt());
        }
    }

    record Progress(int done, int total, JobState state) {
    }

    @GetMapping("/{jobId}")
    JobView get(Principal caller, @PathVariable UUID jobId) {
        return JobView.of(find(caller, jobId));
    }

    // No "produces": a 404 must still be answered as a problem to a client asking for JSON.
    @GetMapping("/{jobId}/events")
    @Operation(summary = "Follow a job as SSE: events progress, then done or failed")
    void events(Principal caller, @PathVariable UUID jobId, HttpServletResponse response)
            throws IOException, InterruptedException {
        Job job = find(caller, jobId); // 404 before any byte of the stream
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no");
        OutputStream out = response.getOutputStream();
        try {
            Progress sent = null;
            Instant lastWrite = Instant.now();
            while (true) {
                Progress now = new Progress(job.done(), job.total(), job.state());
                if (!now.equals(sent)) {
                    event(out, "progress", now);
                    sent = now;
                    lastWrite = Instant.now();
                }
                if (job.state().ended()) {
                    event(out, job.state() == JobState.DONE ? "done" : "failed", JobView.of(job));
                    out.flush();
                    return;
                }
                if (Duration.between(lastWrite, Instant.now()).compareTo(KEEP_ALIVE) >= 0) {
                    out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                    lastWrite = Instant.now();
                }
                out.flush();
                Thread.sleep(POLL);
                job = jobs.find(ownerOf(caller), jobId).orElse(null);
                if (job == null) {
                    return; // its owner was deleted meanwhile
                }
            }
        } catch (IOException gone) {
            // The client went away; the job goes on without it.
        }
    }

    private Job find(Principal caller, UUID jobId) {
        return jobs.find(ownerOf(caller), jobId).orElseThrow(() -> new NotFound("job"));
    }

    private static UUID ownerOf(Principal caller) {
        return UUID.fromString(caller.getName());
    }

    private void event(OutputStream out, String name, Object data) throws IOException {
        String frame = "event: " + name + "\ndata: " + json.writeValueAsString(data) + "\n\n";
        out.write(frame.getBytes(StandardCharsets.UTF_8));
    }
}
