package dev.nosso.generation;

import dev.nosso.chat.MessageStatus;
import dev.nosso.chat.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/** The figures of every answer, for Prometheus: how many ended how, tokens, time to first token, speed. */
@Component
class TurnMetrics {

    private final MeterRegistry registry;
    private final Counter promptTokens;
    private final Counter completionTokens;
    private final Timer firstToken;
    private final DistributionSummary tokensPerSecond;

    TurnMetrics(MeterRegistry registry, StreamHub hub) {
        this.registry = registry;
        this.promptTokens = Counter.builder("nosso.turn.tokens").tag("kind", "prompt")
                .description("Tokens sent to models").register(registry);
        this.completionTokens = Counter.builder("nosso.turn.tokens").tag("kind", "completion")
                .description("Tokens models answered").register(registry);
        this.firstToken = Timer.builder("nosso.turn.first.token")
                .description("From the start of a turn to the first text of its answer")
                .publishPercentiles(0.5, 0.99).register(registry);
        this.tokensPerSecond = DistributionSummary.builder("nosso.turn.tokens.per.second")
                .description("Completion tokens per second after the first token").register(registry);
        Gauge.builder("nosso.turns.live", hub, StreamHub::size).description("Answers being generated now")
                .register(registry);
    }

    void ended(MessageStatus status, Usage usage) {
        Counter.builder("nosso.turns").tag("status", status.wire()).description("Answers, by how they ended")
                .register(registry).increment();
        if (usage == null) {
            return;
        }
        if (usage.promptTokens() != null) {
            promptTokens.increment(usage.promptTokens());
        }
        if (usage.completionTokens() != null) {
            completionTokens.increment(usage.completionTokens());
        }
        if (usage.timeToFirstTokenMs() != null) {
            firstToken.record(Duration.ofMillis(usage.timeToFirstTokenMs()));
        }
        if (usage.tokensPerSecond() != null) {
            tokensPerSecond.record(usage.tokensPerSecond());
        }
    }
}
