"""atomic_write replaces a file whole or leaves it alone."""

import errno
import os
import stat

import pytest

from tinynet.io.atomic import atomic_write


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


# --- found by trying to break it ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["m" * 246 + ".npz", "é" * 123 + ".npz"], ids=["ascii", "two-byte"])  # 250 bytes
def test_a_long_legal_name_is_written_its_temporary_name_kept_within_the_limit(tmp_path, name):
    path = tmp_path / name
    with atomic_write(path) as file:
        file.write(b"new")
    assert path.read_bytes() == b"new"
    assert os.listdir(tmp_path) == [name]


def test_a_name_too_long_for_the_file_system_is_refused_before_writing(tmp_path):
    with pytest.raises(OSError, match="256 bytes long, more than the 255"), \
            atomic_write(tmp_path / ("m" * 252 + ".npz")) as file:
        file.write(b"x")
    assert os.listdir(tmp_path) == []


def test_a_path_ending_in_a_separator_names_a_folder_and_is_refused(tmp_path):
    with pytest.raises(OSError, match="names a folder"), atomic_write(f"{tmp_path}/newdir/") as file:
        file.write(b"x")
    assert os.listdir(tmp_path) == []


def test_a_loop_of_symbolic_links_is_refused_and_kept(tmp_path):
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    with pytest.raises(OSError, match="loop of symbolic links"), atomic_write(tmp_path / "loop") as file:
        file.write(b"x")
    assert (tmp_path / "loop").is_symlink()


def test_another_users_file_in_a_sticky_folder_is_refused_before_writing(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)  # world-writable and sticky, as /tmp is
    (shared / "model.npz").write_bytes(b"theirs")
    monkeypatch.setattr(os, "geteuid", lambda: os.stat(shared).st_uid + 4242)  # someone who owns neither
    with pytest.raises(OSError, match="another user owns that file"), atomic_write(shared / "model.npz") as file:
        file.write(b"x")
    assert os.listdir(shared) == ["model.npz"]


def test_a_full_disk_names_the_file_not_the_temporary_one(tmp_path, monkeypatch):
    path = tmp_path / "model.npz"
    path.write_bytes(b"old")

    def full_disk(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError, match=f"^cannot write {path}: No space left on device$") as caught, \
            atomic_write(path) as file:
        file.write(b"new")
    assert caught.value.errno == errno.ENOSPC
    assert path.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["model.npz"]


def test_check_outputs_names_the_option_of_an_output_that_would_destroy_an_input(tmp_path):
    from tinynet.io.atomic import OutputPathError, check_output_path, check_outputs

    data = tmp_path / "data.csv"
    data.write_text("x,y\n1,2\n")
    with pytest.raises(OutputPathError, match="is also the --data file") as caught:
        check_outputs({"--save": str(data), "--plot": None}, {"--data": str(data)})
    assert caught.value.option == "--save" and isinstance(caught.value, ValueError)
    with pytest.raises(OutputPathError, match="is also the --animate file") as caught:
        check_outputs({"--save": str(tmp_path / "m.npz"), "--plot": str(tmp_path / "a.png"),
                       "--animate": str(tmp_path / "a.png")}, {})
    assert caught.value.option == "--plot"
    check_outputs({"--save": str(tmp_path / "m.npz")}, {"--resume": str(tmp_path / "m.npz")})  # saved back
    with pytest.raises(OutputPathError, match=r"cannot draw a \.txt file: name the picture \.png, \.pdf, \.svg"):
        check_output_path(str(tmp_path / "a.txt"), "--plot")
    with pytest.raises(OutputPathError, match="does not exist") as caught:
        check_output_path(str(tmp_path / "no" / "m.npz"), "--save")
    assert caught.value.option == "--save"
