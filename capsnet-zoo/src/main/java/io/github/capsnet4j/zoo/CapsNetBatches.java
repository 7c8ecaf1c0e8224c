package io.github.capsnet4j.zoo;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/**
 * Turns (image, one-hot label) batches into the CapsNet graph's inputs and outputs:
 * features {@code [image, label]} and labels {@code [label, flattened image]} (the reconstruction target),
 * or {@code [image]} / {@code [label]} without the decoder. The label input is what {@code CapsuleMask}
 * masks by in training.
 */
public final class CapsNetBatches implements MultiDataSetIterator {

    private static final long serialVersionUID = 1L;

    private final DataSetIterator source;
    private final boolean decoder;
    private MultiDataSetPreProcessor preProcessor;

    public CapsNetBatches(DataSetIterator source, boolean decoder) {
        this.source = source;
        this.decoder = decoder;
    }

    /** The graph's training batch for one (image, label) batch. */
    public static MultiDataSet toGraphBatch(DataSet batch, boolean decoder) {
        INDArray images = batch.getFeatures();
        INDArray labels = batch.getLabels();
        if (!decoder) {
            return new org.nd4j.linalg.dataset.MultiDataSet(images, labels);
        }
        INDArray flat = images.reshape(images.size(0), images.length() / images.size(0));
        return new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[]{images, labels}, new INDArray[]{labels, flat});
    }

    @Override
    public MultiDataSet next(int num) {
        throw new UnsupportedOperationException("CapsNetBatches takes the source iterator's batch size");
    }

    @Override
    public MultiDataSet next() {
        MultiDataSet batch = toGraphBatch(source.next(), decoder);
        if (preProcessor != null) {
            preProcessor.preProcess(batch);
        }
        return batch;
    }

    @Override
    public boolean hasNext() {
        return source.hasNext();
    }

    @Override
    public void setPreProcessor(MultiDataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public MultiDataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public boolean resetSupported() {
        return source.resetSupported();
    }

    @Override
    public boolean asyncSupported() {
        return source.asyncSupported();
    }

    @Override
    public void reset() {
        source.reset();
    }

    public int batch() {
        return source.batch();
    }
}
