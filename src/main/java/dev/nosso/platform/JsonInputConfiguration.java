package dev.nosso.platform;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * How request bodies are read where text is expected. A number or a boolean is not quietly turned into a
 * string ({@code {"content": 12}} is refused naming the field, where Jackson would store "12"), and a string
 * must be text: one holding a lone surrogate is refused ({@link MalformedText}) instead of being stored as
 * {@code ?}. What a client sends is stored as sent, or refused with a reason.
 */
@Configuration(proxyBeanMethods = false)
class JsonInputConfiguration {

    @Bean
    JsonMapperBuilderCustomizer strictText() {
        return builder -> builder
                .withCoercionConfig(LogicalType.Textual, text -> text
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .addModule(new SimpleModule("nosso-text").addDeserializer(String.class, new WellFormedStrings()));
    }

    /** Jackson's own string reading (coercion rules included), then the check that the string is text. */
    static final class WellFormedStrings extends StringDeserializer {

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws JacksonException {
            String value = super.deserialize(p, ctxt);
            int at = value == null ? -1 : MalformedText.loneSurrogate(value);
            if (at >= 0) {
                throw new MalformedText(p, at);
            }
            return value;
        }
    }
}
