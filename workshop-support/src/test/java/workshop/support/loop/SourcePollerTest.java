package workshop.support.loop;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import workshop.support.TimeLimit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("The source poller")
@TimeLimit(seconds = 30) // a poll of 100 ms, on a loaded machine
class SourcePollerTest {

    @TempDir
    Path sources;

    @Test
    void handsOverSavedNewAndDeletedFilesInOneBatch() throws Exception {
        Path kept = Files.writeString(sources.resolve("Kept.java"), "class Kept { }");
        Path gone = Files.writeString(sources.resolve("Gone.java"), "class Gone { }");
        Files.createDirectories(sources.resolve("p"));
        SourcePoller poller = new SourcePoller(List.of(sources, sources.resolve("missing")));

        Files.writeString(kept, "class Kept { int changed; }");
        Path added = Files.writeString(sources.resolve("p/Added.java"), "class Added { }");
        Files.delete(gone);
        Files.writeString(sources.resolve(".#Kept.java"), "an editor's lock file");
        SourcePoller.Batch batch = poller.next();

        assertThat(batch.files()).containsExactlyInAnyOrder(kept, added, gone);
        assertThat(batch.savedAtMillis()).isEqualTo(Files.getLastModifiedTime(added).toMillis() > Files
                .getLastModifiedTime(kept).toMillis() ? Files.getLastModifiedTime(added).toMillis()
                : Files.getLastModifiedTime(kept).toMillis());
    }
}
