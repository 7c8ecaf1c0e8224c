package io.github.capsnet4j.render;

import io.github.capsnet4j.zoo.CapsNetPredictor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.awt.image.BufferedImage;
import java.util.Arrays;

/** The paper's pictures of what the capsules encode, as grey image grids (see {@link ImageGrid}). */
public final class Figures {

    /** Perturbations of one capsule dimension in Figure 4: −0.25 to +0.25 in steps of 0.05. */
    public static final double[] PERTURBATIONS = perturbations();
    /** Images per row of {@link #reconstructionGrid(INDArray, INDArray)}. */
    public static final int RECONSTRUCTION_COLUMNS = 10;
    /** Enlargement of the figures' 28×28 images. */
    public static final int SCALE = 2;

    private Figures() {
    }

    private static double[] perturbations() {
        double[] offsets = new double[11];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = (i - 5) * 0.05;                        // from the index, so 0 is exactly 0
        }
        return offsets;
    }

    /** {@link #reconstructionGrid(INDArray, INDArray, int, int)} with 10 images per row, 2× enlarged. */
    public static BufferedImage reconstructionGrid(INDArray inputs, INDArray reconstructions) {
        return reconstructionGrid(inputs, reconstructions, RECONSTRUCTION_COLUMNS, SCALE);
    }

    /**
     * Inputs above their reconstructions, as in the paper's Figure 3: rows of up to {@code columns} inputs, each
     * followed by a row of their reconstructions (a short last pair of rows is padded with black cells).
     *
     * @param inputs          {@code [n, 784]} or {@code [n, 1, 28, 28]}
     * @param reconstructions the same number of images, e.g. the decoder's {@code [n, 784]}
     */
    public static BufferedImage reconstructionGrid(INDArray inputs, INDArray reconstructions, int columns, int scale) {
        long n = inputs.size(0);
        INDArray in = inputs.reshape(n, inputs.length() / Math.max(1, n));
        INDArray out = reconstructions.reshape(reconstructions.size(0), reconstructions.length() / Math.max(1, reconstructions.size(0)));
        if (n == 0 || !Arrays.equals(in.shape(), out.shape())) {
            throw new IllegalArgumentException("Expected as many reconstructions as inputs, of the same size, but got inputs "
                    + Arrays.toString(inputs.shape()) + " and reconstructions " + Arrays.toString(reconstructions.shape()) + ".");
        }
        int width = (int) Math.min(columns, n);
        long chunks = (n + width - 1) / width;
        INDArray cells = Nd4j.zeros(in.dataType(), 2 * chunks * width, in.size(1));      // zeros: black padding
        for (long chunk = 0; chunk < chunks; chunk++) {
            long first = chunk * width;
            long last = Math.min(first + width, n);
            long row = 2 * chunk * width;                                                  // the chunk's row of inputs
            cells.get(NDArrayIndex.interval(row, row + last - first)).assign(in.get(NDArrayIndex.interval(first, last)));
            cells.get(NDArrayIndex.interval(row + width, row + width + last - first))
                    .assign(out.get(NDArrayIndex.interval(first, last)).castTo(in.dataType()));
        }
        return new ImageGrid(width, scale, 1).render(cells);
    }

    /**
     * The paper's Figure 4 for one digit: row d decodes {@code capsule} with dimension d shifted by each of
     * {@link #PERTURBATIONS} (columns, −0.25 left to +0.25 right), so one sees what each dimension encodes
     * (stroke thickness, skew, width, ...). 16 rows × 11 columns for the paper's capsules.
     *
     * @param capsule    a digit capsule, e.g. {@code Prediction.capsule()}
     * @param digitClass the class whose decoder slot the capsule takes, e.g. {@code Prediction.predictedClass()}
     */
    public static BufferedImage perturbationGrid(CapsNetPredictor predictor, INDArray capsule, int digitClass) {
        int dimensions = (int) capsule.length();
        INDArray tweaked = Nd4j.zeros(capsule.dataType(), (long) dimensions * PERTURBATIONS.length, dimensions);
        INDArray base = capsule.reshape(dimensions);
        for (int d = 0; d < dimensions; d++) {
            for (int k = 0; k < PERTURBATIONS.length; k++) {
                int row = d * PERTURBATIONS.length + k;
                tweaked.getRow(row).assign(base);
                tweaked.putScalar(row, d, base.getDouble(d) + PERTURBATIONS[k]);
            }
        }
        return new ImageGrid(PERTURBATIONS.length, SCALE, 1).render(predictor.reconstructFromCapsules(tweaked, digitClass));
    }
}
