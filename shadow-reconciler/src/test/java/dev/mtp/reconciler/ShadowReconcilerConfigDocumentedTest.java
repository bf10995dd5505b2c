package dev.mtp.reconciler;

import dev.mtp.testkit.ConfigDocs;
import org.junit.jupiter.api.Test;

class ShadowReconcilerConfigDocumentedTest {

    @Test
    void theDocumentedTableIsTheTable() throws Exception {
        ConfigDocs.assertDocumented(ShadowReconcilerConfig.TABLE);
    }
}
