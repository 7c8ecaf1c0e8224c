package io.github.capsnet4j.ops;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;

/** {@code detach(x)}: the value of x, treated as a constant by backpropagation (SameDiff has no shortcut for it). */
public final class Detach {

    private Detach() {
    }

    public static SDVariable detach(SameDiff sd, SDVariable x) {
        return new StopGradient(sd, x).outputVariable();
    }
}
