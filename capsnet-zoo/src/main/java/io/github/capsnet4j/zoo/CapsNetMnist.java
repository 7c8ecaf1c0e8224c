package io.github.capsnet4j.zoo;

import io.github.capsnet4j.ops.Precision;
import io.github.capsnet4j.layers.CapsuleLength;
import io.github.capsnet4j.layers.Convolution;
import io.github.capsnet4j.layers.DigitCaps;
import io.github.capsnet4j.layers.PrimaryCaps;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.zoo.ModelMetaData;
import org.deeplearning4j.zoo.PretrainedType;
import org.deeplearning4j.zoo.ZooModel;
import org.deeplearning4j.zoo.ZooType;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The paper's MNIST CapsNet (Sabour, Frosst and Hinton 2017, section 4 and Figures 1–2) as a DL4J
 * {@link ZooModel}:
 *
 * <pre>
 *   image 28×28×1 ─ Convolution 256@9×9 ReLU ─ PrimaryCaps 32×8D 9×9/2 ─ DigitCaps 10×16D (3 routing iterations)
 *        ─ CapsuleLength ─ "lengths" (LossMargin, eq. 4)
 *   DigitCaps + label ─ CapsuleMask ─ Dense 512 ReLU ─ Dense 1024 ReLU ─ "reconstruction" 784 sigmoid
 *        (sum of squared errors × 0.0005)
 * </pre>
 *
 * Vertex names, inputs and outputs follow {@link CapsNetGraph}, which also builds the training and inference
 * inputs. Parameters: 8,215,568 (6,804,224 without the decoder), as in the paper.
 *
 * <p>{@link #initPretrained(PretrainedType)} with {@link PretrainedType#MNIST} loads weights shipped in
 * this jar (no network access); see {@link PretrainedWeights}. {@link #initTransfer} starts a network for another
 * task (e.g. another number of classes) from a trained one's convolution and primary capsules.
 */
public class CapsNetMnist extends ZooModel<CapsNetMnist> {

    /** The layers with parameters before the decoder. */
    private static final List<String> ENCODER_LAYERS = List.of(CapsNetGraph.CONVOLUTION, CapsNetGraph.PRIMARY_CAPS,
            CapsNetGraph.DIGIT_CAPS);

    private final int numClasses;
    private int height;
    private int width;
    private int channels;
    private final int convolutionChannels;
    private final int primaryChannels;
    private final int primaryDimension;
    private final int digitDimension;
    private final int routingIterations;
    private final boolean decoder;
    private final long seed;
    private final IUpdater updater;
    private final DataType dataType;

    private CapsNetMnist(Builder builder) {
        this.numClasses = builder.numClasses;
        this.height = builder.height;
        this.width = builder.width;
        this.channels = builder.channels;
        this.convolutionChannels = builder.convolutionChannels;
        this.primaryChannels = builder.primaryChannels;
        this.primaryDimension = builder.primaryDimension;
        this.digitDimension = builder.digitDimension;
        this.routingIterations = builder.routingIterations;
        this.decoder = builder.decoder;
        this.seed = builder.seed;
        this.updater = builder.updater;
        this.dataType = builder.dataType;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Adam, learning rate 1e-3 decayed by 0.9 every epoch, as CapsNet-Keras (the paper: Adam with exponential decay). */
    public static IUpdater defaultUpdater() {
        return new Adam(new ExponentialSchedule(ScheduleType.EPOCH, 1e-3, 0.9));
    }

    /** The network configuration. */
    public ComputationGraphConfiguration conf() {
        GraphBuilder graph = CapsNetGraph.addInputs(new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(updater)
                .weightInit(WeightInit.XAVIER)
                .dataType(dataType)
                .graphBuilder(), height, width, channels, numClasses, decoder)
                .addLayer(CapsNetGraph.CONVOLUTION, Convolution.builder(9, 9).inputGradient(false).stride(1, 1).nOut(convolutionChannels)
                        .activation(Activation.RELU).build(), CapsNetGraph.IMAGE)   // reads the image: no input gradient
                .addLayer(CapsNetGraph.PRIMARY_CAPS, PrimaryCaps.builder().capsuleChannels(primaryChannels)
                        .capsuleDimension(primaryDimension).kernelSize(9, 9).stride(2, 2).build(), CapsNetGraph.CONVOLUTION)
                .addLayer(CapsNetGraph.DIGIT_CAPS, DigitCaps.builder().capsules(numClasses).capsuleDimension(digitDimension)
                        .routingIterations(routingIterations).build(), CapsNetGraph.PRIMARY_CAPS)
                .addLayer(CapsNetGraph.CAPSULE_LENGTH, CapsuleLength.builder().build(), CapsNetGraph.DIGIT_CAPS);
        CapsNetGraph.addLengthsOutput(graph, CapsNetGraph.CAPSULE_LENGTH, numClasses);
        if (decoder) {
            CapsNetGraph.addDecoder(graph, CapsNetGraph.DIGIT_CAPS, height * width * channels)
                    .setOutputs(CapsNetGraph.LENGTHS, CapsNetGraph.RECONSTRUCTION);
        } else {
            graph.setOutputs(CapsNetGraph.LENGTHS);
        }
        return graph.build();
    }

    @Override
    @SuppressWarnings("unchecked")
    public ComputationGraph init() {
        ComputationGraph network = new ComputationGraph(conf());
        network.init();
        return network;
    }

    /** True for MNIST when no setting of this model conflicts with the shipped weights (see {@link #initPretrained}). */
    @Override
    public boolean pretrainedAvailable(PretrainedType pretrainedType) {
        return PretrainedWeights.available(pretrainedType) && conflictsWithPretrainedWeights().isEmpty();
    }

    @Override
    public String pretrainedUrl(PretrainedType pretrainedType) {
        return PretrainedWeights.resourceUrl(pretrainedType);
    }

    @Override
    public long pretrainedChecksum(PretrainedType pretrainedType) {
        return 0L;   // verified with SHA-256 by PretrainedWeights instead of Adler-32
    }

    /**
     * The pretrained network shipped in this jar, SHA-256 verified; nothing is downloaded. The weights fix the
     * network's shape (28×28×1 images, 10 classes, 256 convolution channels, 32×8-D primary and 16-D digit
     * capsules); this builder's other settings are honoured: {@code routingIterations} (the weights were trained
     * with 3), {@code updater}, {@code seed}, {@code dataType} and {@code decoder(false)} (the encoder's weights only).
     *
     * @throws UnsupportedOperationException for other types than MNIST, or a shape setting that differs from the
     *                                       weights' (the message names each and the fix, e.g. {@link #initTransfer})
     * @throws IOException                   if the weights are missing or corrupt (the message says how to fix it)
     */
    @Override
    @SuppressWarnings("unchecked")
    public ComputationGraph initPretrained(PretrainedType pretrainedType) throws IOException {
        List<String> conflicts = conflictsWithPretrainedWeights();
        if (!conflicts.isEmpty()) {
            throw new UnsupportedOperationException("The pretrained MNIST weights fit only the paper's network shape (28x28x1 images,"
                    + " 10 classes, 256 convolution channels, 32x8-D primary and 16-D digit capsules), but this CapsNetMnist sets "
                    + String.join(", ", conflicts) + ". Fix: leave these at their defaults for the pretrained network; for another"
                    + " number of classes or image size, build that network and start it from the pretrained one with"
                    + " initTransfer(CapsNetMnist.builder().build().initPretrained(PretrainedType.MNIST), CapsNetTransfer.Mode.FINE_TUNING)"
                    + " (or FEATURE_EXTRACTION). Settings the weights do not fix (routingIterations, updater, seed, dataType,"
                    + " decoder(false)) are honoured.");
        }
        ComputationGraph trained = PretrainedWeights.load(pretrainedType);
        ComputationGraph network = new ComputationGraph(conf());
        if (decoder) {
            network.init(trained.params().castTo(dataType), false);   // the same parameter layout: the weights as they are
        } else {
            network.init();
            for (String layer : ENCODER_LAYERS) {
                CapsNetTransfer.copyParameters(trained, network, layer);
            }
        }
        return network;
    }

    /**
     * A new network of this configuration whose convolution ({@value CapsNetGraph#CONVOLUTION}) and primary capsules
     * ({@value CapsNetGraph#PRIMARY_CAPS}) start from {@code source}'s, e.g. the pretrained network's, for a task with
     * another number of classes; DigitCaps and the decoder start afresh. See {@link CapsNetTransfer}.
     *
     * @param source a network built by CapsNetMnist with the same image channels, convolution channels and primary capsules
     * @param mode   {@link CapsNetTransfer.Mode#FEATURE_EXTRACTION} freezes the copied layers, {@link CapsNetTransfer.Mode#FINE_TUNING} trains them on
     * @throws IllegalArgumentException if {@code source} lacks these layers or their shapes differ (the message names both shapes)
     */
    public ComputationGraph initTransfer(ComputationGraph source, CapsNetTransfer.Mode mode) {
        return CapsNetTransfer.transfer(conf(), source, mode);
    }

    /** This model's settings that differ from the shipped weights' shape, as builder calls; empty if none. */
    private List<String> conflictsWithPretrainedWeights() {
        List<String> conflicts = new ArrayList<>();
        if (numClasses != 10) {
            conflicts.add("numClasses(" + numClasses + ")");
        }
        if (height != 28 || width != 28 || channels != 1) {
            conflicts.add("inputShape(" + height + ", " + width + ", " + channels + ")");
        }
        if (convolutionChannels != 256) {
            conflicts.add("convolutionChannels(" + convolutionChannels + ")");
        }
        if (primaryChannels != 32 || primaryDimension != 8) {
            conflicts.add("primaryCapsules(" + primaryChannels + ", " + primaryDimension + ")");
        }
        if (digitDimension != 16) {
            conflicts.add("digitCapsuleDimension(" + digitDimension + ")");
        }
        return conflicts;
    }

    @Override
    @Deprecated
    public ModelMetaData metaData() {
        return new ModelMetaData(new int[][]{{channels, height, width}}, 1, ZooType.CNN);
    }

    @Override
    public Class<? extends Model> modelType() {
        return ComputationGraph.class;
    }

    /** Sets the image shape {@code {{channels, height, width}}}. */
    @Override
    public void setInputShape(int[][] inputShape) {
        this.channels = inputShape[0][0];
        this.height = inputShape[0][1];
        this.width = inputShape[0][2];
    }

    @Override
    public String modelName() {
        return "capsnet-mnist";
    }

    public int numClasses() {
        return numClasses;
    }

    public boolean hasDecoder() {
        return decoder;
    }

    public DataType dataType() {
        return dataType;
    }

    /** Builder; defaults are the paper's MNIST network. */
    public static class Builder {
        private int numClasses = 10;
        private int height = 28;
        private int width = 28;
        private int channels = 1;
        private int convolutionChannels = 256;
        private int primaryChannels = 32;
        private int primaryDimension = 8;
        private int digitDimension = 16;
        private int routingIterations = 3;
        private boolean decoder = true;
        private long seed = 1234;
        private IUpdater updater = defaultUpdater();
        private DataType dataType = DataType.FLOAT;

        public Builder numClasses(int numClasses) {
            this.numClasses = positive("numClasses", numClasses);
            return this;
        }

        /** Image size; the default 28×28×1 is MNIST's. */
        public Builder inputShape(int height, int width, int channels) {
            this.height = positive("height", height);
            this.width = positive("width", width);
            this.channels = positive("channels", channels);
            return this;
        }

        /** Channels of the first convolution (paper: 256). */
        public Builder convolutionChannels(int convolutionChannels) {
            this.convolutionChannels = positive("convolutionChannels", convolutionChannels);
            return this;
        }

        /** Primary capsule channels and their dimension (paper: 32 of 8-D). */
        public Builder primaryCapsules(int channels, int dimension) {
            this.primaryChannels = positive("primary capsule channels", channels);
            this.primaryDimension = positive("primary capsule dimension", dimension);
            return this;
        }

        /** Dimension of the digit capsules (paper: 16). */
        public Builder digitCapsuleDimension(int dimension) {
            this.digitDimension = positive("digit capsule dimension", dimension);
            return this;
        }

        public Builder routingIterations(int routingIterations) {
            this.routingIterations = positive("routingIterations", routingIterations);
            return this;
        }

        /** With (default) or without the reconstruction decoder. */
        public Builder decoder(boolean decoder) {
            this.decoder = decoder;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder updater(IUpdater updater) {
            this.updater = updater;
            return this;
        }

        /** Data type of the parameters and activations: FLOAT (DL4J's default) or DOUBLE (e.g. for gradient checks); see {@link Precision}. */
        public Builder dataType(DataType dataType) {
            if (dataType == null) {
                throw new IllegalArgumentException("dataType must be FLOAT or DOUBLE, got null");
            }
            Precision.requireSupported(dataType, "CapsNetMnist");
            this.dataType = dataType;
            return this;
        }

        public CapsNetMnist build() {
            return new CapsNetMnist(this);
        }

        private static int positive(String name, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, got " + value);
            }
            return value;
        }
    }
}
