"""Loaders on small files written in each dataset's canonical format, and their one-line errors."""
import json, csv
from pathlib import Path
import pytest
from paperlib.data import load, check
from paperlib.core import DataError


def one_line(e):
    msg = str(e.value)
    assert "\n" not in msg
    return msg


def test_sst_tree_file(tmp_path):
    d = tmp_path/"sst"/"trainDevTestTrees_PTB"/"trees"; d.mkdir(parents=True)
    (d/"train.txt").write_text("(3 (2 a) (4 (2 very) (4 good)))\n(2 (2 so) (2 so))\n(0 (2 not) (3 good))\n")
    ds = load("sst", "train", data_dir=tmp_path)
    assert len(ds) == 2                                   # neutral root dropped
    assert ds["label"] == [1, 0]
    assert ds[1]["rationale"] == [1.0, 1.0]
    assert load("sst", "train", data_dir=tmp_path, rationale_threshold=0.5)[0]["rationale"] == [0, 0, 1]
    assert len(load("sst", "train", data_dir=tmp_path, fine_grained=True)) == 3
    (d/"dev.txt").write_text("(3 (2 a) (4 b))\n(3 (2 a) (4 b)\n")
    with pytest.raises(DataError) as e: load("sst", "dev", data_dir=tmp_path)
    assert "dev.txt:2: malformed PTB tree" in one_line(e)


def test_eraser_docs_jsonl_and_multidoc(tmp_path):
    f = tmp_path/"eraser"/"multirc"; f.mkdir(parents=True)
    (f/"docs.jsonl").write_text(json.dumps({"docid": "a", "document": "x y z"}) + "\n" + json.dumps({"docid": "b", "document": "u v"}) + "\n")
    ann = {"annotation_id": "q1", "classification": "True", "docids": ["a", "b"], "query": "what || z",
           "evidences": [[{"docid": "b", "start_token": 1, "end_token": 2}]]}
    (f/"val.jsonl").write_text(json.dumps(ann) + "\n")
    ds = load("eraser/multirc", "dev", data_dir=tmp_path)
    assert ds[0]["tokens"] == ["x", "y", "z", "u", "v"]
    assert ds[0]["rationale"] == [0, 0, 0, 0, 1]
    assert ds[0]["query"] == "what || z"
    ann["classification"] = "Maybe"; (f/"val.jsonl").write_text(json.dumps(ann) + "\n")
    with pytest.raises(DataError) as e: load("eraser/multirc", "val", data_dir=tmp_path)
    assert "val.jsonl:1: unknown label 'Maybe'" in one_line(e)


def test_esnli_preprocessed_mismatch(tmp_path):
    f = tmp_path/"esnli"; f.mkdir()
    for k, v in {"s1": "a b\nc d\n", "s2": "e\nf\n", "labels": "entailment\nneutral\n", "preproc1_expl_1": "because\n"}.items():
        (f/f"{k}.test").write_text(v)
    with pytest.raises(DataError) as e: load("esnli", "test", data_dir=tmp_path)
    assert "preproc1_expl_1.test: 1 lines but labels.test has 2" in one_line(e)
    (f/"preproc1_expl_1.test").write_text("because\nso\n")
    ds = load("esnli", "test", data_dir=tmp_path)
    assert ds[1]["tokens"] == ["c", "d", "f"] and ds[1]["explanation"] == "so" and ds[1]["rationale"] == []


def test_cos_e_join(tmp_path):
    (tmp_path/"cos-e"/"v1.0").mkdir(parents=True); (tmp_path/"commonsenseqa"/"v1.0").mkdir(parents=True)
    q = {"id": "x1", "answerKey": "B", "question": {"stem": "Where do beavers live ?", "choices": [
        {"label": "A", "text": "sea"}, {"label": "B", "text": "woods"}, {"label": "C", "text": "desert"}]}}
    (tmp_path/"commonsenseqa"/"v1.0"/"dev_rand_split.jsonl").write_text(json.dumps(q) + "\n")
    e = {"id": "x1", "explanation": {"open-ended": "beavers build dams in woods", "selected": "beavers live"}}
    (tmp_path/"cos-e"/"v1.0"/"cose_dev_v1.0.jsonl").write_text(json.dumps(e) + "\n")
    ds = load("cos_e", "dev", data_dir=tmp_path, version="v1.0")
    r = ds[0]
    assert r["choices"] == ["sea", "woods", "desert"] and r["label"] == 1 and r["rationale"] == [0, 0, 1, 1, 0]
    assert r["explanation"] == "beavers build dams in woods"
    with pytest.raises(DataError) as err: load("cos_e", "test", data_dir=tmp_path, version="v1.0")
    assert "no test split" in one_line(err)
    (tmp_path/"cos-e"/"v1.0"/"cose_dev_v1.0.jsonl").write_text(json.dumps({"id": "zz", "explanation": {"open-ended": "", "selected": ""}}) + "\n")
    with pytest.raises(DataError) as err: load("cos_e", "dev", data_dir=tmp_path, version="v1.0")
    assert "cose_dev_v1.0.jsonl:1: id 'zz' has no CommonsenseQA v1.0 question" in one_line(err)


def test_semeval_ag_imdb(tmp_path):
    s = tmp_path/"semeval2017_task4A"; (s/"gold").mkdir(parents=True); (s/"downloaded").mkdir()
    (s/"gold"/"SemEval2017-task4-test.subtask-A.english.txt").write_text("1\tpositive\tgreat day\n2\tneutral\tok\n")
    (s/"downloaded"/"twitter-2013train-A.tsv").write_text("3\tnegative\tawful\n")
    (s/"downloaded"/"twitter-2013dev-A.tsv").write_text("4\tnegative\n")
    assert load("semeval17", "test", data_dir=tmp_path)["label"] == [2, 1]
    assert len(load("semeval17", "train", data_dir=tmp_path)) == 1
    with pytest.raises(DataError) as e: load("semeval17", "dev", data_dir=tmp_path)
    assert "twitter-2013dev-A.tsv:1: expected id<TAB>label<TAB>text" in one_line(e)
    a = tmp_path/"ag_news"/"ag_news_csv"; a.mkdir(parents=True)
    (a/"classes.txt").write_text("World\nSports\nBusiness\nSci/Tech\n")
    with open(a/"train.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        for i in range(20): w.writerow([str(i % 4 + 1), f"title {i}", f"body {i}"])
    tr, va = load("ag_news", "train", data_dir=tmp_path), load("ag_news", "validation", data_dir=tmp_path)
    assert len(tr) == 18 and len(va) == 2 and not set(tr["id"]) & set(va["id"])
    i = tmp_path/"imdb"/"aclImdb"/"test"; (i/"pos").mkdir(parents=True); (i/"neg").mkdir()
    (i/"pos"/"1_10.txt").write_text("Loved it.<br /><br />Great"); (i/"neg"/"2_1.txt").write_text("Boring")
    ds = load("imdb", "test", data_dir=tmp_path)
    assert sorted(zip(ds["label"], map(tuple, ds["tokens"]))) == [(0, ("Boring",)), (1, ("Loved", "it.", "Great"))]


def test_missing_data_message(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(DataError) as e: load("sst", "train", data_dir=tmp_path)
    assert "download it from" in one_line(e)
    with pytest.raises(DataError) as e: load("nope", "train", data_dir=tmp_path)
    assert "unknown dataset 'nope'" in one_line(e)


def test_hub_converter_used_when_missing(tmp_path, monkeypatch):
    """The hub path converts a hub-schema Dataset and caches it; tested with a local stand-in for the hub."""
    import datasets, paperlib.data as D
    fake = datasets.Dataset.from_dict({"text": ["good", "bad", "fine", "meh"] * 5, "label": [1, 0, 1, 0] * 5})
    monkeypatch.setattr(datasets, "load_dataset", lambda *a, **k: fake)
    monkeypatch.setattr(D.schema, "hub_reachable", lambda: False)   # where `load` looks it up; offline: missing at once, no retries
    with pytest.raises(D.MissingData) as e: load("yelp_polarity", "test", data_dir=tmp_path, download=True)
    assert "the hub is not reachable from here" in one_line(e)
    monkeypatch.setattr(D.schema, "hub_reachable", lambda: True)
    with D.no_downloads(), pytest.raises(D.MissingData): load("yelp_polarity", "test", data_dir=tmp_path, download=True)   # planning never fetches
    ds = load("yelp_polarity", "test", data_dir=tmp_path, download=True)
    assert len(ds) == 20 and ds.features["label"].names == ["negative", "positive"]
    assert (tmp_path/"hub_cache").is_dir()
    monkeypatch.setattr(datasets, "load_dataset", lambda *a, **k: (_ for _ in ()).throw(ConnectionError("offline")))
    monkeypatch.setattr(D.schema, "hub_reachable", lambda: False)
    assert len(load("yelp_polarity", "test", data_dir=tmp_path, download=True)) == 20   # served from the cache, even offline
    monkeypatch.setattr(D.schema, "hub_reachable", lambda: True)
    with pytest.raises(DataError) as e: load("amazon_polarity", "test", data_dir=tmp_path, download=True)
    assert "could not be fetched" in one_line(e)


def test_check_reports_found_and_missing(tmp_path):
    d = tmp_path/"sst"/"trainDevTestTrees_PTB"/"trees"; d.mkdir(parents=True)
    (d/"test.txt").write_text("(4 (4 good))\n")
    rows = {r["dataset"]: r for r in check(tmp_path)}
    assert rows["sst"]["status"] == "found" and rows["sst"]["sizes"] == {"test": 1}
    assert rows["eraser/movies"]["status"] == "missing"


def test_synthetic_options():
    a = load("synthetic", "test", n=30, length=10, label_noise=0.5, seed=2)
    b = load("synthetic", "test", n=30, length=10, label_noise=0.0, seed=2)
    assert a["tokens"] == b["tokens"] and a["label"] != b["label"]
    with pytest.raises(DataError): load("synthetic", "test", n=3, length=3)


def test_data_check_fails_on_a_corrupt_dataset(tmp_path):
    import subprocess, sys
    d = tmp_path/"sst"/"trainDevTestTrees_PTB"/"trees"; d.mkdir(parents=True)
    (d/"test.txt").write_text("(4 (4 good))\n(3 (2 a) (4 b)\n")                 # line 2 is cut
    exe = str(Path(sys.executable).parent/"paperlib")
    r = subprocess.run([exe, "data", "check", "--data-dir", str(tmp_path)], capture_output=True, text=True)
    assert r.returncode == 1 and "test.txt:2: malformed PTB tree" in r.stdout and "found but unreadable: sst" in r.stderr
