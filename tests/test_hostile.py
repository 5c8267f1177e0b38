"""Hostile and broken inputs: every importer over a corpus of bad files, and fuzzing.

Nothing may raise but nonmun's own errors, hang, or read without a limit; each
bad input is skipped with its name (and line) and the reason.
"""

from __future__ import annotations

import contextlib
import gzip
import lzma
import os
import resource
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import SAMPLE, run_cli
from nonmun.catalog.bibtex import parse_bibtex
from nonmun.catalog.importer import import_snapshot
from nonmun.db.engine import Hub
from nonmun.errors import InputError, NonmunError
from nonmun.ingest.feeds import read_feed
from nonmun.ingest.importer import import_paths
from nonmun.ingest.markdown import front_matter

BOMB_YAML = (
    "---\n"
    + "\n".join(
        [f"a: &a [{', '.join(['lol'] * 9)}]"]
        + [
            f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]"
            for i in range(8)
        ]
    )
    + "\ntags: *i\ntitle: boom\n---\nbody\n"
)
ENTITY_FEED = (
    b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
    b'<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
    b"<rss><channel><item><title>&d;</title></item></channel></rss>"
)
XXE_FEED = (
    b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b"<rss><channel><item><title>&x;</title><link>http://x/1</link></item></channel></rss>"
)


def _corpus(root: Path) -> dict[str, Path]:
    """Bad files of every kind nonmun might be given."""
    files: dict[str, bytes | str] = {
        "binary.txt": os.urandom(4096),
        "empty.txt": b"",
        "invalid-utf8.txt": b"\xff\xfe\xfa not text \xc3\x28" * 100,
        "broken.html": b"<html><body><article><p>unclosed <b>bold <i>" * 50,
        "deep.html": b"<html><body>" + b"<div>" * 100_000 + b"text" + b"</div>" * 10,
        "entities.xml": ENTITY_FEED,
        "xxe.xml": XXE_FEED,
        "not-xml-feed.txt": b"this mentions <rss> but is not a feed at all\n",
        "truncated-feed.xml": b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>cut',
        "bomb.md": BOMB_YAML,
        "bad-date.md": "---\ntitle: t\ndate: 2024-02-30\n---\nbody\n",
        "bad-month.md": "---\ntitle: t\ndate: 2024-13-01\n---\nbody\n",
        "bad-offset.md": "---\ntitle: t\ndate: 2021-03-04T25:61:00+99:00\n---\nbody\n",
        "unclosed.md": "---\ntitle: never closed\ntags: [a, b]\n\nbody text\n",
        "list.md": "---\n- a\n- b\n---\nbody\n",
        "scalar.md": "---\njust a string\n---\nbody\n",
        "deep-yaml.md": "---\ntitle: " + "[" * 5000 + "]" * 5000 + "\n---\nbody\n",
        "nul.md": "# a\x00b\n\nbody with \x00 NUL\n",
        "escape.md": "# Title \x1b]52;c;aGk=\x07 here\n\nbody\n",
        "huge.md": "# huge\n\n" + "word " * (2 << 20),
        "self.opml": '<?xml version="1.0"?><opml version="1.0"><body><outline xmlUrl="self.opml"/></body></opml>',
        "local.opml": f'<opml version="1.0"><body><outline xmlUrl="{root}"/></body></opml>',
    }
    root.mkdir()
    paths = {}
    for name, data in files.items():
        path = root / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode())
        paths[name] = path
    (root / "huge.txt").write_bytes(b"x" * (21 << 20))
    paths["huge.txt"] = root / "huge.txt"
    (root / "loop").symlink_to(root / "loop")
    paths["loop"] = root / "loop"
    (root / "dangling.txt").symlink_to(root / "nowhere")
    paths["dangling.txt"] = root / "dangling.txt"
    os.mkfifo(root / "fifo.txt")
    paths["fifo.txt"] = root / "fifo.txt"
    paths["/dev/zero"] = Path("/dev/zero")
    paths["-dash.md"] = root / "-dash.md"
    paths["-dash.md"].write_text("# dash\n\nbody\n")
    return paths


@pytest.fixture
def limited_memory() -> object:
    """At most 2 GB more address space than the test process has already (whatever
    earlier tests in it loaded): a read without limit fails instead of swapping."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    pages = int(Path("/proc/self/statm").read_text().split()[0])
    resource.setrlimit(resource.RLIMIT_AS, (pages * resource.getpagesize() + (2 << 30), hard))
    yield None
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def test_every_importer_survives_the_hostile_corpus(hub: Hub, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus")
    for name, path in corpus.items():
        report = import_paths(hub, [path])  # anything but a NonmunError fails the test
        handled = report.skipped or report.shapes
        assert handled, name
    skipped = {name: " ".join(import_paths(hub, [path]).skipped) for name, path in corpus.items()}
    assert "only regular files are read" in skipped["fifo.txt"]
    assert "only regular files are read" in skipped["/dev/zero"]
    assert "bomb.md:" in skipped["bomb.md"] and "aliases" in skipped["bomb.md"]
    assert "bad-date.md:3: invalid date in front matter" in skipped["bad-date.md"]
    assert "bad-month.md:3:" in skipped["bad-month.md"]
    assert "bad-offset.md:3:" in skipped["bad-offset.md"]
    assert "unclosed.md:1: front matter opened by --- is not closed" in skipped["unclosed.md"]
    assert "must be a mapping" in skipped["list.md"] and "must be a mapping" in skipped["scalar.md"]
    assert skipped["not-xml-feed.txt"]
    assert "too large" in skipped["huge.txt"] and "too large" in skipped["huge.md"]
    assert "an OPML entry must be an http(s) URL" in skipped["local.opml"]


def test_the_folder_import_goes_on_past_bad_files(hub: Hub, tmp_path: Path) -> None:
    folder = tmp_path / "posts"
    folder.mkdir()
    (folder / "2024-01-01-good.md").write_text("---\ntitle: Good\n---\nA good post.\n")
    (folder / "2024-01-02-bad.md").write_text("---\ntitle: t\ndate: 2024-02-30\n---\nbody\n")
    (folder / "2024-01-03-bomb.md").write_text(BOMB_YAML)
    (folder / "2024-01-04-fine.md").write_text("# Fine\n\nAnother post.\n")
    report = import_paths(hub, [folder])
    assert report.imported == 2
    assert [s.split(": ")[0] for s in report.skipped] == [
        f"{folder / '2024-01-02-bad.md'}:3",
        f"{folder / '2024-01-03-bomb.md'}:3",
    ]


def test_nul_and_escapes_are_not_stored(hub: Hub, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus")
    import_paths(hub, [corpus["nul.md"], corpus["escape.md"]])
    from sqlalchemy import select

    from nonmun.db.schema import Review

    with hub.session() as session:
        texts = [(r.title, r.body) for r in session.scalars(select(Review))]
    assert ("ab", "# ab\n\nbody with  NUL") in texts
    assert all("\x00" not in t + b and "\x1b" not in t + b for t, b in texts)


def _xz_of_one_long_line(size: int) -> bytes:
    """An .xz file of one line of ``size`` bytes, compressed a megabyte at a time."""
    packer = lzma.LZMACompressor()
    parts = [packer.compress(b"{")]
    parts += [packer.compress(b" " * (1 << 20)) for _ in range(size >> 20)]
    return b"".join([*parts, packer.flush()])


def test_bad_snapshots_are_errors(hub: Hub, tmp_path: Path, limited_memory: object) -> None:
    data = SAMPLE.read_bytes()
    cases = {
        "cut.jsonl.xz": lzma.compress(data)[:10],
        "cut30.jsonl.xz": lzma.compress(data)[: len(lzma.compress(data)) * 3 // 10],
        "cut.jsonl.gz": gzip.compress(data)[:5],
        "bomb.jsonl.xz": _xz_of_one_long_line(600 << 20),
        "garbage.jsonl.xz": b"\xfd7zXZ\x00" + os.urandom(2000),
    }
    for name, raw in cases.items():
        path = tmp_path / name
        path.write_bytes(raw)
        with pytest.raises(InputError) as caught:
            import_snapshot(hub, path, skip_invalid=True)
        assert str(path) in str(caught.value), name
    for name in ("cut.jsonl.xz", "cut30.jsonl.xz", "cut.jsonl.gz"):
        with pytest.raises(InputError, match="truncated"):
            import_snapshot(hub, tmp_path / name, skip_invalid=True, restart=True)


def test_hostile_cli_inputs_are_one_line(hub: Hub, hub_env: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "y.bib").write_text("@article{k, title={T}, year={99999999999999999999}}\n")
    cases = [
        (["papers", "show", "#99999999999999999999999"], 3),
        (["reviews", "delete", "#99999999999999999999999"], 3),
        (["papers", "related", "#99999999999999999999999"], 3),
        (["papers", "list", "--years", "99999999999999999999:"], 2),
        (["link", "--jsonl", str(SAMPLE), "--out", "/nodir/o.jsonl"], 2),
        (["link", "--jsonl", str(SAMPLE), "--out", str(tmp_path)], 2),
        (["papers", "export", "-o", "/nodir/x.bib"], 2),
    ]
    for args, code in cases:
        done = run_cli(*args, env=hub_env)
        assert done.returncode == code, (args, done.stderr)
        assert "Traceback" not in done.stderr and done.stderr.startswith("error: "), args
    done = run_cli("papers", "import", str(tmp_path / "y.bib"), env=hub_env)
    assert done.returncode == 0 and "Traceback" not in done.stderr
    for value in ("-1", "0", "x"):
        done = run_cli(
            "papers", "import", str(SAMPLE), env={**hub_env, "NONMUN_IMPORT_BATCH_SIZE": value}
        )
        assert done.returncode == 2 and "import_batch_size" in done.stderr.replace(
            "NONMUN_IMPORT_BATCH_SIZE", "import_batch_size"
        )
    (tmp_path / "file").write_text("x")
    done = run_cli("--hub", str(tmp_path / "file"), "import", str(SAMPLE))
    assert done.returncode == 2 and "not a folder" in done.stderr


def test_link_writes_to_stdout_and_follows_symlinks(
    hub: Hub, hub_env: dict[str, str], tmp_path: Path
) -> None:
    lines = tmp_path / "in.jsonl"
    lines.write_text('{"id": "a", "text": "We read arXiv:1706.03762 today."}\n')
    done = run_cli("link", "--jsonl", str(lines), "--out", "/dev/stdout", env=hub_env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith('{"id":"a"')
    done = run_cli("link", "--jsonl", "-", "--out", "-", env=hub_env, input=lines.read_text())
    assert done.returncode == 0 and done.stdout.startswith('{"id":"a"')
    real = tmp_path / "real.jsonl"
    real.write_text("")
    (tmp_path / "link.jsonl").symlink_to(real)
    assert (
        run_cli(
            "link", "--jsonl", str(lines), "--out", str(tmp_path / "link.jsonl"), env=hub_env
        ).returncode
        == 0
    )
    assert (tmp_path / "link.jsonl").is_symlink() and real.read_text().startswith('{"id":"a"')


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_front_matter_fuzz(head: str) -> None:
    try:
        meta, _ = front_matter(f"---\n{head}\n---\nbody\n", Path("fuzz.md"))
    except InputError:
        return
    assert isinstance(meta, dict)


YAMLISH = st.lists(
    st.sampled_from(
        [
            "title: ",
            "date: ",
            "tags: ",
            "- ",
            "&a ",
            "*a ",
            "[",
            "]",
            "{",
            "}",
            ": ",
            "2023-02-30",
            "2023-13-01",
            "12:61:00+99:00",
            "!!python/object ",
            "|",
            ">",
            "\n",
            "  ",
            "'",
            '"',
            "é",
            "한",
            "\x00",
            "\t",
            "---",
        ]
    ),
    max_size=60,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(YAMLISH)
def test_front_matter_fuzz_yaml_shapes(head: str) -> None:
    with contextlib.suppress(InputError):
        front_matter(f"---\n{head}\n---\nbody\n", Path("fuzz.md"))


XMLISH = st.lists(
    st.sampled_from(
        [
            "<rss>",
            "</rss>",
            "<channel>",
            "</channel>",
            "<item>",
            "</item>",
            "<title>",
            "</title>",
            "<link>",
            "http://x/1",
            "</link>",
            "<feed xmlns='http://www.w3.org/2005/Atom'>",
            "<entry>",
            "</entry>",
            "<![CDATA[",
            "]]>",
            "&amp;",
            "&x;",
            "<!DOCTYPE rss [<!ENTITY x 'y'>]>",
            "<?xml version='1.0'?>",
            "text",
            "한글",
            "\x00",
            "<",
            ">",
            "<pubDate>",
            "Mon, 32 Jan 2020",
            "</pubDate>",
            "<category>",
            "</category>",
        ]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(XMLISH)
def test_feed_fuzz(xml: str) -> None:
    try:
        records = read_feed(xml.encode(), "fuzz.xml")
    except NonmunError:
        return
    assert all(r.title or r.url for r in records)


def test_bibtex_fuzz_examples() -> None:
    for text in ["@article{", "@article{k, year={2020", "@misc{k, title={" + "{" * 3000 + "}",
                 "@article{k, author={" + " and " * 5000 + "}}"]:  # fmt: skip
        with contextlib.suppress(NonmunError):
            parse_bibtex(text, source="fuzz.bib")


def test_database_failures_a_user_can_fix_are_one_line() -> None:
    import sqlite3

    from sqlalchemy.exc import IntegrityError, OperationalError

    from nonmun.db.engine import translated
    from nonmun.files import DiskFullError

    def failing(reason: str, kind: type[Exception] = OperationalError) -> None:
        with translated():
            raise kind("INSERT …", {}, sqlite3.OperationalError(reason))  # type: ignore[call-arg]

    with pytest.raises(DiskFullError, match="disk full while writing the hub's database"):
        failing("database or disk is full")
    with pytest.raises(NonmunError, match="free some space"):
        failing("disk I/O error")
    with pytest.raises(NonmunError, match="cannot be written"):
        failing("attempt to write a readonly database")
    with pytest.raises(IntegrityError):  # a bug stays a bug, with its traceback
        failing("UNIQUE constraint failed: paper.arxiv_id", IntegrityError)
