"""atomic_write replaces a file whole or leaves it alone."""

import os
import stat

import pytest

from tinynet.atomic import atomic_write


def test_replaces_the_file_and_keeps_its_permissions(tmp_path):
    path = tmp_path / "picture.png"
    path.write_bytes(b"old")
    os.chmod(path, 0o640)
    with atomic_write(path) as file:
        file.write(b"new")
    assert path.read_bytes() == b"new"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert os.listdir(tmp_path) == ["picture.png"]


def test_a_new_file_gets_the_permissions_open_would_give(tmp_path):
    umask = os.umask(0o022)
    try:
        with atomic_write(tmp_path / "new.bin") as file:
            file.write(b"x")
    finally:
        os.umask(umask)
    assert stat.S_IMODE(os.stat(tmp_path / "new.bin").st_mode) == 0o644


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_an_error_midway_leaves_the_old_file_and_no_temporary_one(tmp_path, error):
    path = tmp_path / "model.npz"
    path.write_bytes(b"old")
    with pytest.raises(error), atomic_write(path) as file:
        file.write(b"half of the new")
        raise error
    assert path.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["model.npz"]


def test_a_pipe_or_folder_is_refused_not_replaced(tmp_path):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)  # stands in for a device: never test on the machine's own /dev
    for target in (pipe, tmp_path):
        with pytest.raises(OSError, match="not a regular file"), atomic_write(target) as file:
            file.write(b"x")
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)


def test_a_symbolic_link_is_kept_and_the_file_it_names_replaced(tmp_path):
    (tmp_path / "real").write_bytes(b"old")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    with atomic_write(tmp_path / "link") as file:
        file.write(b"new")
    assert (tmp_path / "link").is_symlink() and (tmp_path / "real").read_bytes() == b"new"


def test_an_unwritable_place_is_named_as_the_user_gave_it(tmp_path):
    with pytest.raises(OSError, match=f"cannot write {tmp_path}/no/such/folder.npz"), \
            atomic_write(tmp_path / "no" / "such" / "folder.npz") as file:
        file.write(b"x")
