package io.github.capsnet4j.layers.params;

import io.github.capsnet4j.layers.DigitCaps;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DL4J's parameter initializer for {@link DigitCaps} (as {@code ConvolutionParamInitializer} is for convolutions):
 * one parameter, the prediction weights {@value #WEIGHT_KEY} {@code [inputCapsules, inputDimension,
 * capsules·capsuleDimension]} (see {@code CapsulePredictions}), no bias, as in the paper. It is the layer's whole flat
 * parameter vector, in C order. Initialised by the layer's {@code weightInit} with fan-in {@code inputDimension} and
 * fan-out {@code capsuleDimension}.
 */
public final class DigitCapsParamInitializer implements ParamInitializer {

    /** The key of the weights W. */
    public static final String WEIGHT_KEY = "W";

    private static final DigitCapsParamInitializer INSTANCE = new DigitCapsParamInitializer();

    private DigitCapsParamInitializer() {
    }

    public static DigitCapsParamInitializer getInstance() {
        return INSTANCE;
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        long count = 1;
        for (long size : digitCaps(layer).weightShape()) {
            count *= size;
        }
        return count;
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return Collections.singletonList(WEIGHT_KEY);
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return Collections.singletonList(WEIGHT_KEY);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return Collections.emptyList();
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return WEIGHT_KEY.equals(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return false;
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        DigitCaps layer = digitCaps(conf.getLayer());
        Map<String, INDArray> params = view(layer, paramsView);
        conf.addVariable(WEIGHT_KEY);                                      // DL4J lists the parameters in the conf too
        if (initializeParams) {
            INDArray weights = params.get(WEIGHT_KEY);
            layer.getWeightInitFn().init(layer.getInputDimension(), layer.getCapsuleDimension(), weights.shape(), 'c', weights);
        }
        return params;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return view(digitCaps(conf.getLayer()), gradientView);
    }

    /** W as a view of the flat vector (of parameters or of gradients). */
    private static Map<String, INDArray> view(DigitCaps layer, INDArray flat) {
        Map<String, INDArray> views = new LinkedHashMap<>();
        views.put(WEIGHT_KEY, flat.reshape('c', layer.weightShape()));
        return views;
    }

    private static DigitCaps digitCaps(Layer layer) {
        return (DigitCaps) layer;
    }
}
