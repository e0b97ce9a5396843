package dev.nosso;

import dev.nosso.backup.Backup;
import dev.nosso.backup.Restore;
import dev.nosso.copy.CopyToPostgres;
import dev.nosso.knowledge.storage.FilesMove;
import dev.nosso.platform.FatalErrors;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class NossoApplication {

    public static void main(String[] args) {
        // A one-off command runs without the web server and exits with its own code.
        if (args.length > 0 && CopyToPostgres.COMMAND.equals(args[0])) {
            System.exit(CopyToPostgres.run(args));
        }
        if (args.length > 0 && FilesMove.COMMAND.equals(args[0])) {
            System.exit(FilesMove.run(args));
        }
        if (args.length > 0 && Backup.COMMAND.equals(args[0])) {
            System.exit(Backup.run(args));
        }
        if (args.length > 0 && Restore.COMMAND.equals(args[0])) {
            System.exit(Restore.run(args));
        }
        FatalErrors.stopOnVirtualMachineError();
        SpringApplication.run(NossoApplication.class, args);
    }
}
