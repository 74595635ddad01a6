"""train and compare refuse extreme CSV values before training, naming the file, the column and the reason."""

import pytest
from click.testing import CliRunner

from cli.main import cli


@pytest.mark.parametrize("command, rows, options, reason", [
    ("train", "1e300,1\n-1e300,2\n5,3\n", [], "too large for their mean and spread"),
    ("compare", "1e300,1\n-1e300,2\n5,3\n", [], "too large for their mean and spread"),
    ("train", "1e39,1\n-2,2\n5,3\n", ["--dtype", "float32"], "too large for float32"),  # compare is float64 only
    ("train", "1e-300,1\n2e-300,2\n3e-300,3\n", ["--dtype", "float32"], "too little for float32"),
])
def test_extreme_values_are_one_line_naming_file_column_and_reason(tmp_path, command, rows, options, reason):
    path = tmp_path / "data.csv"
    path.write_text("height,y\n" + rows)
    result = CliRunner().invoke(cli, [command, "--data", str(path), "--epochs", "5", "-q", *options])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {path}: column 'height'") and reason in lines[0]
    assert "RuntimeWarning" not in result.output
