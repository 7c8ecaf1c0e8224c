package io.github.capsnet4j.testing;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * One reference fixture (test resources {@code fixtures/*.json}, copied from {@code shared/fixtures}): float64
 * values and gradients from a paper-correct PyTorch implementation. See {@code fixtures/README.md}.
 */
public final class Fixture {

    private final JsonNode root;

    private Fixture(JsonNode root) {
        this.root = root;
    }

    public static Fixture load(String name) {
        try (InputStream in = Fixture.class.getResourceAsStream("/fixtures/" + name + ".json")) {
            if (in == null) {
                throw new IllegalStateException("fixture " + name + " not found in test resources");
            }
            return new Fixture(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The named tensor in the given data type, C order. */
    public INDArray array(String key, DataType type) {
        JsonNode tensor = root.get(key);
        JsonNode shapeNode = tensor.get("shape");
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong();
        }
        JsonNode data = tensor.get("data");
        double[] values = new double[data.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = data.get(i).asDouble();
        }
        return Nd4j.create(values, shape, 'c').castTo(type);
    }

    public int integer(String key) {
        return array(key, DataType.DOUBLE).getInt(0);
    }
}
