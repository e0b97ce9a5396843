package dev.nosso.backup;

import dev.nosso.platform.DatabaseSettings;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * Where an installation keeps its data, read from the settings exactly as the server reads them
 * ({@code application.yml}, the environment, {@code --nosso.…} options), with the command's own options.
 *
 * @param dataDir  {@code nosso.data-dir}
 * @param database the SQLite file, or empty on PostgreSQL
 * @param filesDir where the local file store keeps uploaded files' bytes
 * @param filesStore {@code nosso.files.store}: empty or {@code local} means the folder above
 * @param options  the command's options ({@code --to}, {@code --from}, {@code --force})
 */
record Installation(Path dataDir, Optional<Path> database, Path filesDir, String filesStore, Environment options) {

    /** The key that seals stored API keys, when it is generated into the data folder (no NOSSO_SECRET_KEY). */
    static final String SECRET_KEY = "secret.key";

    // Not a @Configuration: the server's component scan must not pick it up.
    @EnableConfigurationProperties(DatabaseSettings.class)
    static class Settings {
    }

    static Installation read(String command, String[] args) {
        String[] rest = args.length > 0 && command.equals(args[0]) ? Arrays.copyOfRange(args, 1, args.length) : args;
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Settings.class)
                .web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF).logStartupInfo(false)
                .properties("logging.level.root=warn").run(rest)) {
            Environment env = context.getEnvironment();
            Path dataDir = Path.of(env.getRequiredProperty("nosso.data-dir")).toAbsolutePath();
            DatabaseSettings database = context.getBean(DatabaseSettings.class);
            return new Installation(dataDir, database.sqliteFile(dataDir),
                    Path.of(env.getRequiredProperty("nosso.files.dir")).toAbsolutePath(),
                    env.getProperty("nosso.files.store", ""), env);
        }
    }

    boolean filesInFolder() {
        return filesStore.isBlank() || filesStore.equalsIgnoreCase("local");
    }
}
