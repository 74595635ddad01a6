"""The lesson: what the engine shows about ReLU and linear regression.

backprop (the worked example: every array of one forward and backward pass),
collapse (an identity net is one affine map: linear regression), pieces and
handmade (a ReLU net is piecewise linear: breakpoints, pieces, |x| and the
sawtooth by hand), linear_regime (between kinks, or when every kink misses
the data, it is linear regression), report (describe_fit: what a trained net
is on its data, for every command), inspect (what a saved model is and
computes, as ``tinynet inspect`` shows it), compare_nets (the lesson in one call),
seeds (how often training ends there), datasets; in two dimensions:
datasets2d, metrics, regions and polygons (exact linear regions), classify
(class labels and the net they call for); watching it learn: hinges and
recorder. Importable from ``tinynet`` itself (backprop from here).
"""
