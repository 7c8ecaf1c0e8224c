package io.github.capsnet4j.layers;

import io.github.capsnet4j.layers.impl.CapsuleLayerParams;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;
import java.util.Map;

/**
 * Common base of this library's layers with parameters ({@link PrimaryCaps}, {@link DigitCaps}): plain DL4J
 * layers (not SameDiff ones) whose computation, forward and backward, is written out on arrays, so that each
 * runs its forward pass once per training step. A subclass names its parameters and their shapes, initialises
 * them and creates its computation; DL4J's updaters, regularisation, serialisation and workspaces work as for
 * its own layers.
 */
public abstract class BaseCapsuleLayer extends BaseLayer {

    protected BaseCapsuleLayer() {
    }

    protected BaseCapsuleLayer(BaseLayer.Builder<?> builder) {
        super(builder);
    }

    /** Parameter names and shapes, in the order they lie in the layer's flat parameter vector. */
    public abstract Map<String, long[]> parameterShapes();

    /** Whether {@code key} names a bias (for DL4J's bias updater and regularisation). */
    public abstract boolean isBiasParameter(String key);

    /** Initialises freshly created parameters (views of the flat vector, by name). */
    public abstract void initializeParameters(Map<String, INDArray> params);

    /** Creates the layer's computation. */
    protected abstract org.deeplearning4j.nn.api.Layer createLayer(NeuralNetConfiguration conf, DataType dataType);

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        return LayerWiring.wire(createLayer(conf, networkDataType), conf, listeners, layerIndex, layerParamsView, initializeParams);
    }

    @Override
    public ParamInitializer initializer() {
        return CapsuleLayerParams.INSTANCE;
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;                                                        // inputs are taken as they are, and checked
    }

    @Override
    public boolean isPretrainParam(String paramName) {
        return false;
    }
}
