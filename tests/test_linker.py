"""The linker: identifiers, titles, nicknames, roles, traps, and the labeled samples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import run_cli
from nonmun.catalog.importer import store_records
from nonmun.catalog.records import PaperRecord
from nonmun.db.engine import Hub
from nonmun.db.schema import MIN_CONFIDENCE
from nonmun.linking import features
from nonmun.linking.index import CatalogIndex
from nonmun.linking.linker import Linker, rule_links

LABELED = Path(__file__).parent / "data" / "links-dev.jsonl"

PAPERS = [
    PaperRecord(title="Attention Is All You Need", authors=("Ashish Vaswani",), arxiv_id="1706.03762",
                year=2017, aliases=("Transformer", "트랜스포머")),
    PaperRecord(title="Sharpness-Aware Minimization for Efficiently Improving Generalization",
                authors=("Pierre Foret",), arxiv_id="2010.01412", year=2020),
    PaperRecord(title="Adam: A Method for Stochastic Optimization", authors=("Diederik P. Kingma",),
                arxiv_id="1412.6980", year=2014),
    PaperRecord(title="Segment Anything", authors=("Alexander Kirillov",), arxiv_id="2304.02643", year=2023),
    PaperRecord(title="Objects as Points", authors=("Xingyi Zhou",), arxiv_id="1904.07850", year=2019),
    PaperRecord(title="Neural Processes", authors=("Marta Garnelo",), arxiv_id="1807.01622", year=2018),
    PaperRecord(title="An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale",
                authors=("Alexey Dosovitskiy",), arxiv_id="2010.11929", year=2020),
]  # fmt: skip


@pytest.fixture
def linker(hub: Hub) -> Linker:
    store_records(hub, PAPERS, "test")
    with hub.session() as session:
        return Linker(CatalogIndex.load(session))


def found(linker: Linker, text: str) -> dict[str, tuple[str, float, str]]:
    """The links the learned decision counts (confidence ≥ 0.5)."""
    index = linker.index
    return {
        index.arxiv_id(x.paper_id) or "": (x.role, x.confidence, x.method)
        for x in linker.link(text)
        if x.confidence >= MIN_CONFIDENCE
    }


def feature_by_paper(linker: Linker, text: str, name: str) -> dict[str, float]:
    """One feature of every candidate paper of ``text``, by its arXiv id."""
    vectors = features.candidates(linker.index, text, linker.occurrences(text))
    at = features.FEATURES.index(name)
    return {linker.index.arxiv_id(pid) or "": vector[at] for pid, vector in vectors.items()}


def rules(linker: Linker, text: str) -> dict[str, tuple[str, float, str]]:
    """What the placement rules say of the candidates (features of the decision)."""
    index = linker.index
    return {
        index.arxiv_id(x.paper_id) or "": (x.role, x.confidence, x.method)
        for x in rule_links(text, linker.occurrences(text))
        if x.confidence >= MIN_CONFIDENCE
    }


def test_title_lines_are_reviews_and_prose_mentions(linker: Linker) -> None:
    # (a title after "ViT:" at a sentence's start reads like a post's title: about even)
    text = "Attention Is All You Need(2017)\n\nTransformer를 처음 제시한 논문. 이 구조는 an image is worth 16x16 words: transformers for image recognition at scale 에서도 쓰인다."
    links = found(linker, text)
    assert links["1706.03762"][0] == "reviewed"
    assert links["2010.11929"][:1] == ("mentioned",)


def test_a_title_glossed_after_a_colon_heads_its_entry(linker: Linker) -> None:
    """A reading list's "Title: one sentence on it" lines: each title heads its entry (the
    placement rules' reviewed place), however long the gloss; a title in a sentence not."""
    text = (
        "Papers our club read, each with a one-sentence summary.\n"
        "Attention Is All You Need: Query, Key, and Value are all you need, along with "
        "position embeddings, multiple heads and skip-connections.\n"
        "Segment Anything: a promptable model and a billion masks, zero-shot everywhere.\n"
        "We also skimmed Adam: A Method for Stochastic Optimization, for the optimiser.\n"
    )
    said = rules(linker, text)
    assert said["1706.03762"][0] == said["2304.02643"][0] == "reviewed"
    assert said["1412.6980"][0] == "mentioned"


def test_a_list_of_bare_links_mentions_its_papers(linker: Linker) -> None:
    """Titles each alone on a line with their address under them, and nothing said of
    them, are a reading list's entries (mentioned); one such title above a post's prose
    heads a review."""
    entries = [
        ("Adam: A Method for Stochastic Optimization", "https://arxiv.org/abs/1412.6980"),
        ("Segment Anything", "https://arxiv.org/abs/2304.02643"),
        ("The Illustrated Transformer", "https://jalammar.github.io/illustrated-transformer/"),
        ("Attention is all you need", "https://arxiv.org/abs/1706.03762"),
    ]
    listed = "NLP 강의에 나온 논문\n" + "".join(f"{name}\n{link}\n" for name, link in entries)
    assert {role for role, _, _ in rules(linker, listed).values()} == {"mentioned"}
    review = "Segment Anything\nhttps://arxiv.org/abs/2304.02643\n\n프롬프트로 무엇이든 분할하는 모델이다.\n"
    assert rules(linker, review)["2304.02643"][0] == "reviewed"


def test_a_venue_in_brackets_marks_a_posts_title(linker: Linker) -> None:
    """ "[ICCV 2023] Segment anything" heads a post as "[논문 리뷰] Segment anything" does:
    the two-word title is a title there, not two words of prose."""
    for mark in ("[ICCV 2023] ", "[NeurIPS'21] ", "[2021 ICLR] "):
        said = rules(linker, f"{mark}Segment anything\n\n이번 논문은 프롬프트 분할을 다룬다.\n")
        assert said["2304.02643"][0] == "reviewed"


def test_review_prefixes_quotes_and_line_breaks(linker: Linker) -> None:
    for text in [
        "논문 리뷰: Sharpness-Aware Minimization for Efficiently Improving Generalization",
        "[Paper Review] Sharpness-aware minimization for efficiently improving generalization",
        '"Sharpness-Aware Minimization for\nEfficiently Improving Generalization"',
    ]:
        assert "2010.01412" in found(linker, text), text


def test_near_miss_titles_are_not_links(linker: Linker) -> None:
    assert found(linker, "Attention Is Not What You Need\n\nA critique.") == {}
    assert found(linker, "we treat objects as points in a metric space") == {}


def test_a_title_with_one_slip_is_still_found(linker: Linker) -> None:
    # a misspelt word, two words a lost line break ran together, one word split apart
    for slipped in [
        "Sharpness-Aware Minimization for Efficiently Improving Generalisation",
        "Sharpness-Aware Minimization for EfficientlyImproving Generalization",
        "Sharpness-Aware Minimization for Efficiently Improving General ization",
    ]:
        occurrences = [o for o in linker.occurrences(slipped) if "near" in o.facts]
        assert [linker.index.arxiv_id(o.paper_id) for o in occurrences] == ["2010.01412"]
        assert "2010.01412" in found(linker, f"논문 리뷰: {slipped}\n\n이 논문은 좋다."), slipped
    # two slips, or one in the words a title is found by, are another text
    for other in [
        "Sharpness-Aware Minimization for Efficiency Improving Generality",
        "Sharpness-Avoiding Minimization for Efficiently Improving Generalization",
        "Sharpness-Aware Minimization for Efficiently Improving Robustness",
    ]:
        assert not [o for o in linker.occurrences(other) if "near" in o.facts], other


def test_shared_nickname_settled_by_context_or_left_uncertain(linker: Linker) -> None:
    # the text's words settle the candidate; the decision counts a settled shared name
    # only when it says more (shared names were right about half the time on real pages)
    text = "SAM은 loss landscape의 sharpness를 줄이는 optimizer다."
    assert "2010.01412" in rules(linker, text) and "2304.02643" not in rules(linker, text)
    assert "2304.02643" not in found(linker, text)
    text = "SAM은 프롬프트로 segment mask를 만든다. Segment anything!"
    assert "2304.02643" in rules(linker, text) and "2010.01412" not in rules(linker, text)
    assert "2010.01412" not in found(linker, text)
    bare = [
        x
        for x in linker.link("SAM을 써 봤다.")
        if linker.index.arxiv_id(x.paper_id) in ("2010.01412", "2304.02643")
    ]
    assert all(x.confidence < MIN_CONFIDENCE for x in bare)  # a suggestion at most, never a link


def test_identifiers_win(linker: Linker) -> None:
    text = "https://arxiv.org/abs/1904.07850v2\nObjects as Points (Xingyi Zhou)\n요약."
    assert rules(linker, text)["1904.07850"] == ("reviewed", 1.0, "identifier")
    role, confidence, method = found(linker, text)["1904.07850"]
    assert (role, method) == ("reviewed", "identifier") and confidence > 0.99
    # a label naming the post's source before the link: the paper the post is about
    for lead in ("논문 원본 주소", "논문 출처 : ", "Paper: "):
        text = f"{lead}https://arxiv.org/pdf/1904.07850 중심점으로 물체를 찾는 방법을 정리했다."
        assert rules(linker, text)["1904.07850"][0] == "reviewed", lead
    # (a text of that one line alone reads as a heading: reviewed or mentioned, about even)
    inline = found(
        linker,
        "검출기들을 정리해 본다.\n관련 연구(https://arxiv.org/abs/1904.07850)를 보면 중심점만 찾는다.",
    )
    assert inline["1904.07850"][0] == "mentioned"


def test_nicknames_with_particles_and_case(linker: Linker) -> None:
    assert "1706.03762" in found(linker, "트랜스포머는 attention만 쓴다.")
    assert "1706.03762" not in found(
        linker, "요즘 모델은 모두 트랜스포머를 쓴다."
    )  # the architecture
    assert "1412.6980" in found(linker, "기존에 자주 사용되던 RMSprop, ADAM 등의 optimizer와 달리")
    assert "1412.6980" not in found(linker, "adam and eve")
    assert "1706.03762" not in found(
        linker, "a power transformer in the grid"
    )  # the word, not the paper


def test_plurals_and_other_capitals_of_curated_names(hub: Hub) -> None:
    """A coined name written as a plural ("ViTs") is found, marked ``plural`` (a family of
    models more often than the paper); a curated everyday word is found in a coined
    name's capitals ("LLaMA" where landmarks.jsonl has "Llama"), never in plain ones."""
    title = "LLaMA: Open and Efficient Foundation Language Models"
    record = PaperRecord(title, ("Hugo Touvron",), arxiv_id="2302.13971", year=2023)
    store_records(hub, [*PAPERS, record], "t")
    with hub.session() as session:
        linker = Linker(CatalogIndex.load(session))

    def named(text: str) -> dict[str, frozenset[str]]:
        return {linker.index.arxiv_id(o.paper_id) or "": o.facts for o in linker.occurrences(text)}

    assert "plural" in named("ViTs는 CNN보다 데이터가 많이 필요하다.")["2010.11929"]
    assert "plural" not in named("ViT는 이미지를 패치로 나눈다.")["2010.11929"]
    assert "2302.13971" in named("ChatGPT, LLaMA, Alpaca 등의 LLM에 쓰인다.")
    assert "2302.13971" not in named("a llama in the Andes")
    # a coined camel-case name written all lower-case ("googlenet"), never an everyday word
    store_records(hub, [PaperRecord("Going Deeper with Convolutions", ("Christian Szegedy",),
                                    arxiv_id="1409.4842", year=2014)], "t")  # fmt: skip
    with hub.session() as session:
        linker = Linker(CatalogIndex.load(session))
    assert "1409.4842" in named("2014년 vgg net 및 googlenet에서 층을 늘렸다.")
    assert "1412.6980" not in named("adam and eve")
    # a title's coined head keeps its capitals: "research" is no "ReSearch: …"
    head = "ReSearch: Learning to Reason with Search for LLMs via Reinforcement Learning"
    store_records(hub, [PaperRecord(head, ("Mingyang Chen",), arxiv_id="2503.19470")], "t")
    with hub.session() as session:
        linker = Linker(CatalogIndex.load(session))
    assert "2503.19470" in named("ReSearch trains a model to search while it reasons.")
    assert "2503.19470" not in named("It inspired further research in the area.")


def test_a_paper_that_opens_a_paragraph_of_its_own(linker: Linker) -> None:
    """A list of papers written as paragraphs: each paper opens its own (feature
    ``own-paragraph``); one named inside another's paragraph does not."""
    text = (
        "Papers to read\n\n"
        "The 2017 paper Attention Is All You Need by Vaswani et al. presents the Transformer, "
        "which drops recurrence and convolution and relies on self-attention alone; it sets "
        "a new state of the art in translation.\n\n"
        "In 2014 Kingma and Ba introduced Adam: A Method for Stochastic Optimization, an "
        "optimizer with adaptive moment estimates that most of today's models are trained "
        "with, from image classifiers to language models.\n"
    )
    by_arxiv = feature_by_paper(linker, text, "own-paragraph")
    assert by_arxiv["1706.03762"] == 1.0 and by_arxiv["1412.6980"] == 1.0
    inside = text.replace("Papers to read\n\n", "Papers to read\n\nWhy Adam: A Method for "
                          "Stochastic Optimization matters. ")  # fmt: skip
    assert feature_by_paper(linker, inside, "own-paragraph")["1706.03762"] == 0.0


def test_an_entrys_indented_notes_are_its_paragraph() -> None:
    """A list entry with its notes indented under it, after a blank line, is one paragraph
    (pages converted from HTML lists often read so); the next entry begins another."""
    text = (
        "  • ReAct - 추론과 행동의 시너지\n\n"
        "    • 핵심: 추론과 행동을 교차한다\n"
        "    • 영향: 에이전트의 기초 패턴\n"
        "  • CoT - 사고 사슬 프롬프팅\n\n"
        "    • 핵심: 중간 추론 단계\n\n"
        "Next section\n"
    )
    page = features.Page(text)
    begin, end = page.paragraph(text.index("ReAct"))
    assert text[begin:end] == "• ReAct - 추론과 행동의 시너지\n\n    • 핵심: 추론과 행동을 교차한다\n" \
        "    • 영향: 에이전트의 기초 패턴"  # fmt: skip
    begin, end = page.paragraph(text.index("CoT"))
    assert text[begin:end] == "• CoT - 사고 사슬 프롬프팅\n\n    • 핵심: 중간 추론 단계"
    assert page.paragraph(text.index("Next")) == (text.index("Next"), len(text))


def test_an_address_after_a_title_is_no_description_of_it(linker: Linker) -> None:
    """A reading list of titles and their links names each paper bare (``described``
    counts the words after a paper, not the addresses); a sentence after one is prose."""
    text = (
        "Adam: A Method for Stochastic Optimization\nhttps://arxiv.org/abs/1412.6980\n"
        "Segment Anything\nhttps://arxiv.org/abs/2304.02643\n"
        "An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale\n"
        "This paper splits an image into patches and feeds them to a plain Transformer.\n"
    )
    by_arxiv = feature_by_paper(linker, text, "described")
    assert by_arxiv["1412.6980"] == 0.0 and by_arxiv["2304.02643"] == 0.0
    assert by_arxiv["2010.11929"] > 3


def test_numbered_entries_with_or_without_a_space() -> None:
    """ "4.Neural Machine Translation …" is a numbered entry as "4. Neural …" is; "3.14" is not."""
    page = features.Page("4.Neural Machine Translation\n5. Attention\n3.14 is pi\n")
    assert ["list-item" in kind for kind in page.kinds] == [True, True, False, False]


def test_table_rows_with_or_without_their_first_pipe() -> None:
    page = features.Page(
        "후속 연구\n| 모델 | 발표 |\nDeformable DETR | 2020 | Sparse Attention |\n"
    )
    assert [sorted(kind) for kind in page.kinds] == [["heading"], ["table"], ["table"], []]


def test_a_short_title_in_title_case_keeps_its_small_words_low(hub: Hub) -> None:
    """A title under five words counts in running text when written in Title Case, whose
    small words stay in lower case ("Going Deeper with Convolutions"); not in plain prose."""
    title = "Going Deeper with Convolutions"
    store_records(hub, [PaperRecord(title, ("Christian Szegedy",), arxiv_id="1409.4842")], "t")
    with hub.session() as session:
        linker = Linker(CatalogIndex.load(session))

    def named(text: str) -> set[str]:
        return {linker.index.arxiv_id(o.paper_id) or "" for o in linker.occurrences(text)}

    assert named("- Szegedy, Christian, et al. Going Deeper with Convolutions. CVPR, 2015.")
    assert not named("Later work would go deeper with convolutions of every size.")


def test_a_name_is_not_read_across_punctuation(hub: Hub) -> None:
    """Tokens joined by spaces, hyphens or dots make a name ("GPT‑3", "Natural Questions");
    across other punctuation they do not ("TL;DR" of a title's head, "n) = Q" for NQ)."""
    title = "TL;DR: Too Long, Do Re-weighting for Efficient LLM Reasoning Compression"
    gpt3 = PaperRecord(
        "Language Models are Few-Shot Learners", ("Tom B. Brown",), arxiv_id="2005.14165"
    )
    score = "SCoRE: Streamlined Corpus-based Relation Extraction using Multi-Label Contrastive"
    iknow = "IKnow: Instruction-Knowledge-Aware Continual Pretraining for Effective Adaptation"
    t5 = "Exploring the Limits of Transfer Learning with a Unified Text-to-Text Transformer"
    heads = [PaperRecord(score, ("Amy Lee",), arxiv_id="2507.06895"),
             PaperRecord(iknow, ("Tian Lu",), arxiv_id="2510.20377"),
             PaperRecord(t5, ("Colin Raffel",), arxiv_id="1910.10683")]  # fmt: skip
    store_records(
        hub,
        [*PAPERS, PaperRecord(title, ("Zhong-Zhi Li",), arxiv_id="2506.02678"), gpt3, *heads],
        "t",
    )
    with hub.session() as session:
        linker = Linker(CatalogIndex.load(session))

    def names(text: str) -> list[str]:
        return [text[o.start : o.end] for o in linker.occurrences(text) if o.method == "nickname"]

    assert names("TL;DR: 이 글은 길다.") == []
    assert names("where f(n) = Q(n) holds") == []
    assert names("NQ와 TriviaQA에서 평가했다.") == ["NQ"]  # Natural Questions, a landmark
    # a name whose version goes on is another name: GPT-3.5 is neither GPT-3 nor GPT
    assert names("GPT-3.5 and GPT-3 differ.") == ["GPT-3"]
    # a name joined by a hyphen to a word before it is part of another name
    assert names("VL-T5와 Sentence-T5는 T5가 아니다.") == ["T5"]
    # a title's coined head is not met after an apostrophe, nor spread over plain words
    assert names("The model's core idea, as I know it.") == []
    assert names("SCoRE and IKnow are both new.") == ["SCoRE", "IKnow"]
    possessive = [o for o in linker.occurrences("ViT's patches are 16x16.") if o.size == 1]
    assert [("plural" in o.facts) for o in possessive] == [False]  # not "ViTs"


def test_a_sidebar_tag_cloud_names_no_paper(linker: Linker) -> None:
    """A blog's tag cloud (short list items, most of them no paper's name) links nothing;
    a list of papers by their nicknames is no tag cloud."""
    tags = ["논문리뷰", "Computer Vision", "데이터 증강", "Transformer", "ViT", "딥러닝", "LLM"]
    cloud = "\n".join(f"- {tag}" for tag in tags) + "\nToday\nTotal\n"
    text = cloud + "Segment Anything 논문을 정리했다.\n"
    assert set(found(linker, text)) == {"2304.02643"}
    names = "좋아하는 논문\n" + "\n".join(f"- {n}" for n in ["ViT", "Adam", "SAM", "Transformer",
                                                        "Objects as Points", "Neural Processes"])  # fmt: skip
    assert {"2010.11929", "1412.6980"} <= set(found(linker, names + "\n"))


def test_names_lost_in_folding_and_venues_are_no_names(hub: Hub) -> None:
    """A name whose symbols tell it apart ("Baseline++" folds to "baseline") and a title
    head that is a venue ("EMNLP: …") name no paper; "TensorFlow" names the library more
    often than its paper, so it is read as an ambiguous name."""
    venue = "EMNLP: Educator-role Moral and Normative Large Language Models Profiling"
    closer = "A Closer Look at Few-shot Classification"
    tf = "TensorFlow: Large-Scale Machine Learning on Heterogeneous Distributed Systems"
    records = [PaperRecord(venue, ("Yilin Jiang",), arxiv_id="2508.15250", year=2025),
               PaperRecord(closer, ("Wei-Yu Chen",), arxiv_id="1904.04232", year=2019),
               PaperRecord(tf, ("Martín Abadi",), arxiv_id="1603.04467", year=2016),
               PaperRecord("Retrieval-Augmented Generation for Knowledge-Intensive NLP Tasks",
                           ("Patrick Lewis",), arxiv_id="2005.11401", year=2020)]  # fmt: skip
    store_records(hub, [*PAPERS, *records], "t")
    with hub.session() as session:
        linker = Linker(CatalogIndex.load(session))

    def named(text: str) -> set[str]:
        return {linker.index.arxiv_id(o.paper_id) or "" for o in linker.occurrences(text)}

    assert named("Our baseline beats the baseline of EMNLP 2023.") == set()
    assert named("Baseline++ (Chen et al.) 기준으로 비교했다.") == set()
    assert named(f"{closer} (ICLR 2019)") == {"1904.04232"}
    tensorflow = linker.index.nicknames["tensorflow"]
    assert tensorflow and all(n.ambiguous for n in tensorflow)
    # "RAG" names the technique far more often than Lewis et al.'s paper
    rag = linker.index.nicknames["rag"]
    assert rag and all(n.ambiguous for n in rag)
    # "LSTM" the building block, as the labels have it
    assert all(n.ambiguous for n in linker.index.nicknames["lstm"])
    # and "GAN" the family, even where a catalog record stored it as the paper's alias
    gan = PaperRecord("Generative Adversarial Networks", ("Ian J. Goodfellow",),
                      arxiv_id="1406.2661", year=2014, aliases=("GAN", "GANs"))  # fmt: skip
    store_records(hub, [gan], "t")
    with hub.session() as session:
        nicknames = CatalogIndex.load(session).nicknames
    assert nicknames["gan"] and all(n.ambiguous for n in nicknames["gan"])


def test_hyphenated_coined_names_keep_their_case_with_or_without_the_hyphen(hub: Hub) -> None:
    """A title's coined head with a hyphen ("vq-wav2vec") is met written so or run together,
    never in other capitals."""
    title = "vq-wav2vec: Self-Supervised Learning of Discrete Speech Representations"
    store_records(
        hub, [*PAPERS, PaperRecord(title, ("Alexei Baevski",), arxiv_id="1910.05453")], "t"
    )
    with hub.session() as session:
        linker = Linker(CatalogIndex.load(session))
    about = " learns discrete speech representations, self-supervised."
    for written, named in (("vq-wav2vec", True), ("vqwav2vec", True), ("VQ-Wav2Vec", False)):
        occurrences = linker.occurrences(written + about)
        assert any(o.method == "nickname" for o in occurrences) is named, written


def test_cli_link_interface(hub: Hub, hub_env: dict[str, str], tmp_path: Path) -> None:
    store_records(hub, PAPERS, "test")
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "a", "text": "Objects as Points(2019)\n요약"}) + "\n")
    done = run_cli(
        "link", "--jsonl", str(source), "--out", str(tmp_path / "out.jsonl"), env=hub_env
    )
    assert done.returncode == 0, done.stderr
    (line,) = (tmp_path / "out.jsonl").read_text().splitlines()
    (paper,) = json.loads(line)["papers"]
    confidence = paper.pop("confidence")
    assert paper == {"arxiv": "1904.07850", "title": "Objects as Points", "role": "reviewed"}
    assert MIN_CONFIDENCE <= confidence <= 1
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a"}\n')
    failed = run_cli("link", "--jsonl", str(bad), "--out", str(tmp_path / "x.jsonl"), env=hub_env)
    assert failed.returncode == 2 and f"{bad}:1:" in failed.stderr
    titled = tmp_path / "titled.jsonl"  # a page's title is its first line
    lines = [{"id": "t", "title": "Objects as Points(2019)", "text": "요약"},
             {"id": "u", "title": "", "text": "요약"}, {"id": "v", "text": ""}]  # fmt: skip
    titled.write_text("".join(json.dumps(line) + "\n" for line in lines))
    done = run_cli("link", "--jsonl", str(titled), "--out", "-", env=hub_env)
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert out[0]["papers"][0]["role"] == "reviewed" and out[1]["papers"] == out[2]["papers"] == []
    untidy = tmp_path / "untidy.jsonl"
    untidy.write_text('{"id": "a", "text": "x"}\n{"id": "b", "text": "y", "title": 3}\n{"id": \n')
    for number in (2, 3):
        failed = run_cli(
            "link", "--jsonl", str(untidy), "--out", str(tmp_path / "y.jsonl"), env=hub_env
        )
        assert failed.returncode == 2 and f"{untidy}:{number}:" in failed.stderr, failed.stderr
        assert failed.stderr.count("\n") == 1 and not (tmp_path / "y.jsonl").exists()
        untidy.write_text('{"id": "a", "text": "x"}\n{"id": "b", "text": "y"}\n{"id": \n')


def test_labeled_samples(tmp_path: Path) -> None:
    """The four sample pages against the demo catalog, held to the issue's targets.

    This is the development set the rules were tuned on; pages the linker has
    never seen are the real measure (see the issue notes)."""
    hub_dir = tmp_path / "demo"
    assert run_cli("demo", str(hub_dir)).returncode == 0
    done = run_cli("--hub", str(hub_dir), "eval", "links", str(LABELED))
    assert done.returncode == 0, done.stderr
    figures = {}
    for line in done.stdout.splitlines():
        role, _, precision, _, recall, *_ = line.split()
        figures[role] = (float(precision), float(recall))
    assert figures["reviewed"][0] >= 0.97 and figures["reviewed"][1] >= 0.95
    assert figures["mentioned"][0] >= 0.90 and figures["mentioned"][1] >= 0.80


def test_review_marks_and_title_heads(linker: Linker) -> None:
    # the part of a title before its colon names the paper; a review mark before it is no prose
    text = "Paper Review: An Image is Worth 16x16 Words\nViT cuts images."
    assert rules(linker, text)["2010.11929"][:2] == ("reviewed", pytest.approx(0.95 * 0.9))
    assert found(linker, text)["2010.11929"][0] == "reviewed"
    assert found(linker, "[논문 리뷰] Adam: A Method for Stochastic Optimization\n본문")[
        "1412.6980"
    ][0] == ("reviewed")
    assert "2010.11929" not in found(linker, "a picture is worth a thousand words, they say.")
    assert "2010.11929" not in found(linker, "they say an image is worth 16x16 words of prose")


def test_two_word_titles_only_where_plainly_titles(linker: Linker) -> None:
    assert found(linker, "Neural Processes\n좋은 논문이다.")["1807.01622"][0] == "reviewed"
    quoted = found(linker, '논문 리뷰: "Neural Processes" (ICML 2018) - Garnelo et al.\n')
    assert quoted["1807.01622"][0] == "reviewed"
    assert rules(linker, '논문 리뷰: "Neural Processes" (ICML 2018) - Garnelo et al.\n')[
        "1807.01622"
    ][:2] == ("reviewed", 0.95)
    assert "1807.01622" not in found(linker, "We compare with neural processes in section 3.")
    assert "1807.01622" not in found(
        linker, "첫 줄\n## Neural Processes\n본문"
    )  # a section heading


def test_author_and_year_support_a_title_and_a_wrong_byline_breaks_nothing(linker: Linker) -> None:
    alone = rules(linker, "Objects as Points\nx")["1904.07850"]
    backed = rules(linker, "Objects as Points (2019) - Zhou et al.\nx")["1904.07850"]
    wrong = rules(linker, "Objects as Points (ICLR 2015) - Wen et al.\nx")["1904.07850"]
    assert backed[1] > alone[1] and backed[0] == "reviewed"
    assert wrong[:2] == alone[:2] == ("reviewed", 0.85)
    for text in (
        "Objects as Points (2019) - Zhou et al.\nx",
        "Objects as Points (ICLR 2015) - Wen et al.\nx",
    ):
        assert found(linker, text)["1904.07850"][0] == "reviewed"


def test_a_pages_address_is_evidence_about_what_its_text_names(linker: Linker) -> None:
    """The words of a page's URL ("/논문-리뷰-Objects-as-Points") say what the page is
    about; a paper the text does not name is never linked from them (the labeled pages'
    convention: a review that names its paper only in its URL names none)."""
    from nonmun.linking.address import address_lines, appended
    from nonmun.linking.decision import packaged_model
    from nonmun.linking.features import candidates

    assert address_lines("https://velog.io/@kartmon61/논문-번역-Objects-as-Points") == [
        "논문 번역 Objects as Points"
    ]  # the user's name is no word of the page's
    assert address_lines("https://x.notion.site/DETR-513a58b0b55f4b5bafdb596f862f5601") == ["DETR"]
    assert address_lines("https://hyper.ai/kr/papers/2105.14491?tl=ko&page=2") == [
        "kr", "papers", "arXiv:2105.14491", "ko"
    ]  # fmt: skip
    assert address_lines("01-detr-en.txt") == address_lines(None) == address_lines(3) == []
    assert address_lines("https://" + "a/" * 10**6) == []  # only its first 2,000 characters

    body = "이 글에서는 그래프 위의 학습을 정리한다. 이후 ViT와 비교해 본다."
    url = "https://blog.example/posts/Objects-as-Points-ViT"
    assert "1904.07850" not in found(linker, body) and not [
        x for x in linker.link(body, url) if linker.index.arxiv_id(x.paper_id) == "1904.07850"
    ]
    (vit,) = [
        x for x in linker.link(body, url) if linker.index.arxiv_id(x.paper_id) == "2010.11929"
    ]
    assert vit.evidence == "ViT" and body[vit.start : vit.start + 3] == "ViT"  # the text's span

    def reviewed(address: str | None) -> float:
        text, at = appended(body, address)
        with linker.index.reading():
            vectors = candidates(linker.index, text, linker.occurrences(text, at), at)
        (pid,) = [p for p in vectors if linker.index.arxiv_id(p) == "2010.11929"]
        decided = packaged_model().probabilities(list(vectors.values()))
        _, mentioned, sure = dict(zip(vectors, decided, strict=True))[pid]
        return sure / (mentioned + sure)

    assert reviewed(url) > reviewed("https://blog.example/posts/graphs") > 0  # learned weights
    assert reviewed("https://blog.example/posts/graphs") == pytest.approx(reviewed(None), abs=0.2)


def test_a_role_depends_on_the_pages_other_links(linker: Linker) -> None:
    """The role is decided per page: the same candidate is less likely *reviewed* beside
    a link whose first role score leads it (a page's subject stands out from the papers
    it only mentions) than alone."""
    from nonmun.linking.decision import packaged_model, page_features
    from nonmun.linking.features import candidates

    assert page_features([0.9, 0.9, 0.1], [1.0, -1.0, 3.0]) == [(1.0, 2.0), (0.0, -2.0), (1.0, 2.0)]
    assert page_features([0.9], [-3.0]) == [(1.0, 5.0)]  # a page's only link leads it
    text = (
        "이번에 리뷰할 논문은 An Image is Worth 16x16 Words: Transformers for Image Recognition"
        " at Scale 이다.\n\nViT는 Transformer의 인코더를 이미지 패치에 그대로 쓴다. ViT는 큰"
        " 데이터에서 CNN을 앞선다."
    )
    with linker.index.reading():
        vectors = candidates(linker.index, text, linker.occurrences(text, len(text)), len(text))
    by_id = {linker.index.arxiv_id(pid): vector for pid, vector in vectors.items()}
    model = packaged_model()

    def reviewed(*vectors: list[float]) -> float:
        _, mentioned, sure = model.probabilities(list(vectors))[0]
        return sure / (mentioned + sure)

    vit, transformer = by_id["2010.11929"], by_id["1706.03762"]
    assert reviewed(transformer) > reviewed(transformer, vit)
    assert reviewed(vit, transformer) > 0.5 > reviewed(transformer, vit)


def test_a_title_several_papers_share_makes_each_a_candidate(hub: Hub) -> None:
    """The head of a title that other papers share (its appendix) yields all of them,
    the first to come out as the linker's choice and the others as rivals."""
    head = "Dropout as a Bayesian Approximation"
    store_records(hub, [
        PaperRecord(f"{head}: Appendix", ("Yarin Gal",), arxiv_id="1506.02157", year=2015),
        PaperRecord(f"{head}: Representing Model Uncertainty in Deep Learning", ("Yarin Gal",),
                    arxiv_id="1506.02142", year=2015),
    ], "t")  # fmt: skip
    with hub.session() as session:
        linker = Linker(CatalogIndex.load(session))
    text = f'"Uncertainty in Deep Learning" and "{head}" are both by Gal.'
    shared = {
        linker.index.arxiv_id(o.paper_id): o.facts
        for o in linker.occurrences(text)
        if o.method == "title-head"
    }
    assert set(shared) == {"1506.02142", "1506.02157"}
    assert "rival" in shared["1506.02157"] and "rival" not in shared["1506.02142"]


# file: (reviewed P, R, mentioned P, R) floors, a little under what they reach. links-unseen
# reaches 0.846 mentioned precision since "GAN" became an ambiguous name (its GAN list
# counts "GAN을 CNN으로 학습" as the paper; links-real's labels call that the family)
LABELED_AFTER = {
    "links-unseen.jsonl": (0.95, 0.85, 0.83, 0.8),
    "links-heldout.jsonl": (0.8, 0.7, 0.8, 0.75),
}


@pytest.mark.parametrize("name", sorted(LABELED_AFTER))
def test_pages_written_after_the_rules(hub: Hub, name: str) -> None:
    """Pages labeled after the linker was written (Korean and English; posts, lists,
    digests, study notes, traps). links-unseen: first measured at reviewed P 0.69 R 0.69,
    mentioned P 0.67 R 0.70, then the rules generalised on it; links-heldout: measured
    once, not tuned on (bench/README.md). Held here so that they do not slip."""
    from nonmun.catalog.importer import import_snapshot
    from nonmun.linking.batch import evaluate_file

    import_snapshot(hub, Path(__file__).parents[1] / "nonmun" / "data" / "demo" / "catalog.jsonl")
    with hub.session() as session:
        scores = evaluate_file(session, Path(__file__).parent / "data" / name).scores
    rp, rr, mp, mr = LABELED_AFTER[name]
    assert scores["reviewed"].precision >= rp and scores["reviewed"].recall >= rr
    assert scores["mentioned"].precision >= mp and scores["mentioned"].recall >= mr


def test_hostile_texts(linker: Linker, hub_env: dict[str, str], tmp_path: Path) -> None:
    """Empty texts, only URLs, only Hangul and a 1 MB page of one line link to nothing
    wrong and do not fail (nor take long: every match reads a bounded window); through
    ``link --jsonl`` a 5 MB line is over the limit, an error naming it."""
    urls = " ".join(f"https://example.com/{n}" for n in range(2000))
    page = "Attention Is All You Need 를 읽었다. " + "가나다라 " * 40
    big = page * 4_000
    for text in ("", "   \n\n", urls, "한국어로만 쓴 글입니다. " * 1000):
        assert found(linker, text) == {}
    assert set(found(linker, big)) == {"1706.03762"}
    lines = [{"id": "e", "text": ""}, {"id": "u", "text": urls}, {"id": "h", "text": "가" * 999}]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines))
    done = run_cli("link", "--jsonl", str(source), "--out", "-", env=hub_env)
    assert done.returncode == 0, done.stderr
    assert [json.loads(x)["papers"] for x in done.stdout.splitlines()] == [[], [], []]
    source.write_text(json.dumps({"id": "big", "text": page * 22_000}) + "\n")
    failed = run_cli("link", "--jsonl", str(source), "--out", str(tmp_path / "o"), env=hub_env)
    assert failed.returncode == 2 and f"{source}:1:" in failed.stderr, failed.stderr
    assert "Traceback" not in failed.stderr and not (tmp_path / "o").exists()
