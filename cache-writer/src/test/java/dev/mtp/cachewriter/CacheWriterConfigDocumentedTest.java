package dev.mtp.cachewriter;

import dev.mtp.testkit.ConfigDocs;
import org.junit.jupiter.api.Test;

class CacheWriterConfigDocumentedTest {

    @Test
    void theDocumentedTableIsTheTable() throws Exception {
        ConfigDocs.assertDocumented(CacheWriterConfig.TABLE);
    }
}
