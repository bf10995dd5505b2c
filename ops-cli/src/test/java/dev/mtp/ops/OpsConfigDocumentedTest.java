package dev.mtp.ops;

import dev.mtp.testkit.ConfigDocs;
import org.junit.jupiter.api.Test;

class OpsConfigDocumentedTest {

    @Test
    void theDocumentedTableIsTheTable() throws Exception {
        ConfigDocs.assertDocumented(OpsConfig.TABLE);
    }
}
