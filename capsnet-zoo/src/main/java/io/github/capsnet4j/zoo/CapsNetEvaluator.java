package io.github.capsnet4j.zoo;

import io.github.capsnet4j.data.CapsNetDataSetIterator;
import io.github.capsnet4j.data.IdxDataset;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.function.ObjLongConsumer;

/**
 * Classification quality of a CapsNet on a dataset: the predicted class is the longest digit capsule
 * (paper section 2). The decoder, if any, gets an all-zero label row, i.e. masks by the prediction, so no
 * label leaks into the prediction (see {@link CapsNetGraph#inferenceInputs}).
 */
public final class CapsNetEvaluator {

    private CapsNetEvaluator() {
    }

    /** DL4J {@link Evaluation} (accuracy, per-class stats, confusion matrix) over {@code data}, no augmentation. */
    public static Evaluation evaluate(ComputationGraph network, IdxDataset data, int batchSize) {
        return evaluate(network, data, batchSize, (evaluation, batches) -> { });
    }

    /**
     * {@link #evaluate(ComputationGraph, IdxDataset, int)}, calling {@code afterBatch} with the evaluation so far
     * and the number of batches done after every batch, e.g. to show progress.
     */
    public static Evaluation evaluate(ComputationGraph network, IdxDataset data, int batchSize, ObjLongConsumer<Evaluation> afterBatch) {
        return evaluate(network, CapsNetDataSetIterator.forEvaluation(data, batchSize), afterBatch);
    }

    /**
     * DL4J {@link Evaluation} over any iterator of (images, one-hot labels): the one-liner for the CapsNet's
     * two-input graph, whose {@code network.evaluate(iterator)} DL4J refuses ("network has 2 inputs"). Images are
     * {@code [batch, channels, height, width]} or flattened {@code [batch, channels·height·width]} (as DL4J's
     * {@code MnistDataSetIterator} gives them), in any floating-point type. The iterator is reset first if it can be.
     */
    public static Evaluation evaluate(ComputationGraph network, DataSetIterator data) {
        return evaluate(network, data, (evaluation, batches) -> { });
    }

    /** {@link #evaluate(ComputationGraph, DataSetIterator)}, calling {@code afterBatch} as the IdxDataset variant does. */
    public static Evaluation evaluate(ComputationGraph network, DataSetIterator data, ObjLongConsumer<Evaluation> afterBatch) {
        Evaluation evaluation = new Evaluation(data.getLabels(), 1);
        if (data.resetSupported()) {
            data.reset();
        }
        long done = 0;
        while (data.hasNext()) {
            DataSet batch = data.next();
            evaluation.eval(batch.getLabels(), capsuleLengths(network, CapsNetGraph.images(network, batch.getFeatures())));
            afterBatch.accept(evaluation, ++done);
        }
        return evaluation;
    }

    /** Capsule lengths {@code [batch, classes]} for images {@code [batch, channels, height, width]}. */
    public static INDArray capsuleLengths(ComputationGraph network, INDArray images) {
        return network.output(false, CapsNetGraph.inferenceInputs(network, images))[0];
    }
}
