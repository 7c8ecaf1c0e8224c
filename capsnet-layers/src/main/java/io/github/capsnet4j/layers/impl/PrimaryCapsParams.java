package io.github.capsnet4j.layers.impl;

import io.github.capsnet4j.layers.PrimaryCaps;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameters of {@link PrimaryCaps}: {@code W [kH, kW, in, out]} (YXIO, C order) followed by
 * {@code b [out]} in the layer's flat parameter vector. (The layout of the SameDiff version of the layer,
 * so that the pretrained weights keep their meaning.)
 */
public final class PrimaryCapsParams implements ParamInitializer {

    public static final PrimaryCapsParams INSTANCE = new PrimaryCapsParams();

    private PrimaryCapsParams() {
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        PrimaryCaps primary = (PrimaryCaps) layer;
        return weightCount(primary) + primary.convolutionChannels();
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return List.of(PrimaryCaps.WEIGHT_KEY, PrimaryCaps.BIAS_KEY);
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return List.of(PrimaryCaps.WEIGHT_KEY);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return List.of(PrimaryCaps.BIAS_KEY);
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return PrimaryCaps.WEIGHT_KEY.equals(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return PrimaryCaps.BIAS_KEY.equals(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        PrimaryCaps primary = (PrimaryCaps) conf.getLayer();
        Map<String, INDArray> params = views(primary, paramsView);
        params.keySet().forEach(conf::addVariable);                          // DL4J lists the parameters in the conf too
        if (initializeParams) {
            int[] kernel = primary.getKernelSize();
            double fanIn = primary.getInputChannels() * kernel[0] * kernel[1];
            double fanOut = primary.convolutionChannels() * kernel[0] * kernel[1];
            IWeightInit weightInit = primary.getWeightInitFn() != null ? primary.getWeightInitFn() : WeightInit.XAVIER.getWeightInitFunction();
            INDArray weights = params.get(PrimaryCaps.WEIGHT_KEY);
            weightInit.init(fanIn, fanOut, weights.shape(), 'c', weights);
            params.get(PrimaryCaps.BIAS_KEY).assign(primary.getBiasInit());
        }
        return params;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views((PrimaryCaps) conf.getLayer(), gradientView);
    }

    /** W and b as views of the flat vector (parameters or gradients). */
    private static Map<String, INDArray> views(PrimaryCaps primary, INDArray flat) {
        int[] kernel = primary.getKernelSize();
        long weightCount = weightCount(primary);
        INDArray vector = flat.reshape(flat.length());                       // rank 1, still a view
        Map<String, INDArray> views = new LinkedHashMap<>();
        views.put(PrimaryCaps.WEIGHT_KEY, vector.get(NDArrayIndex.interval(0, weightCount))
                .reshape('c', kernel[0], kernel[1], primary.getInputChannels(), primary.convolutionChannels()));
        views.put(PrimaryCaps.BIAS_KEY, vector.get(NDArrayIndex.interval(weightCount, weightCount + primary.convolutionChannels())));
        return views;
    }

    private static long weightCount(PrimaryCaps primary) {
        int[] kernel = primary.getKernelSize();
        return (long) kernel[0] * kernel[1] * primary.getInputChannels() * primary.convolutionChannels();
    }
}
