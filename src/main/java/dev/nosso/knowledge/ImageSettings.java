package dev.nosso.knowledge;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits on images sent to vision models (attached in the UI or given to {@code /v1} as data URLs). Each is
 * decoded to check it, which costs four bytes a pixel of heap: {@code maxPixels} bounds that before any pixel
 * is read, from the image's header.
 *
 * @param maxBytes    largest image accepted, as sent; larger is 413 {@code image-too-large}
 * @param maxPixels   most pixels (width × height) of one image; more is 413 {@code image-too-large}
 * @param maxPerMessage most images in one message; more is 400 {@code too-many-images}
 */
@ConfigurationProperties("nosso.images")
@Validated
public record ImageSettings(@Positive @DefaultValue("10485760") long maxBytes,
                            @Positive @Max(100_000_000) @DefaultValue("16777216") long maxPixels,
                            @Positive @Max(100) @DefaultValue("10") int maxPerMessage) {
}
