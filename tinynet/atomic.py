"""atomic_write: replace a file whole or not at all.

Writing straight over a file leaves half a file if the process dies midway,
and the old content is already gone. Instead, write a temporary file in the
same folder, flush and fsync it to the disk, then rename it over the target
with ``os.replace``, which is atomic: the path always holds either the old
complete file or the new complete one.

A write killed midway (SIGKILL, power cut) can leave its temporary file
".<name>.<random>.tmp" beside the target. Nothing reads it and it is safe to
delete; it is not deleted automatically, because another process may be
writing the same path at that moment and own one.
"""

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from typing import BinaryIO


@contextlib.contextmanager
def atomic_write(path) -> Iterator[BinaryIO]:
    """Yield a binary file to write; when the block ends without error it replaces ``path``.

    The new file keeps the permissions of the one it replaces (or gets those
    a plain ``open`` would give). On any error, KeyboardInterrupt included,
    the temporary file is removed and ``path`` is left as it was.
    """
    path = os.path.realpath(path)  # through a symbolic link: replace the file it names, keep the link
    check_writable(path)
    folder, name = os.path.split(path)
    mode = _file_mode(path)
    try:
        fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    except OSError as error:  # name the file being written, not the temporary one
        raise OSError(error.errno, f"cannot write {path}: {error.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as file:
            yield file
            file.flush()  # Python's buffer -> the operating system
            os.fsync(file.fileno())  # the operating system's cache -> the disk
        os.chmod(temp, mode)  # mkstemp makes the file private (0600)
        os.replace(temp, path)  # atomic: readers see the old file or the new one, never a mix
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _sync_folder(folder)


def check_writable(path) -> None:
    """Raise OSError unless ``path`` could be written whole: a regular file (or none yet) in a writable folder.

    A device, a pipe or a folder at ``path`` is refused: renaming over it
    would replace it instead of writing to it.
    """
    path = os.path.realpath(path)
    if os.path.exists(path) and not os.path.isfile(path):
        raise OSError(f"cannot write {path}: it is not a regular file (a folder, device or pipe)")
    folder = os.path.dirname(path)
    if not os.path.isdir(folder):
        raise OSError(f"cannot write {path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OSError(f"cannot write {path}: the folder {folder} is not writable")


def _file_mode(path) -> int:
    """The permissions of the file being replaced, or those a plain open() would give a new one."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        umask = os.umask(0)  # the only way to read the umask is to set it, so put it straight back
        os.umask(umask)
        return 0o666 & ~umask


def _sync_folder(folder: str) -> None:
    """fsync the folder, so the rename itself survives a power cut (POSIX only)."""
    if os.name != "posix":
        return
    # some file systems cannot sync a folder; the file is complete either way
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
