package io.github.capsnet4j.data;

import java.util.Arrays;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;

/**
 * Reshapes flat image features {@code [batch, rows * columns]}, as DL4J's
 * {@code MnistDataSetIterator} delivers them, into the one-channel image layout
 * {@code [batch, 1, rows, columns]} (NCHW) that CapsNet's convolutional first layer expects.
 * Features that already have four dimensions pass unchanged.
 */
public class ReshapeToImagePreProcessor implements DataSetPreProcessor {

    private static final long serialVersionUID = 1L;

    private final int rows;
    private final int columns;

    public ReshapeToImagePreProcessor(int rows, int columns) {
        this.rows = rows;
        this.columns = columns;
    }

    @Override
    public void preProcess(DataSet dataSet) {
        if (dataSet.getFeatures().rank() == 4) {
            return;
        }
        long[] shape = dataSet.getFeatures().shape();
        if (shape.length != 2 || shape[1] != (long) rows * columns) {
            throw new IllegalArgumentException("expected features [batch, " + rows * columns + "] for "
                    + rows + "x" + columns + " images, got " + Arrays.toString(shape));
        }
        dataSet.setFeatures(dataSet.getFeatures().reshape('c', shape[0], 1, rows, columns));
    }
}
