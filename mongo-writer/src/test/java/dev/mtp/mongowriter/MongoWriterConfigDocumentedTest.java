package dev.mtp.mongowriter;

import dev.mtp.testkit.ConfigDocs;
import org.junit.jupiter.api.Test;

class MongoWriterConfigDocumentedTest {

    @Test
    void theDocumentedTableIsTheTable() throws Exception {
        ConfigDocs.assertDocumented(MongoWriterConfig.TABLE);
    }
}
