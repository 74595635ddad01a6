"""What tinynet train --resume checks: the saved model takes the data's columns and gives its targets."""

import click

import tinynet


def columns_for(model, X, names, path):
    """X's columns in the order the resumed model was trained on, found by name when both have names."""
    if tinynet.feature_names(model) is None or names is None:
        return X
    if sorted(names) != sorted(tinynet.feature_names(model)):
        raise click.ClickException(f"the model in {path} was trained on columns {', '.join(tinynet.feature_names(model))}, "
                                   f"but this data has {', '.join(names)}")
    return X[:, [names.index(name) for name in tinynet.feature_names(model)]]


def check_fits(model, X, y, path) -> None:
    """A resumed model must take as many inputs, and give as many outputs, as the data has."""
    features = tinynet.input_features(model)
    outputs = tinynet.output_features(model)
    if features is None or outputs is None:
        raise click.ClickException(f"the model in {path} has no Linear layer, so there is nothing to train")
    if (features, outputs) != (X.shape[1], y.shape[1]):
        raise click.ClickException(
            f"the model in {path} takes {features} input(s) and gives {outputs} output(s), but the data has "
            f"{X.shape[1]} input column(s) and {y.shape[1]} target(s): resume with the data it was trained on"
        )
