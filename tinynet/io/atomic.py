"""atomic_write: replace a file whole or not at all.

Writing straight over a file leaves half a file if the process dies midway,
and the old content is already gone. Instead, write a temporary file in the
same folder, flush and fsync it to the disk, then rename it over the target
with ``os.replace``, which is atomic: the path always holds either the old
complete file or the new complete one.

A write killed midway (SIGKILL, power cut) can leave its temporary file
".<name>.<random>.tmp" beside the target (<name> shortened if the whole would
pass the file system's limit on a name, usually 255 bytes). Nothing reads it
and it is safe to delete; it is not deleted automatically, because another
process may be writing the same path at that moment and own one.
"""

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from typing import BinaryIO

TEMP_SUFFIX = ".tmp"
TEMP_EXTRA = len(".") + len(".") + 8 + len(TEMP_SUFFIX)  # ".<name>." + tempfile's 8 random characters + ".tmp"


@contextlib.contextmanager
def atomic_write(path) -> Iterator[BinaryIO]:
    """Yield a binary file to write; when the block ends without error it replaces ``path``.

    The new file keeps the permissions of the one it replaces (or gets those
    a plain ``open`` would give). On any error, KeyboardInterrupt included,
    the temporary file is removed and ``path`` is left as it was; an OSError
    (a full disk, say) names ``path`` as given, never the temporary file.
    """
    given = os.fspath(path)
    check_writable(given)
    path = os.path.realpath(given)  # through a symbolic link: replace the file it names, keep the link
    folder, name = os.path.split(path)
    mode = _file_mode(path)
    try:
        fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{_shortened(name, folder)}.", suffix=TEMP_SUFFIX)
    except OSError as error:
        raise _naming(given, error) from None
    try:
        with os.fdopen(fd, "wb") as file:
            yield file
            file.flush()  # Python's buffer -> the operating system
            os.fsync(file.fileno())  # the operating system's cache -> the disk
        os.chmod(temp, mode)  # mkstemp makes the file private (0600)
        os.replace(temp, path)  # atomic: readers see the old file or the new one, never a mix
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(error, OSError):
            raise _naming(given, error) from error
        raise
    _sync_folder(folder)


def check_writable(path) -> None:
    """Raise OSError unless ``path`` could be written whole: a regular file (or none yet) in a writable folder.

    Refused, each with a message naming ``path`` and the reason: a device,
    a pipe or a folder at ``path`` (renaming over it would replace it instead
    of writing to it), a path ending in a separator (it names a folder), a
    loop of symbolic links, a missing or read-only folder, a name longer than
    the file system allows, and another user's file in a folder with the
    sticky bit (such as /tmp), which only its owner may replace.
    """
    given = os.fspath(path)
    if given.endswith(os.sep) or (os.altsep and given.endswith(os.altsep)):
        raise _error(errno.EISDIR, f"cannot write {given}: it ends with {given[-1]}, so it names a folder: "
                                    f"give a file name, such as {given}model.npz")
    try:
        os.stat(given)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise _error(errno.ELOOP, f"cannot write {given}: it is a loop of symbolic links, "
                                       "which name no file") from None
    path = os.path.realpath(given)
    if os.path.exists(path) and not os.path.isfile(path):
        raise OSError(f"cannot write {given}: it is not a regular file (a folder, device or pipe)")
    folder, name = os.path.split(path)
    if not os.path.isdir(folder):
        raise OSError(f"cannot write {given}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OSError(f"cannot write {given}: the folder {folder} is not writable")
    if len(os.fsencode(name)) > _name_max(folder):
        raise _error(errno.ENAMETOOLONG, f"cannot write {given}: its name is {len(os.fsencode(name))} bytes "
                                          f"long, more than the {_name_max(folder)} its file system allows")
    _check_sticky(given, path, folder)


PICTURE_KINDS = ("png", "pdf", "svg")  # what a picture option writes; matplotlib draws all three
FILM_KINDS = ("gif", "png")  # what --animate writes: the film, or a strip of its frames
PAGES = ("--html", "FILE.html")  # pages are written without matplotlib
KINDS = {"--plot": PICTURE_KINDS, "--plot-kinks": PICTURE_KINDS, "--animate": FILM_KINDS,
         **dict.fromkeys(PAGES, ("html", "htm"))}  # the file kinds each output option writes


class OutputPathError(ValueError):
    """An output that could not be written whole, or would destroy an input; ``option`` names the
    option (or argument) that gave it, so that a command can say which."""

    def __init__(self, message: str, option: str):
        super().__init__(message)
        self.option = option


def check_output_path(path: str | None, option: str) -> None:
    """Raise OutputPathError unless ``path``, given by ``option``, could be written whole, as a file
    of a kind that option writes (``KINDS``; ``check_writable`` for the rest). None passes."""
    if path is None:
        return
    kind = os.path.splitext(path)[1].lower().lstrip(".")
    kinds = KINDS.get(option)
    if kinds and kind not in kinds:
        raise OutputPathError(f"cannot draw a .{kind or '(no suffix)'} file: name the picture "
                              f"{', '.join('.' + k for k in kinds)}", option)
    try:
        check_writable(path)
    except OSError as error:
        raise OutputPathError(str(error), option) from None


def check_outputs(outputs: dict[str, str | None], inputs: dict[str, str | None]) -> None:
    """Raise OutputPathError, before any work, for an output that cannot be written whole or is the
    same file as another output or an input.

    ``outputs`` and ``inputs`` map an option (--save, --plot; --data, --resume)
    to its path, or None. --save may name the --resume file: going on
    training a model and saving it back is what --resume is for.
    """
    for option, path in outputs.items():
        check_output_path(path, option)
    for i, (option, path) in enumerate(outputs.items()):
        others = dict(list(outputs.items())[i + 1:])  # each pair of outputs once
        others |= {name: read for name, read in inputs.items() if (option, name) != ("--save", "--resume")}
        for other, other_path in others.items():
            if path and other_path and _same_file(path, other_path):
                raise OutputPathError(f"{path} is also the {other} file, which writing it would destroy: "
                                      "give another file name", option)


def _same_file(a: str, b: str) -> bool:
    """One file by inode (links, other spellings of the path), or one path-to-be when either is missing."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def _check_sticky(given: str, path: str, folder: str) -> None:
    """In a folder with the sticky bit, only the owner of a file (or of the folder, or root) may replace it."""
    if not hasattr(os, "geteuid") or not os.path.exists(path):
        return
    folder_stat, me = os.stat(folder), os.geteuid()
    owner = os.stat(path).st_uid
    if folder_stat.st_mode & stat.S_ISVTX and me not in (0, owner, folder_stat.st_uid):
        raise _error(errno.EPERM, f"cannot write {given}: another user owns that file, and the folder {folder} "
                                   "(sticky, like /tmp) lets only its owner replace it: choose another name")


def _naming(given: str, error: OSError) -> OSError:
    """The same error, said about the file the caller asked for."""
    if str(error).startswith(f"cannot write {given}"):
        return error
    return _error(error.errno, f"cannot write {given}: {error.strerror or error}")


def _error(code: int | None, message: str) -> OSError:
    """An OSError whose text is ``message`` alone (no "[Errno 28]" before it) and whose errno is ``code``."""
    error = OSError(message)
    error.errno = code
    return error


def _name_max(folder: str) -> int:
    """The longest file name, in bytes, that ``folder``'s file system takes (255 where it cannot tell)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        return os.pathconf(folder, "PC_NAME_MAX")
    return 255


def _shortened(name: str, folder: str) -> str:
    """``name`` cut so that the temporary name built from it stays within the file system's limit."""
    room = _name_max(folder) - TEMP_EXTRA
    encoded = os.fsencode(name)
    return name if len(encoded) <= room else os.fsdecode(encoded[:max(room, 1)])


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
