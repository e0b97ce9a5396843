package dev.nosso.provider;

/** No enabled connection serves the model asked for. */
public class UnknownModel extends RuntimeException {

    private final String modelId;

    public UnknownModel(String modelId) {
        super("No connection serves the model \"" + modelId + "\".");
        this.modelId = modelId;
    }

    public String modelId() {
        return modelId;
    }
}
