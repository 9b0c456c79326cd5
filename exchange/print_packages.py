"""Print packages for Direct Print: a zip of PDF or EPL letters, checked before it is sent.

The decision this module owns: what the portal lets through to the print service. A package is
accepted only when every entry is a letter (PDF or EPL, decided by content and name together),
every name stays inside the archive, nothing is nested, and sizes stay within ``Limits``, both as
the central directory declares them and as the bytes actually decompress (a header can lie).
Every refusal names its entry and its reason, and all of them are reported at once, so that staff
fix the package in one round.

Choices worth knowing:
- Folder entries are not letters and are skipped, but their names are checked like any other
  and they must hold no data.
- OS metadata (``__MACOSX/``, ``._*``, ``.DS_Store``, ``Thumbs.db``, ``desktop.ini``) is refused,
  not skipped: the package is sent byte for byte as uploaded, so whatever it holds is printed.
- A PDF starts with ``%PDF-`` at its first byte, is named ``*.pdf``, opens with pypdf, is not
  encrypted (the printer has no password) and has at least one page.
- EPL (the Finnish print-stream format of Posti's print services) has no magic number. An entry
  counts as EPL when its name ends in ``.epl`` and its content is text whose first line starts
  with ``EPL`` (the header record; a UTF-8 byte-order mark may precede it): no NUL and no control
  bytes other than tab, line feed, carriage return and form feed (page breaks). Every byte from
  0x20 up passes, so ISO-8859-1, Windows-1252 and UTF-8 all do. The header rule is the one
  assumption here not checked against Posti's specification; if real files are refused, widen
  ``EPL_HEADER`` (or ``_TEXT_BYTES``) rather than drop the check, which is what keeps plain
  text and binaries renamed ``.epl`` out.
- ``letters`` is one per PDF and one per EPL file: counting letters inside an EPL stream would
  need its record layout, which we do not verify.
- Sizes: the central directory's declarations are checked first, each local header must agree
  with them, and reading stops as soon as an entry yields more than it declared (zipfile then
  fails its CRC). So the limits hold for the bytes actually decompressed.
- When the count or the declared total is over a limit, no entry is read: the package is refused
  anyway, and reading it is what a bomb wants. Entries refused by their headers are not read.
- ``pack_files`` names each entry by the file's own name (folders dropped), sorts by name and
  fixes time stamps and modes, so the same files give the same bytes and the same SHA-1.
"""

from __future__ import annotations

import hashlib
import io
import re
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from pypdf import PdfReader

from maventa_portal.core.errors import PortalError

PDF = "PDFXML"
EPL = "EPL"
EPL_HEADER = b"EPL"

PACKAGE_REFUSED = "The print package was refused: {refusals}."
NOT_A_ZIP = "the file is not a zip archive"
DAMAGED_ZIP = "the zip archive is damaged and cannot be opened"
PACKAGE_TOO_LARGE = "the package is {size} bytes, over the limit of {limit}"
TOO_MANY_ENTRIES = "the package holds {count} files, over the limit of {limit}"
TOTAL_TOO_LARGE = "the files total {total} bytes uncompressed, over the limit of {limit}"
EMPTY = "the package holds no letters"
MIXED_TYPES = "the package mixes PDF and EPL letters; send each kind as its own package"
UNSAFE_NAME = "the name points outside the archive ({why})"
SYMLINK = "the entry is a symbolic link"
FOLDER_WITH_DATA = "a folder entry that holds data"
ENCRYPTED_ENTRY = "the entry is encrypted"
JUNK = "operating-system metadata, not a letter; remove it and pack again"
DUPLICATE = "the name appears more than once (letter case ignored)"
NO_NAME = "the file has no usable name"
ENTRY_TOO_LARGE = "the entry is {size} bytes uncompressed, over the limit of {limit}"
RATIO_TOO_HIGH = "the entry expands over {limit}-fold (a zip bomb?)"
HEADER_LIES = "the entry's data does not match its header (damaged or forged)"
UNREADABLE = "the entry cannot be decompressed ({detail})"
NESTED_ARCHIVE = "the entry is an archive ({kind}); archives inside the package are refused"
PROGRAM = "the entry is a program ({kind}), not a letter"
NOT_A_LETTER = "the entry is neither a PDF nor an EPL file"
PDF_MISNAMED = "the content is a PDF but the name does not end in .pdf"
EPL_MISNAMED = "the content is EPL but the name does not end in .epl"
NOT_PDF = "the name ends in .pdf but the content is not a PDF"
NOT_EPL = "the name ends in .epl but the content is not EPL ({why})"
PDF_BROKEN = "the PDF cannot be opened ({detail})"
PDF_ENCRYPTED = "the PDF is encrypted"
PDF_NO_PAGES = "the PDF has no pages"

_CHUNK = 64 * 1024
# signature, versions, flags, method, time, date, CRC, sizes, name and extra lengths
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
_JUNK_NAMES = {".ds_store", "thumbs.db", "desktop.ini"}
_DRIVE = re.compile(r"^[A-Za-z]:")
# Bytes an EPL text may hold besides 0x20-0xFF: tab, line feed, form feed, carriage return.
_TEXT_BYTES = bytes([9, 10, 12, 13, *range(0x20, 0x100)])
_ARCHIVES = (
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"PK\x07\x08", "zip"),
    (b"\x1f\x8b", "gzip"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"Rar!\x1a\x07", "rar"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
    (b"MSCF", "cab"),
    (b"LZIP", "lzip"),
)
_PROGRAMS = (
    (b"MZ", "Windows executable"),
    (b"\x7fELF", "ELF executable"),
    (b"\xfe\xed\xfa\xce", "Mach-O"),
    (b"\xfe\xed\xfa\xcf", "Mach-O"),
    (b"\xce\xfa\xed\xfe", "Mach-O"),
    (b"\xcf\xfa\xed\xfe", "Mach-O"),
    (b"\xca\xfe\xba\xbe", "Mach-O"),
    (b"#!", "script"),
)
# The fixed time stamp and mode make pack_files' bytes depend on the files alone, so the same
# letters give the same SHA-1 and the portal can tell a repeated send.
_PACKED_TIME = (1980, 1, 1, 0, 0, 0)
_PACKED_MODE = (stat.S_IFREG | 0o644) << 16


@dataclass(frozen=True)
class Limits:
    max_entries: int = 1000
    max_entry_bytes: int = 20 * 1024 * 1024
    max_total_bytes: int = 200 * 1024 * 1024  # uncompressed
    max_package_bytes: int = 100 * 1024 * 1024  # the zip as uploaded
    max_ratio: int = 100  # uncompressed / compressed, per entry


@dataclass(frozen=True)
class Refusal:
    entry: str  # "" for the package as a whole
    reason: str

    def __str__(self) -> str:
        return f"{self.entry}: {self.reason}" if self.entry else self.reason


@dataclass(frozen=True)
class Package:
    data: bytes
    sha1: str  # lower-case hex of ``data``: the send's ``hash`` and ``zipHash``
    size: int
    letters: int
    document_type: str  # PDF ("PDFXML") or EPL
    entries: tuple[str, ...]


class PackageRefused(PortalError):
    def __init__(self, refusals: list[Refusal]) -> None:
        self.refusals = list(refusals)
        listed = "; ".join(str(refusal) for refusal in self.refusals)
        super().__init__(PACKAGE_REFUSED.format(refusals=listed))


def check_zip(data: bytes, *, limits: Limits = Limits()) -> Package:
    """The package, if every entry passes; otherwise ``PackageRefused`` with every refusal."""
    if len(data) > limits.max_package_bytes:
        size_refusal = PACKAGE_TOO_LARGE.format(size=len(data), limit=limits.max_package_bytes)
        raise PackageRefused([Refusal("", size_refusal)])
    if not data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        raise PackageRefused([Refusal("", NOT_A_ZIP)])
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise PackageRefused([Refusal("", DAMAGED_ZIP)]) from exc
    with archive:
        refusals, kinds = _check_archive(archive, data, limits)
    if not refusals:
        if not kinds:
            refusals.append(Refusal("", EMPTY))
        elif len(set(kinds.values())) > 1:
            refusals.append(Refusal("", MIXED_TYPES))
    if refusals:
        raise PackageRefused(refusals)
    return Package(
        data=data,
        sha1=hashlib.sha1(data).hexdigest(),  # noqa: S324 - the print service's checksum
        size=len(data),
        letters=len(kinds),
        document_type=next(iter(kinds.values())),
        entries=tuple(kinds),
    )


def pack_files(files: list[tuple[str, bytes]], *, limits: Limits = Limits()) -> Package:
    """Checks each file, packs them into one zip (sorted by name), and checks the zip."""
    if len(files) > limits.max_entries:
        count = TOO_MANY_ENTRIES.format(count=len(files), limit=limits.max_entries)
        raise PackageRefused([Refusal("", count)])
    refusals: list[Refusal] = []
    if not files:
        refusals.append(Refusal("", EMPTY))
    total = sum(len(content) for _, content in files)
    if total > limits.max_total_bytes:
        too_large = TOTAL_TOO_LARGE.format(total=total, limit=limits.max_total_bytes)
        refusals.append(Refusal("", too_large))
    named: dict[str, bytes] = {}
    seen: set[str] = set()
    for original, content in files:
        name = _safe_name(original)
        reasons = _loose_file_problems(name, content, limits, seen=seen)
        refusals.extend(Refusal(name or original, reason) for reason in reasons)
        seen.add(name.casefold())
        named[name] = content
    if refusals:
        raise PackageRefused(refusals)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(named, key=lambda item: (item.casefold(), item)):
            info = zipfile.ZipInfo(name, date_time=_PACKED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = _PACKED_MODE
            archive.writestr(info, named[name])
    return check_zip(buffer.getvalue(), limits=limits)


def _loose_file_problems(name: str, content: bytes, limits: Limits, *, seen: set[str]) -> list[str]:
    if not name:
        return [NO_NAME]
    if name.casefold() in seen:
        return [DUPLICATE]
    if _is_junk(name):
        return [JUNK]
    if len(content) > limits.max_entry_bytes:
        return [ENTRY_TOO_LARGE.format(size=len(content), limit=limits.max_entry_bytes)]
    return _check_content(name, content)[1]


def _check_archive(
    archive: zipfile.ZipFile, data: bytes, limits: Limits
) -> tuple[list[Refusal], dict[str, str]]:
    """Refusals, and the accepted entries with their document type, in archive order."""
    infos = [info for info in archive.infolist() if not info.is_dir()]
    if len(infos) > limits.max_entries:
        count = TOO_MANY_ENTRIES.format(count=len(infos), limit=limits.max_entries)
        return [Refusal("", count)], {}
    refusals = _folder_refusals(archive)
    readable: list[zipfile.ZipInfo] = []
    seen: set[str] = set()
    for info in infos:
        reasons = _declared_problems(info, data, limits)
        if info.filename.casefold() in seen:
            reasons.append(DUPLICATE)
        seen.add(info.filename.casefold())
        # zipfile cuts a name at its NUL; staff see the whole name as stored.
        shown = info.orig_filename.replace("\x00", "\\x00")
        refusals.extend(Refusal(shown, reason) for reason in reasons)
        if not reasons:
            readable.append(info)
    declared = sum(info.file_size for info in infos)
    if declared > limits.max_total_bytes:
        total = TOTAL_TOO_LARGE.format(total=declared, limit=limits.max_total_bytes)
        return [*refusals, Refusal("", total)], {}
    kinds: dict[str, str] = {}
    for info in readable:
        content, reason = _read_capped(archive, info)
        kind, reasons = (
            (None, [reason]) if content is None else _check_content(info.filename, content)
        )
        refusals.extend(Refusal(info.filename, reason) for reason in reasons)
        if kind and not reasons:
            kinds[info.filename] = kind
    return refusals, kinds


def _folder_refusals(archive: zipfile.ZipFile) -> list[Refusal]:
    """Folders are not letters and are skipped, but an unpacking printer still creates them."""
    refusals = []
    for info in archive.infolist():
        if not info.is_dir():
            continue
        why = _unsafe_path(info.orig_filename)
        if why:
            refusals.append(Refusal(info.filename, UNSAFE_NAME.format(why=why)))
        elif info.file_size:
            refusals.append(Refusal(info.filename, FOLDER_WITH_DATA))
    return refusals


def _declared_problems(info: zipfile.ZipInfo, data: bytes, limits: Limits) -> list[str]:
    """What the headers alone show to be wrong with an entry."""
    reasons = []
    why = _unsafe_path(info.orig_filename)
    if why:
        reasons.append(UNSAFE_NAME.format(why=why))
    if stat.S_ISLNK(info.external_attr >> 16):
        reasons.append(SYMLINK)
    if info.flag_bits & 0x1:
        reasons.append(ENCRYPTED_ENTRY)
    if _is_junk(info.filename):
        reasons.append(JUNK)
    if info.file_size > limits.max_entry_bytes:
        reasons.append(ENTRY_TOO_LARGE.format(size=info.file_size, limit=limits.max_entry_bytes))
    elif info.file_size > max(info.compress_size, 1) * limits.max_ratio:
        reasons.append(RATIO_TOO_HIGH.format(limit=limits.max_ratio))
    if not reasons and not _local_header_agrees(info, data):
        reasons.append(HEADER_LIES)
    return reasons


def _local_header_agrees(info: zipfile.ZipInfo, data: bytes) -> bool:
    """Whether the entry's local header declares the sizes and CRC the central directory does.

    zipfile reads by the central directory while other tools (the print service's among them)
    may read by the local headers; an entry the two describe differently is refused.
    """
    header = data[info.header_offset : info.header_offset + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size:
        return False
    signature, _, flags, _, _, _, crc, compressed, size, _, _ = _LOCAL_HEADER.unpack(header)
    if signature != b"PK\x03\x04":
        return False
    if flags & 0x08 or 0xFFFFFFFF in (compressed, size):
        # Sizes in a data descriptor or a zip64 extra field: the reading cap still holds.
        return True
    return (crc, compressed, size) == (info.CRC, info.compress_size, info.file_size)


def _read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[bytes | None, str]:
    """The entry's bytes, read in chunks and stopped as soon as they pass the declared size.

    The declared size has passed every limit, so this cap enforces the limits on the bytes
    actually decompressed, whatever the headers say.
    """
    chunks: list[bytes] = []
    read = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                read += len(chunk)
                if read > info.file_size:
                    return None, HEADER_LIES
                chunks.append(chunk)
    except zipfile.BadZipFile as exc:
        # zipfile stops at the declared size and then checks the CRC: a lying header ends here.
        return None, HEADER_LIES if "CRC" in str(exc) else UNREADABLE.format(detail=exc)
    except (zlib.error, EOFError, NotImplementedError, RuntimeError, OSError) as exc:
        return None, UNREADABLE.format(detail=exc)
    return b"".join(chunks), ""


def _check_content(name: str, content: bytes) -> tuple[str | None, list[str]]:
    """The document type the content shows, and why the entry is refused (empty if it is not)."""
    lower = name.lower()
    for magic, kind in _ARCHIVES:
        if content.startswith(magic):
            return None, [NESTED_ARCHIVE.format(kind=kind)]
    if len(content) > 262 and content[257:262] == b"ustar":
        return None, [NESTED_ARCHIVE.format(kind="tar")]
    for magic, kind in _PROGRAMS:
        if content.startswith(magic):
            return None, [PROGRAM.format(kind=kind)]
    if content.startswith(b"%PDF-"):
        reasons = [] if lower.endswith(".pdf") else [PDF_MISNAMED]
        problem = _pdf_problem(content)
        return PDF, reasons + ([problem] if problem else [])
    epl_problem = _epl_problem(content)
    if epl_problem is None:
        return EPL, [] if lower.endswith(".epl") else [EPL_MISNAMED]
    if lower.endswith(".pdf"):
        return None, [NOT_PDF]
    if lower.endswith(".epl"):
        return None, [NOT_EPL.format(why=epl_problem)]
    return None, [NOT_A_LETTER]


def _pdf_problem(content: bytes) -> str | None:
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            return PDF_ENCRYPTED
        pages = len(reader.pages)
    # pypdf raises nearly any exception on malformed input; each means the PDF does not open.
    except Exception as exc:
        return PDF_BROKEN.format(detail=type(exc).__name__)
    return None if pages else PDF_NO_PAGES


def _epl_problem(content: bytes) -> str | None:
    """Why the content is not EPL text, or None when it is."""
    if b"\x00" in content:
        return "it holds NUL bytes"
    if content.translate(None, _TEXT_BYTES):
        return "it holds control bytes, so it is not text"
    if not content.removeprefix(b"\xef\xbb\xbf").startswith(EPL_HEADER):
        return "its first line is not an EPL header"
    return None


def _unsafe_path(name: str) -> str | None:
    if "\x00" in name:
        return "NUL in the name"
    if "\\" in name:
        return "backslash in the name"
    if name.startswith("/"):
        return "absolute path"
    if _DRIVE.match(name):
        return "drive letter"
    if ".." in name.split("/"):
        return "'..' in the path"
    return None


def _is_junk(name: str) -> bool:
    parts = name.split("/")
    return (
        parts[0] == "__MACOSX" or parts[-1].casefold() in _JUNK_NAMES or parts[-1].startswith("._")
    )


def _safe_name(name: str) -> str:
    """The file's own name: no folders, no control characters."""
    base = PurePosixPath(name.replace("\\", "/")).name
    cleaned = "".join(char for char in base if char.isprintable()).strip()
    return "" if cleaned in {".", ".."} else cleaned
