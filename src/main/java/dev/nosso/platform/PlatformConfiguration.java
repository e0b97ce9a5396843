package dev.nosso.platform;

import jakarta.servlet.MultipartConfigElement;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class PlatformConfiguration {

    /**
     * One clock for every timestamp. It ticks in milliseconds, the precision the databases keep, so that
     * what an API call returns equals what a later read of the same row returns.
     */
    @Bean
    Clock clock() {
        return Clock.tick(Clock.systemUTC(), Duration.ofMillis(1));
    }

    /**
     * Uploads: parts spooled to disk as they arrive (never held in memory), a file part up to the larger of the
     * two uploads' limits (see {@link RequestSizeFilter}); the whole request is bounded by that filter. Replaces
     * the one Spring Boot would build from {@code spring.servlet.multipart}.
     */
    @Bean
    MultipartConfigElement multipartConfigElement(@Value("${nosso.knowledge.max-file-bytes}") long maxFileBytes,
                                                  @Value("${nosso.imports.max-bytes}") long maxImportBytes) {
        return RequestSizeFilter.multipartConfig(maxFileBytes, maxImportBytes);
    }
}
