"""The lesson: what the engine shows about ReLU and linear regression.

collapse (an identity net is one affine map: linear regression), pieces and
handmade (a ReLU net is piecewise linear: breakpoints, pieces, |x| and the
sawtooth by hand), linear_regime (between kinks, or when every kink misses
the data, it is linear regression), compare_nets (the lesson in one call),
seeds (how often training ends there), datasets; in two dimensions:
datasets2d, metrics, regions and polygons (exact linear regions), classify;
watching it learn: hinges and recorder. Importable from ``tinynet`` itself.
"""
