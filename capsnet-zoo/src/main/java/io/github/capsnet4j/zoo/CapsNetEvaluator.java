package io.github.capsnet4j.zoo;

import io.github.capsnet4j.data.CapsNetDataSetIterator;
import io.github.capsnet4j.data.IdxDataset;
import io.github.capsnet4j.layers.CapsuleMask;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Classification quality of a CapsNet on a dataset: the predicted class is the longest digit capsule
 * (paper section 2). The decoder, if any, gets an all-zero label row, i.e. masks by the prediction, so no
 * label leaks into the prediction.
 */
public final class CapsNetEvaluator {

    private CapsNetEvaluator() {
    }

    /** DL4J {@link Evaluation} (accuracy, per-class stats, confusion matrix) over {@code data}, no augmentation. */
    public static Evaluation evaluate(ComputationGraph network, IdxDataset data, int batchSize) {
        Evaluation evaluation = new Evaluation(data.labelNames(), 1);
        CapsNetDataSetIterator batches = CapsNetDataSetIterator.forEvaluation(data, batchSize);
        while (batches.hasNext()) {
            DataSet batch = batches.next();
            evaluation.eval(batch.getLabels(), capsuleLengths(network, batch.getFeatures()));
        }
        return evaluation;
    }

    /** Capsule lengths {@code [batch, classes]} for images {@code [batch, channels, height, width]}. */
    public static INDArray capsuleLengths(ComputationGraph network, INDArray images) {
        return network.output(false, graphInputs(network, images))[0];
    }

    /** The graph's inputs for inference: the images, plus an all-zero label row per image (mask by the prediction) if the graph has a label input. */
    public static INDArray[] graphInputs(ComputationGraph network, INDArray images) {
        if (network.getNumInputArrays() == 1) {
            return new INDArray[]{images};
        }
        long classes = network.getConfiguration().getVertices().values().stream()
                .filter(vertex -> vertex instanceof CapsuleMask)
                .mapToLong(vertex -> ((CapsuleMask) vertex).getCapsules())
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("The network has a second input but no CapsuleMask vertex;"
                        + " pass its inputs to network.output(...) yourself."));
        return new INDArray[]{images, Nd4j.zeros(images.dataType(), images.size(0), classes)};
    }
}
