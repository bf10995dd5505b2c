package dev.mtp.ingest;

import dev.mtp.testkit.ConfigDocs;
import org.junit.jupiter.api.Test;

class IngestConfigDocumentedTest {

    @Test
    void theDocumentedTableIsTheTable() throws Exception {
        ConfigDocs.assertDocumented(IngestConfig.TABLE);
    }
}
