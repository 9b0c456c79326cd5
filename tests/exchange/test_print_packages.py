"""Print packages: every refusal with a crafted archive, and the packages that pass."""

from __future__ import annotations

import gzip
import hashlib
import io
import stat
import struct
import tarfile
import zipfile

import pytest
from pypdf import PdfWriter

from exchange.print_packages import (
    DAMAGED_ZIP,
    DUPLICATE,
    EMPTY,
    ENCRYPTED_ENTRY,
    ENTRY_TOO_LARGE,
    EPL,
    EPL_MISNAMED,
    FOLDER_WITH_DATA,
    HEADER_LIES,
    JUNK,
    MIXED_TYPES,
    NESTED_ARCHIVE,
    NO_NAME,
    NOT_A_LETTER,
    NOT_A_ZIP,
    NOT_EPL,
    NOT_PDF,
    PACKAGE_TOO_LARGE,
    PDF,
    PDF_ENCRYPTED,
    PDF_MISNAMED,
    PDF_NO_PAGES,
    PROGRAM,
    RATIO_TOO_HIGH,
    SYMLINK,
    TOO_MANY_ENTRIES,
    TOTAL_TOO_LARGE,
    UNSAFE_NAME,
    Limits,
    PackageRefused,
    Refusal,
    check_zip,
    pack_files,
)
from maventa_portal.core.errors import PortalError, staff_message_of

EPL_LETTER = "EPL1 0001 MAVENTA PORTAL TEST\n1Matti Meikäläinen\n Esimerkkikatu 1\n\f".encode(
    "iso-8859-1"
)


def make_pdf(*, pages: int = 1, encrypted: bool = False) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if encrypted:
        writer.encrypt("s3cret")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF_LETTER = make_pdf()


def make_zip(entries: list[tuple[str | zipfile.ZipInfo, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries:
            archive.writestr(name, content)
    return buffer.getvalue()


def refused(data: bytes, limits: Limits | None = None) -> PackageRefused:
    with pytest.raises(PackageRefused) as caught:
        check_zip(data, limits=limits or Limits())
    return caught.value


def assert_refuses(exc: PackageRefused, entry: str, reason: str) -> None:
    assert Refusal(entry, reason) in exc.refusals
    assert (f"{entry}: {reason}" if entry else reason) in exc.staff_message


def patch_sizes(data: bytes, *, size: int, central: bool = True, local: bool = False) -> bytes:
    """The archive with its first entry's uncompressed size rewritten in the central directory
    and/or the local header, the compressed bytes themselves unchanged."""
    patched = bytearray(data)
    if central:
        struct.pack_into("<L", patched, data.index(b"PK\x01\x02") + 24, size)
    if local:
        struct.pack_into("<L", patched, 22, size)
    return bytes(patched)


class CountingOpen:
    """Counts the entries opened and the bytes read from them."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.opened = 0
        self.bytes_read = 0
        original_open = zipfile.ZipFile.open
        counter = self

        def open_entry(archive, *args, **kwargs):
            counter.opened += 1
            stream = original_open(archive, *args, **kwargs)
            original_read = stream.read

            def read(n=-1):
                chunk = original_read(n)
                counter.bytes_read += len(chunk)
                return chunk

            stream.read = read
            return stream

        monkeypatch.setattr(zipfile.ZipFile, "open", open_entry)


# --- the package as a whole ----------------------------------------------------------------


def test_refuses_a_file_that_is_not_a_zip():
    exc = refused(b"%PDF-1.7 this is a letter, not a package")
    assert exc.refusals == [Refusal("", NOT_A_ZIP)]
    assert NOT_A_ZIP in exc.staff_message


def test_refuses_a_damaged_zip():
    data = make_zip([("a.pdf", PDF_LETTER)])
    truncated = data[: data.index(b"PK\x01\x02")]
    assert refused(truncated).refusals == [Refusal("", DAMAGED_ZIP)]


def test_refuses_a_package_over_the_size_limit():
    data = make_zip([("a.pdf", PDF_LETTER)])
    exc = refused(data, Limits(max_package_bytes=len(data) - 1))
    assert_refuses(exc, "", PACKAGE_TOO_LARGE.format(size=len(data), limit=len(data) - 1))


def test_refuses_an_empty_zip():
    assert refused(make_zip([])).refusals == [Refusal("", EMPTY)]


def test_refuses_a_zip_of_folders_only():
    assert refused(make_zip([("letters/", b"")])).refusals == [Refusal("", EMPTY)]


def test_refuses_a_folder_outside_the_archive_or_holding_data():
    data = make_zip([("../letters/", b""), ("full/", b"hidden"), ("a.pdf", PDF_LETTER)])
    exc = refused(data)
    assert exc.refusals == [
        Refusal("../letters/", UNSAFE_NAME.format(why="'..' in the path")),
        Refusal("full/", FOLDER_WITH_DATA),
    ]


def test_refuses_mixed_pdf_and_epl():
    exc = refused(make_zip([("a.pdf", PDF_LETTER), ("b.epl", EPL_LETTER)]))
    assert exc.refusals == [Refusal("", MIXED_TYPES)]


def test_refuses_too_many_entries_without_reading_any(monkeypatch):
    data = make_zip([(f"{number}.epl", EPL_LETTER) for number in range(4)])
    counting = CountingOpen(monkeypatch)
    exc = refused(data, Limits(max_entries=3))
    assert_refuses(exc, "", TOO_MANY_ENTRIES.format(count=4, limit=3))
    assert counting.opened == 0


def test_refuses_a_declared_total_over_the_limit_without_reading_any(monkeypatch):
    data = make_zip([("a.epl", EPL_LETTER), ("b.epl", EPL_LETTER)])
    limit = 2 * len(EPL_LETTER) - 1
    counting = CountingOpen(monkeypatch)
    exc = refused(data, Limits(max_total_bytes=limit))
    assert_refuses(exc, "", TOTAL_TOO_LARGE.format(total=2 * len(EPL_LETTER), limit=limit))
    assert counting.opened == 0


def test_lists_every_refusal_not_only_the_first():
    data = make_zip(
        [
            ("../up.pdf", PDF_LETTER),
            ("program.pdf", b"MZ\x90\x00\x03" + bytes(60)),
            ("fine.pdf", PDF_LETTER),
            ("broken.pdf", b"%PDF-1.4\nnot really\n"),
        ]
    )
    exc = refused(data)
    assert [refusal.entry for refusal in exc.refusals] == ["../up.pdf", "program.pdf", "broken.pdf"]
    for refusal in exc.refusals:
        assert f"{refusal.entry}: {refusal.reason}" in exc.staff_message
    assert exc.staff_message.startswith("The print package was refused: ../up.pdf: ")


# --- names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("../x.pdf", "'..' in the path"),
        ("letters/../../x.pdf", "'..' in the path"),
        ("/x.pdf", "absolute path"),
        ("letters\\x.pdf", "backslash in the name"),
        ("C:x.pdf", "drive letter"),
        ("c:/x.pdf", "drive letter"),
    ],
)
def test_refuses_a_name_outside_the_archive(name, why):
    exc = refused(make_zip([(name, PDF_LETTER), ("fine.pdf", PDF_LETTER)]))
    assert exc.refusals == [Refusal(name, UNSAFE_NAME.format(why=why))]


def test_refuses_a_nul_in_a_name():
    data = make_zip([("evil.pdfXjpg", PDF_LETTER)]).replace(b"evil.pdfXjpg", b"evil.pdf\x00jpg")
    exc = refused(data)
    assert_refuses(exc, "evil.pdf\\x00jpg", UNSAFE_NAME.format(why="NUL in the name"))


def test_refuses_a_symlink_entry():
    link = zipfile.ZipInfo("letter.pdf")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    exc = refused(make_zip([(link, b"/etc/passwd")]))
    assert_refuses(exc, "letter.pdf", SYMLINK)


def test_refuses_a_symlink_whatever_system_the_archive_claims():
    link = zipfile.ZipInfo("letter.pdf")
    link.create_system = 0
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    assert refused(make_zip([(link, b"../../etc")])).refusals == [Refusal("letter.pdf", SYMLINK)]


def test_refuses_an_encrypted_entry():
    data = bytearray(make_zip([("secret.pdf", PDF_LETTER)]))
    central = data.index(b"PK\x01\x02")
    data[central + 8] |= 0x1
    data[6] |= 0x1
    assert_refuses(refused(bytes(data)), "secret.pdf", ENCRYPTED_ENTRY)


def test_refuses_duplicate_names():
    with pytest.warns(UserWarning, match="Duplicate name"):
        data = make_zip([("a.pdf", PDF_LETTER), ("a.pdf", PDF_LETTER)])
    assert refused(data).refusals == [Refusal("a.pdf", DUPLICATE)]


def test_refuses_names_that_differ_only_in_case():
    data = make_zip([("a.pdf", PDF_LETTER), ("A.PDF", PDF_LETTER)])
    assert refused(data).refusals == [Refusal("A.PDF", DUPLICATE)]


@pytest.mark.parametrize("name", ["__MACOSX/._a.pdf", ".DS_Store", "letters/Thumbs.db"])
def test_refuses_os_metadata(name):
    exc = refused(make_zip([("a.pdf", PDF_LETTER), (name, b"\x00\x05\x16\x07")]))
    assert exc.refusals == [Refusal(name, JUNK)]


# --- content ---------------------------------------------------------------------------------


def _tar() -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        info = tarfile.TarInfo("a.pdf")
        info.size = len(PDF_LETTER)
        archive.addfile(info, io.BytesIO(PDF_LETTER))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("inner.zip", make_zip([("a.pdf", PDF_LETTER)]), "zip"),
        ("letter.pdf", make_zip([("a.pdf", PDF_LETTER)]), "zip"),
        ("letters.gz", gzip.compress(PDF_LETTER), "gzip"),
        ("letters.7z", b"7z\xbc\xaf\x27\x1c\x00\x04" + bytes(24), "7z"),
        ("letters.rar", b"Rar!\x1a\x07\x01\x00" + bytes(24), "rar"),
        ("letters.tar", _tar(), "tar"),
    ],
)
def test_refuses_a_nested_archive(name, content, kind):
    exc = refused(make_zip([("a.pdf", PDF_LETTER), (name, content)]))
    assert exc.refusals == [Refusal(name, NESTED_ARCHIVE.format(kind=kind))]


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00" + bytes(56), "Windows executable"),
        (b"\x7fELF\x02\x01\x01" + bytes(57), "ELF executable"),
        (b"#!/bin/sh\nrm -rf ~\n", "script"),
    ],
)
def test_refuses_a_program_renamed_pdf(content, kind):
    exc = refused(make_zip([("invoice.pdf", content)]))
    assert exc.refusals == [Refusal("invoice.pdf", PROGRAM.format(kind=kind))]


def test_refuses_epl_disguised_as_pdf():
    exc = refused(make_zip([("letter.pdf", EPL_LETTER)]))
    assert exc.refusals == [Refusal("letter.pdf", EPL_MISNAMED)]


def test_refuses_a_pdf_named_txt():
    exc = refused(make_zip([("letter.txt", PDF_LETTER)]))
    assert exc.refusals == [Refusal("letter.txt", PDF_MISNAMED)]


def test_refuses_a_pdf_name_with_other_content():
    exc = refused(make_zip([("letter.pdf", b"Dear customer,\n")]))
    assert exc.refusals == [Refusal("letter.pdf", NOT_PDF)]


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"Dear customer,\n", "its first line is not an EPL header"),
        (b"EPL1\x00\x00\x00", "it holds NUL bytes"),
        (b"EPL1 \x1b[1mbold\n", "it holds control bytes, so it is not text"),
    ],
)
def test_refuses_an_epl_name_with_other_content(content, why):
    exc = refused(make_zip([("letter.epl", content)]))
    assert exc.refusals == [Refusal("letter.epl", NOT_EPL.format(why=why))]


def test_refuses_an_entry_neither_pdf_nor_epl():
    exc = refused(make_zip([("a.pdf", PDF_LETTER), ("notes.txt", b"hello\n")]))
    assert exc.refusals == [Refusal("notes.txt", NOT_A_LETTER)]


def test_refuses_a_broken_pdf():
    exc = refused(make_zip([("broken.pdf", b"%PDF-1.7\n1 0 obj <<\n")]))
    [refusal] = exc.refusals
    assert refusal.entry == "broken.pdf"
    assert refusal.reason.startswith("the PDF cannot be opened (")
    assert f"broken.pdf: {refusal.reason}" in exc.staff_message


def test_refuses_an_encrypted_pdf():
    exc = refused(make_zip([("secret.pdf", make_pdf(encrypted=True))]))
    assert_refuses(exc, "secret.pdf", PDF_ENCRYPTED)


def test_refuses_a_pdf_without_pages():
    exc = refused(make_zip([("blank.pdf", make_pdf(pages=0))]))
    assert_refuses(exc, "blank.pdf", PDF_NO_PAGES)


# --- sizes -----------------------------------------------------------------------------------


def test_refuses_an_entry_over_the_size_limit():
    big = EPL_LETTER + b"x" * 2000
    exc = refused(make_zip([("big.epl", big)]), Limits(max_entry_bytes=1000))
    assert_refuses(exc, "big.epl", ENTRY_TOO_LARGE.format(size=len(big), limit=1000))


def test_refuses_a_zip_bomb_by_its_ratio_without_reading_it(monkeypatch):
    bomb = EPL_LETTER + b" " * 200_000
    data = make_zip([("bomb.epl", bomb), ("fine.epl", EPL_LETTER)])
    counting = CountingOpen(monkeypatch)
    exc = refused(data)
    assert exc.refusals == [Refusal("bomb.epl", RATIO_TOO_HIGH.format(limit=100))]
    assert counting.opened == 1


def test_refuses_a_central_directory_that_lies_about_the_size():
    lying = patch_sizes(make_zip([("bomb.epl", EPL_LETTER + b" " * 50_000)]), size=100)
    exc = refused(lying, Limits(max_entry_bytes=1000))
    assert exc.refusals == [Refusal("bomb.epl", HEADER_LIES)]


def test_refuses_a_local_header_that_disagrees_with_the_central_directory():
    # zipfile reads by the central directory and would accept this; another reader would not.
    data = make_zip([("a.epl", EPL_LETTER)])
    lying = patch_sizes(data, size=len(EPL_LETTER) * 100, central=False, local=True)
    exc = refused(lying)
    assert exc.refusals == [Refusal("a.epl", HEADER_LIES)]


def test_stops_reading_at_the_declared_size_when_both_headers_lie(monkeypatch):
    lying = patch_sizes(make_zip([("bomb.epl", EPL_LETTER + b" " * 50_000)]), size=100, local=True)
    counting = CountingOpen(monkeypatch)
    exc = refused(lying, Limits(max_entry_bytes=1000))
    assert exc.refusals == [Refusal("bomb.epl", HEADER_LIES)]
    assert counting.opened == 1
    assert counting.bytes_read <= 100


def test_refuses_an_entry_whose_deflate_data_is_damaged():
    data = bytearray(make_zip([("a.epl", EPL_LETTER)]))
    data[30 + len("a.epl")] ^= 0xFF
    exc = refused(bytes(data))
    [refusal] = exc.refusals
    assert refusal.entry == "a.epl"
    assert refusal.reason.startswith("the entry cannot be decompressed (Error -3")


def test_refuses_a_total_over_the_limit():
    first, second = EPL_LETTER + b"a" * 800, EPL_LETTER + b"b" * 800
    limits = Limits(max_entry_bytes=1000, max_total_bytes=1500)
    exc = refused(make_zip([("a.epl", first), ("b.epl", second)]), limits)
    total = len(first) + len(second)
    assert exc.refusals == [Refusal("", TOTAL_TOO_LARGE.format(total=total, limit=1500))]


# --- accepted --------------------------------------------------------------------------------


def test_accepts_a_zip_of_pdfs():
    data = make_zip(
        [("letters/", b""), ("letters/a.pdf", PDF_LETTER), ("b.pdf", make_pdf(pages=3))]
    )
    package = check_zip(data)
    assert package.data == data
    assert package.sha1 == hashlib.sha1(data).hexdigest()  # noqa: S324
    assert package.size == len(data)
    assert package.letters == 2
    assert package.document_type == PDF == "PDFXML"
    assert package.entries == ("letters/a.pdf", "b.pdf")


def test_accepts_a_zip_of_epl_files_in_any_text_encoding():
    utf8 = "EPL1 0002\n1Åsa Öberg\n".encode()
    package = check_zip(make_zip([("a.epl", EPL_LETTER), ("B.EPL", utf8)]))
    assert (package.document_type, package.letters) == (EPL, 2)


def test_accepts_a_stored_entry_and_a_data_descriptor():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("a.pdf", PDF_LETTER)
    stored = buffer.getvalue()
    assert check_zip(stored).letters == 1

    class Unseekable(io.RawIOBase):
        def __init__(self) -> None:
            self.written = bytearray()

        def writable(self) -> bool:
            return True

        def write(self, chunk) -> int:
            self.written += chunk
            return len(chunk)

    sink = Unseekable()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.pdf", PDF_LETTER)
    streamed = bytes(sink.written)
    assert zipfile.ZipFile(io.BytesIO(streamed)).infolist()[0].flag_bits & 0x08
    assert check_zip(streamed).letters == 1


def test_checks_a_thousand_entries_reading_each_once(monkeypatch):
    data = make_zip([(f"{number:04}.epl", EPL_LETTER) for number in range(1000)])
    counting = CountingOpen(monkeypatch)
    package = check_zip(data)
    assert package.letters == 1000
    assert counting.opened == 1000
    assert counting.bytes_read == 1000 * len(EPL_LETTER)


def test_refuses_a_thousand_and_one_entries_without_reading_any(monkeypatch):
    data = make_zip([(f"{number:04}.epl", EPL_LETTER) for number in range(1001)])
    counting = CountingOpen(monkeypatch)
    assert_refuses(refused(data), "", TOO_MANY_ENTRIES.format(count=1001, limit=1000))
    assert counting.opened == 0


# --- pack_files ------------------------------------------------------------------------------


def test_pack_files_of_pdfs_gives_a_package_check_zip_accepts():
    files = [("b.pdf", PDF_LETTER), ("a.pdf", make_pdf(pages=2))]
    package = pack_files(files)
    assert check_zip(package.data) == package
    assert package.entries == ("a.pdf", "b.pdf")
    assert (package.document_type, package.letters) == (PDF, 2)
    with zipfile.ZipFile(io.BytesIO(package.data)) as archive:
        assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in archive.infolist())


def test_pack_files_of_epl_gives_a_package_check_zip_accepts():
    package = pack_files([("one.epl", EPL_LETTER), ("two.epl", EPL_LETTER + b"\n")])
    assert check_zip(package.data) == package
    assert (package.document_type, package.letters) == (EPL, 2)


def test_pack_files_bytes_do_not_depend_on_the_order_given():
    files = [("b.pdf", PDF_LETTER), ("a.pdf", make_pdf(pages=2)), ("C.pdf", PDF_LETTER)]
    first = pack_files(files)
    again = pack_files(list(reversed(files)))
    assert first.data == again.data
    assert first.sha1 == again.sha1
    assert first.entries == ("a.pdf", "b.pdf", "C.pdf")


def test_pack_files_keeps_only_each_files_own_name():
    package = pack_files([("C:\\Users\\staff\\a.pdf", PDF_LETTER), ("../../b.pdf", PDF_LETTER)])
    assert package.entries == ("a.pdf", "b.pdf")


def test_pack_files_refuses_every_bad_file_by_its_name():
    files = [
        ("a.pdf", PDF_LETTER),
        ("dir/a.pdf", PDF_LETTER),
        ("..", PDF_LETTER),
        (".DS_Store", b"\x00\x00\x00\x01Bud1"),
        ("letter.pdf", EPL_LETTER),
        ("big.pdf", PDF_LETTER + b"\n" * 5000),
    ]
    with pytest.raises(PackageRefused) as caught:
        pack_files(files, limits=Limits(max_entry_bytes=len(PDF_LETTER) + 10))
    assert caught.value.refusals == [
        Refusal("a.pdf", DUPLICATE),
        Refusal("..", NO_NAME),
        Refusal(".DS_Store", JUNK),
        Refusal("letter.pdf", EPL_MISNAMED),
        Refusal(
            "big.pdf",
            ENTRY_TOO_LARGE.format(size=len(PDF_LETTER) + 5000, limit=len(PDF_LETTER) + 10),
        ),
    ]


def test_pack_files_refuses_nothing_to_pack():
    with pytest.raises(PackageRefused) as caught:
        pack_files([])
    assert caught.value.refusals == [Refusal("", EMPTY)]


def test_pack_files_refuses_too_many_files():
    with pytest.raises(PackageRefused) as caught:
        pack_files([(f"{n}.epl", EPL_LETTER) for n in range(3)], limits=Limits(max_entries=2))
    assert caught.value.refusals == [Refusal("", TOO_MANY_ENTRIES.format(count=3, limit=2))]


def test_pack_files_refuses_mixed_pdf_and_epl():
    with pytest.raises(PackageRefused) as caught:
        pack_files([("a.pdf", PDF_LETTER), ("b.epl", EPL_LETTER)])
    assert caught.value.refusals == [Refusal("", MIXED_TYPES)]


def test_refusal_is_a_portal_error_for_staff():
    exc = refused(b"not a zip")
    assert isinstance(exc, PortalError)
    assert staff_message_of(exc) == f"The print package was refused: {NOT_A_ZIP}."


def test_pack_files_refuses_a_total_over_the_limit():
    files = [("a.epl", EPL_LETTER), ("b.epl", EPL_LETTER)]
    limit = 2 * len(EPL_LETTER) - 1
    with pytest.raises(PackageRefused) as caught:
        pack_files(files, limits=Limits(max_total_bytes=limit))
    total = TOTAL_TOO_LARGE.format(total=2 * len(EPL_LETTER), limit=limit)
    assert caught.value.refusals == [Refusal("", total)]


def test_pack_files_keeps_a_finnish_name_and_a_byte_order_mark():
    package = pack_files([("kirje_äö.epl", b"\xef\xbb\xbf" + EPL_LETTER)])
    assert package.entries == ("kirje_äö.epl",)
    assert check_zip(package.data).entries == ("kirje_äö.epl",)
