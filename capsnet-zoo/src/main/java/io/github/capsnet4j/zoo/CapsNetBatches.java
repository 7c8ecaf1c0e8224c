package io.github.capsnet4j.zoo;

import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * The CapsNet graph's training batch, kept for callers written against it.
 *
 * @deprecated use {@link CapsNetGraph#trainingBatch}
 */
@Deprecated
public final class CapsNetBatches {

    private CapsNetBatches() {
    }

    /** @deprecated use {@link CapsNetGraph#trainingBatch} */
    @Deprecated
    public static MultiDataSet toGraphBatch(DataSet batch, boolean decoder) {
        return CapsNetGraph.trainingBatch(batch, decoder);
    }
}
