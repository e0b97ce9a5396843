package dev.nosso.generation;

import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How turns run.
 *
 * @param checkpointInterval  how often the text of running answers is written; the most a crash can lose
 * @param contextTokens       the context length assumed for a model whose provider does not tell it
 * @param answerTokens        tokens kept free for the answer when the chat sets no maximum
 * @param heartbeat           how often an idle stream sends a comment, so proxies keep it open and a gone
 *                            client is noticed
 * @param titles              whether a new chat gets a title written by its model after the first answer
 * @param accessCheck         how often a node checks that the owners of the answers it runs still have their
 *                            access: the longest a suspension whose event this node missed lets them run on
 */
@ConfigurationProperties("nosso.generation")
@Validated
record GenerationSettings(Duration checkpointInterval, @Positive int contextTokens, @Positive int answerTokens,
                          Duration heartbeat, boolean titles,
                          @DefaultValue("5s") @DurationMin(millis = 100) Duration accessCheck) {
}
