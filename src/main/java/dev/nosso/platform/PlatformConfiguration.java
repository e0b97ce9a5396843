package dev.nosso.platform;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class PlatformConfiguration {

    /** One clock for every timestamp, so tests and benchmarks can reason about time. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
