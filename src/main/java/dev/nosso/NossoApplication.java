package dev.nosso;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class NossoApplication {

    public static void main(String[] args) {
        SpringApplication.run(NossoApplication.class, args);
    }
}
